// ReadWriteLock: readers share, writers exclude, arrival order is kept.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "client/recipes/lock.h"
#include "tests/recipes/recipe_fixture.h"

namespace zk::recipes::testing {
namespace {

using namespace std::chrono_literals;
using ReadWriteLockTest = RecipeTest;

TEST_F(ReadWriteLockTest, ReadersShareTheLock) {
  auto other = Connect();
  ASSERT_NE(other, nullptr);
  ReadWriteLock a(*zk_, Path("rw")), b(*other, Path("rw"));
  ASSERT_EQ(a.ReadLock().Acquire(kWait), Err::kOk);
  EXPECT_EQ(b.ReadLock().Acquire(1s), Err::kOk);
  EXPECT_TRUE(a.ReadLock().IsHeld());
  EXPECT_TRUE(b.ReadLock().IsHeld());
}

TEST_F(ReadWriteLockTest, AWriterWaitsForReadersAndExcludesThem) {
  auto writer_zk = Connect();
  ASSERT_NE(writer_zk, nullptr);
  ReadWriteLock reader(*zk_, Path("rw")), writer(*writer_zk, Path("rw"));
  ASSERT_EQ(reader.ReadLock().Acquire(kWait), Err::kOk);
  EXPECT_EQ(writer.WriteLock().Acquire(300ms), Err::kOperationTimeout);
  ASSERT_EQ(reader.ReadLock().Release(), Err::kOk);
  ASSERT_EQ(writer.WriteLock().Acquire(kWait), Err::kOk);
  EXPECT_EQ(reader.ReadLock().Acquire(300ms), Err::kOperationTimeout);
  EXPECT_EQ(reader.WriteLock().Acquire(300ms), Err::kOperationTimeout);
  ASSERT_EQ(writer.WriteLock().Release(), Err::kOk);
  EXPECT_EQ(reader.ReadLock().Acquire(kWait), Err::kOk);
}

TEST_F(ReadWriteLockTest, AReaderArrivingAfterAWaitingWriterWaitsForIt) {
  auto writer_zk = Connect();
  auto late_zk = Connect();
  ASSERT_NE(writer_zk, nullptr);
  ASSERT_NE(late_zk, nullptr);
  ReadWriteLock first(*zk_, Path("rw")), writer(*writer_zk, Path("rw")), late(*late_zk, Path("rw"));
  ASSERT_EQ(first.ReadLock().Acquire(kWait), Err::kOk);
  std::atomic<int> step{0};
  std::atomic<int> writer_step{-1}, reader_step{-1};
  std::thread w([&] {
    if (writer.WriteLock().Acquire(kWait) == Err::kOk) {
      writer_step = step++;
      std::this_thread::sleep_for(100ms);
      writer.WriteLock().Release();
    }
  });
  ASSERT_TRUE(WaitUntil([&] {
    std::vector<std::string> c;
    return zk_->GetChildren(Path("rw"), &c) == Err::kOk && c.size() == 2;
  }));
  std::thread r([&] {
    if (late.ReadLock().Acquire(kWait) == Err::kOk) reader_step = step++;
  });
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(reader_step.load(), -1);  // blocked behind the writer
  ASSERT_EQ(first.ReadLock().Release(), Err::kOk);
  w.join();
  r.join();
  EXPECT_EQ(writer_step.load(), 0);
  EXPECT_EQ(reader_step.load(), 1);
}

}  // namespace
}  // namespace zk::recipes::testing
