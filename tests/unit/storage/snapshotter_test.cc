#include "server/storage/snapshotter.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "server/session/session_tracker.h"
#include "server/storage/snapshot.h"
#include "server/tree/data_tree.h"
#include "tests/unit/storage/fault_env.h"
#include "tests/unit/storage/test_util.h"

namespace zk::storage {
namespace {

using testing::FaultFileEnv;
using testing::ScratchDir;

class SnapshotterTest : public ::testing::Test {
 protected:
  SnapshotterOptions Options(uint32_t seed = 1) {
    SnapshotterOptions options;
    options.dir = dir_.path();
    options.snap_count = 100;
    options.seed = seed;
    return options;
  }
  std::vector<int64_t> SnapshotZxids() {
    std::vector<SnapshotFile> files;
    EXPECT_TRUE(ListSnapshots(FileEnv::Default(), dir_.path(), &files).ok());
    std::vector<int64_t> out;
    for (const auto& f : files) out.push_back(f.zxid);
    return out;
  }

  ScratchDir dir_;
  tree::DataTree tree_;
  session::SessionTracker sessions_{1, 2000, 0};
};

TEST_F(SnapshotterTest, SnapshotsAfterHalfToAllOfSnapCountTxns) {
  Snapshotter snapshotter(Options(), &tree_, &sessions_);
  for (int64_t zxid = 1; zxid <= 1000; ++zxid) {
    snapshotter.Applied(zxid);
    ASSERT_TRUE(snapshotter.Wait().ok());
  }
  std::vector<int64_t> zxids = SnapshotZxids();
  ASSERT_GE(zxids.size(), 10u);
  ASSERT_LE(zxids.size(), 20u);
  int64_t prev = 0;
  for (auto it = zxids.rbegin(); it != zxids.rend(); ++it) {
    EXPECT_GE(*it - prev, 50);
    EXPECT_LT(*it - prev, 100);
    prev = *it;
  }
}

TEST_F(SnapshotterTest, TheThresholdIsRandomisedPerServer) {
  std::set<int64_t> first_snapshots;
  for (uint32_t seed = 1; seed <= 6; ++seed) {
    ScratchDir dir;
    SnapshotterOptions options = Options(seed);
    options.dir = dir.path();
    Snapshotter snapshotter(options, &tree_, &sessions_);
    for (int64_t zxid = 1; zxid <= 100; ++zxid) {
      snapshotter.Applied(zxid);
      if (snapshotter.Wait().ok() && snapshotter.stats().taken > 0) {
        first_snapshots.insert(zxid);
        break;
      }
    }
  }
  EXPECT_GE(first_snapshots.size(), 2u);
}

TEST_F(SnapshotterTest, WritingHappensOffTheOwnerThread) {
  FaultFileEnv env;
  SnapshotterOptions options = Options();
  options.env = &env;
  Snapshotter snapshotter(options, &tree_, &sessions_);
  env.Hold();  // the disk stalls on fsync
  ASSERT_TRUE(snapshotter.TakeSnapshot(10));
  env.WaitUntilHeld();
  // The owner goes on applying; a second snapshot waits for the first.
  EXPECT_FALSE(snapshotter.TakeSnapshot(20));
  for (int64_t zxid = 21; zxid <= 500; ++zxid) snapshotter.Applied(zxid);
  env.Release();
  ASSERT_TRUE(snapshotter.Wait().ok());
  EXPECT_EQ(snapshotter.stats().taken, 1u);
  EXPECT_EQ(snapshotter.stats().last_zxid, 10);
  // The postponed one runs at the next applied txn.
  snapshotter.Applied(501);
  ASSERT_TRUE(snapshotter.Wait().ok());
  EXPECT_EQ(SnapshotZxids(), (std::vector<int64_t>{501, 10}));
}

TEST_F(SnapshotterTest, ASnapshotHoldsTheTreeAndTheLiveSessions) {
  ASSERT_EQ(tree_.CreateNode("/x", "data", testing::OpenAcl(), 0, -1, 1, 5), Err::kOk);
  sessions_.Add(0x77, 12000, 0);
  Snapshotter snapshotter(Options(), &tree_, &sessions_);
  ASSERT_TRUE(snapshotter.TakeSnapshot(1));
  ASSERT_TRUE(snapshotter.Wait().ok());
  std::string bytes;
  ASSERT_TRUE(FileEnv::Default()->ReadFile(dir_.path() + "/snapshot.1", &bytes).ok());
  tree::DataTree loaded;
  std::vector<SessionEntry> sessions;
  int64_t zxid;
  ASSERT_TRUE(LoadSnapshot(bytes, &loaded, &sessions, &zxid).ok());
  EXPECT_EQ(testing::DumpTree(loaded), testing::DumpTree(tree_));
  EXPECT_EQ(sessions, (std::vector<SessionEntry>{{0x77, 12000}}));
  EXPECT_GT(snapshotter.stats().last_bytes, 0u);
}

TEST_F(SnapshotterTest, AFailedWriteIsCountedAndTheNextOneRetries) {
  FaultFileEnv env;
  SnapshotterOptions options = Options();
  options.env = &env;
  Snapshotter snapshotter(options, &tree_, &sessions_);
  env.SetFailWrites(true);
  ASSERT_TRUE(snapshotter.TakeSnapshot(5));
  EXPECT_FALSE(snapshotter.Wait().ok());
  EXPECT_EQ(snapshotter.stats().failed, 1u);
  env.SetFailWrites(false);
  ASSERT_TRUE(snapshotter.TakeSnapshot(6));
  EXPECT_TRUE(snapshotter.Wait().ok());
  EXPECT_EQ(SnapshotZxids(), std::vector<int64_t>{6});
}

TEST_F(SnapshotterTest, AutopurgeKeepsTheRetainCountNewest) {
  SnapshotterOptions options = Options();
  options.purge_retain_count = 3;
  Snapshotter snapshotter(options, &tree_, &sessions_);
  for (int64_t zxid = 1; zxid <= 5; ++zxid) {
    ASSERT_TRUE(snapshotter.TakeSnapshot(zxid));
    ASSERT_TRUE(snapshotter.Wait().ok());
  }
  EXPECT_EQ(SnapshotZxids(), (std::vector<int64_t>{5, 4, 3}));
}

TEST_F(SnapshotterTest, AForkedSnapshotHoldsTheTreeAsOfTheForkWhileTheOwnerChangesIt) {
  for (int i = 0; i < 2000; ++i) {
    ASSERT_EQ(tree_.CreateNode("/n" + std::to_string(i), std::string(200, 'a'), testing::OpenAcl(),
                               0, -1, i + 1, i),
              Err::kOk);
  }
  std::string before = testing::DumpTree(tree_);
  Snapshotter snapshotter(Options(), &tree_, &sessions_);
  ASSERT_TRUE(snapshotter.TakeSnapshot(2000));
  // The owner goes on at once: these changes land in its copy-on-write pages
  // and must not reach the child's snapshot.
  for (int i = 0; i < 2000; ++i) {
    ASSERT_EQ(tree_.SetData("/n" + std::to_string(i), "changed", 1, 3000 + i, 0), Err::kOk);
  }
  ASSERT_EQ(tree_.DeleteNode("/n7", 5000), Err::kOk);
  ASSERT_TRUE(snapshotter.Wait().ok());
  EXPECT_TRUE(snapshotter.stats().last_forked);
  EXPECT_EQ(snapshotter.stats().last_nodes, 2004u);  // with the 4 system nodes

  std::string bytes;
  ASSERT_TRUE(FileEnv::Default()->ReadFile(dir_.path() + "/snapshot.7d0", &bytes).ok());
  tree::DataTree loaded;
  std::vector<SessionEntry> sessions;
  int64_t zxid;
  ASSERT_TRUE(LoadSnapshot(bytes, &loaded, &sessions, &zxid).ok());
  EXPECT_EQ(zxid, 2000);
  EXPECT_EQ(testing::DumpTree(loaded), before);
  EXPECT_EQ(snapshotter.stats().last_bytes, bytes.size());
}

TEST_F(SnapshotterTest, AForkedWriterThatCannotWriteIsAFailureAndLeavesNoSnapshot) {
  // A directory where the temp file should go makes the child's open() fail.
  std::filesystem::create_directories(dir_.Sub("snapshot.9.tmp"));
  Snapshotter snapshotter(Options(), &tree_, &sessions_);
  ASSERT_TRUE(snapshotter.TakeSnapshot(9));
  Status s = snapshotter.Wait();
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_EQ(snapshotter.stats().failed, 1u);
  EXPECT_TRUE(SnapshotZxids().empty());
  // The next one works.
  ASSERT_TRUE(snapshotter.TakeSnapshot(10));
  EXPECT_TRUE(snapshotter.Wait().ok());
  EXPECT_EQ(SnapshotZxids(), std::vector<int64_t>{10});
}

TEST_F(SnapshotterTest, ATimedPurgeKeepsTheRetainCountNewest) {
  Snapshotter snapshotter(Options(), &tree_, &sessions_);
  for (int64_t zxid = 1; zxid <= 6; ++zxid) {
    ASSERT_TRUE(snapshotter.TakeSnapshot(zxid));
    ASSERT_TRUE(snapshotter.Wait().ok());
  }
  ASSERT_EQ(SnapshotZxids().size(), 6u);
  snapshotter.RequestPurge(4);
  ASSERT_TRUE(snapshotter.Wait().ok());
  EXPECT_EQ(SnapshotZxids(), (std::vector<int64_t>{6, 5, 4, 3}));
  EXPECT_EQ(snapshotter.stats().purges, 1u);
}

TEST_F(SnapshotterTest, APurgeRequestedDuringASnapshotRunsAfterItAndSparesItsFile) {
  FaultFileEnv env;
  SnapshotterOptions options = Options();
  options.env = &env;
  Snapshotter snapshotter(options, &tree_, &sessions_);
  for (int64_t zxid = 1; zxid <= 4; ++zxid) {
    ASSERT_TRUE(snapshotter.TakeSnapshot(zxid));
    ASSERT_TRUE(snapshotter.Wait().ok());
  }
  env.Hold();  // the next snapshot stalls on fsync, its temp file in place
  ASSERT_TRUE(snapshotter.TakeSnapshot(5));
  env.WaitUntilHeld();
  snapshotter.RequestPurge(3);
  EXPECT_EQ(snapshotter.stats().purges, 0u);
  env.Release();
  ASSERT_TRUE(snapshotter.Wait().ok());
  EXPECT_EQ(snapshotter.stats().purges, 1u);
  std::vector<SnapshotFile> files;
  ASSERT_TRUE(ListSnapshots(&env, dir_.path(), &files).ok());
  std::vector<int64_t> zxids;
  for (const auto& f : files) zxids.push_back(f.zxid);
  EXPECT_EQ(zxids, (std::vector<int64_t>{5, 4, 3}));
}

}  // namespace
}  // namespace zk::storage
