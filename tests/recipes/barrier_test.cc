// Barrier and DoubleBarrier with several participants.
#include "client/recipes/barrier.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "tests/recipes/recipe_fixture.h"

namespace zk::recipes::testing {
namespace {

using namespace std::chrono_literals;
using BarrierTest = RecipeTest;

TEST_F(BarrierTest, WaitersPassOnlyWhenTheBarrierIsRemoved) {
  Barrier barrier(*zk_, Path("gate"));
  ASSERT_EQ(barrier.Set(), Err::kOk);
  constexpr int kWaiters = 3;
  std::vector<std::unique_ptr<SyncClient>> clients;
  std::atomic<int> passed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kWaiters; ++i) {
    clients.push_back(Connect());
    ASSERT_NE(clients.back(), nullptr);
    threads.emplace_back([&, i] {
      Barrier b(*clients[i], Path("gate"));
      if (b.Wait(kWait) == Err::kOk) passed++;
    });
  }
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(passed.load(), 0);
  ASSERT_EQ(barrier.Remove(), Err::kOk);
  for (auto& t : threads) t.join();
  EXPECT_EQ(passed.load(), kWaiters);
}

TEST_F(BarrierTest, WaitTimesOutWhileTheBarrierStands) {
  Barrier barrier(*zk_, Path("gate"));
  ASSERT_EQ(barrier.Set(), Err::kOk);
  EXPECT_EQ(barrier.Wait(200ms), Err::kOperationTimeout);
  ASSERT_EQ(barrier.Remove(), Err::kOk);
  EXPECT_EQ(barrier.Wait(200ms), Err::kOk);
}

TEST_F(BarrierTest, DoubleBarrierHoldsEveryoneUntilAllEnterAndUntilAllLeave) {
  constexpr int kParticipants = 4;
  std::vector<std::unique_ptr<SyncClient>> clients;
  for (int i = 0; i < kParticipants; ++i) {
    clients.push_back(Connect());
    ASSERT_NE(clients.back(), nullptr);
  }
  std::atomic<int> entering{0}, entered{0}, leaving{0}, left{0};
  std::atomic<int> entered_too_early{0}, left_too_early{0}, failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kParticipants; ++i) {
    threads.emplace_back([&, i] {
      // Stagger arrivals so that early ones really wait.
      std::this_thread::sleep_for(std::chrono::milliseconds(100 * i));
      DoubleBarrier barrier(*clients[i], Path("double"), kParticipants);
      entering++;
      if (barrier.Enter(kWait) != Err::kOk) failures++;
      if (entering.load() < kParticipants) entered_too_early++;
      entered++;
      std::this_thread::sleep_for(std::chrono::milliseconds(100 * (kParticipants - i)));
      leaving++;
      if (barrier.Leave(kWait) != Err::kOk) failures++;
      if (leaving.load() < kParticipants) left_too_early++;
      left++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(entered_too_early.load(), 0);
  EXPECT_EQ(left_too_early.load(), 0);
  EXPECT_EQ(left.load(), kParticipants);
  std::vector<std::string> children;
  ASSERT_EQ(zk_->GetChildren(Path("double"), &children), Err::kOk);
  EXPECT_TRUE(children.empty());
}

TEST_F(BarrierTest, DoubleBarrierEnterTimesOutWhenTooFewArrive) {
  DoubleBarrier barrier(*zk_, Path("double"), 2);
  EXPECT_EQ(barrier.Enter(200ms), Err::kOperationTimeout);
  std::vector<std::string> children;
  ASSERT_EQ(zk_->GetChildren(Path("double"), &children), Err::kOk);
  EXPECT_TRUE(children.empty());
}

TEST_F(BarrierTest, AnExpiredParticipantDoesNotBlockTheOthersFromLeaving) {
  auto doomed_zk = Connect();
  ASSERT_NE(doomed_zk, nullptr);
  DoubleBarrier mine(*zk_, Path("double"), 2), doomed(*doomed_zk, Path("double"), 2);
  std::thread t([&] { EXPECT_EQ(doomed.Enter(kWait), Err::kOk); });
  ASSERT_EQ(mine.Enter(kWait), Err::kOk);
  t.join();
  ASSERT_TRUE(ExpireSession(*doomed_zk));
  EXPECT_EQ(mine.Leave(kWait), Err::kOk);
}

}  // namespace
}  // namespace zk::recipes::testing
