#include "server/storage/purge.h"

#include <gtest/gtest.h>

#include <fstream>

#include "server/storage/snapshot.h"
#include "server/storage/txn_log.h"
#include "tests/unit/storage/test_util.h"

namespace zk::storage {
namespace {

using testing::ScratchDir;
using testing::TaskQueue;

class PurgeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    TxnLogOptions options;
    options.dir = dir_.Sub("log");
    ASSERT_TRUE(TxnLog::Open(options, &log_).ok());
    log_->Start(queue_.Poster(), nullptr, nullptr);
    for (int64_t zxid = 1; zxid <= 1000; ++zxid) ASSERT_TRUE(log_->Append(zxid, "t"));
    ASSERT_TRUE(log_->Flush().ok());
  }
  void Snapshot(int64_t zxid) {
    tree::DataTree tree;
    ASSERT_TRUE(
        WriteSnapshotFile(FileEnv::Default(), dir_.Sub("snap"), SerializeSnapshot(tree, {}, zxid))
            .ok());
  }
  std::vector<int64_t> SnapshotZxids() {
    std::vector<SnapshotFile> files;
    EXPECT_TRUE(ListSnapshots(FileEnv::Default(), dir_.Sub("snap"), &files).ok());
    std::vector<int64_t> out;
    for (const auto& f : files) out.push_back(f.zxid);
    return out;
  }

  ScratchDir dir_;
  TaskQueue queue_;
  std::unique_ptr<TxnLog> log_;
};

TEST_F(PurgeTest, KeepsTheNewestSnapshotsAndTheLogTheyNeed) {
  for (int64_t zxid : {100, 300, 500, 700, 900}) Snapshot(zxid);
  PurgeResult result;
  ASSERT_TRUE(Purge(FileEnv::Default(), dir_.Sub("snap"), log_.get(), 3, &result).ok());
  EXPECT_EQ(result.snapshots_removed, 2);
  EXPECT_EQ(result.log_purged_before, 500);
  EXPECT_EQ(SnapshotZxids(), (std::vector<int64_t>{900, 700, 500}));
  EXPECT_EQ(log_->FirstZxid(), 500);
  EXPECT_EQ(log_->LastZxid(), 1000);
}

TEST_F(PurgeTest, NeverKeepsFewerThanThreeSnapshots) {
  for (int64_t zxid : {100, 300, 500, 700}) Snapshot(zxid);
  ASSERT_TRUE(Purge(FileEnv::Default(), dir_.Sub("snap"), log_.get(), 1).ok());
  EXPECT_EQ(SnapshotZxids(), (std::vector<int64_t>{700, 500, 300}));
  EXPECT_EQ(log_->FirstZxid(), 300);
}

TEST_F(PurgeTest, TooFewSnapshotsPurgeNothing) {
  for (int64_t zxid : {100, 300}) Snapshot(zxid);
  PurgeResult result;
  ASSERT_TRUE(Purge(FileEnv::Default(), dir_.Sub("snap"), log_.get(), 3, &result).ok());
  EXPECT_EQ(result.snapshots_removed, 0);
  EXPECT_EQ(SnapshotZxids().size(), 2u);
  EXPECT_EQ(log_->FirstZxid(), 1);
}

TEST_F(PurgeTest, LeftoverTempFilesAreRemoved) {
  Snapshot(100);
  std::ofstream(dir_.Sub("snap") + "/snapshot.200.tmp") << "partial";
  ASSERT_TRUE(Purge(FileEnv::Default(), dir_.Sub("snap"), nullptr, 3).ok());
  std::vector<std::string> names;
  ASSERT_TRUE(FileEnv::Default()->GetChildren(dir_.Sub("snap"), &names).ok());
  EXPECT_EQ(names, std::vector<std::string>{"snapshot.64"});
}

}  // namespace
}  // namespace zk::storage
