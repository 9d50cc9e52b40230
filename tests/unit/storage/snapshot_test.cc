#include "server/storage/snapshot.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "server/pipeline/txn_applier.h"
#include "server/storage/snapshot_format.h"
#include "tests/unit/storage/fault_env.h"
#include "tests/unit/storage/test_util.h"

namespace zk::storage {
namespace {

using testing::DumpTree;
using testing::FaultFileEnv;
using testing::ScratchDir;

// A tree with a bit of everything: nested nodes, binary data, several ACL
// lists, ephemerals.
void BuildTree(tree::DataTree* tree) {
  std::vector<data::ACL> open = testing::OpenAcl();
  std::vector<data::ACL> digest = {
      data::ACL{perms::kRead | perms::kWrite, data::Id{"digest", "user:hash="}}};
  ASSERT_EQ(tree->CreateNode("/app", "config", open, 0, -1, 5, 1000), Err::kOk);
  ASSERT_EQ(tree->CreateNode("/app/a", std::string("\0\x01\xff", 3), digest, 0, -1, 6, 1001),
            Err::kOk);
  ASSERT_EQ(tree->CreateNode("/app/b", "", open, 0x42, -1, 7, 1002), Err::kOk);
  ASSERT_EQ(tree->CreateNode("/app/a/deep", std::string(5000, 'd'), digest, 0, -1, 8, 1003),
            Err::kOk);
  ASSERT_EQ(tree->SetData("/app", "config2", 1, 9, 1004), Err::kOk);
  ASSERT_EQ(tree->SetAcl("/app/b", digest, 1), Err::kOk);
}

class SnapshotTest : public ::testing::Test {
 protected:
  std::string WriteOne(const tree::DataTree& tree, int64_t zxid) {
    SnapshotImage image = SerializeSnapshot(tree, sessions_, zxid);
    std::string path;
    Status s = WriteSnapshotFile(FileEnv::Default(), dir_.path(), image, &path);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return path;
  }
  std::string Read(const std::string& path) {
    std::string bytes;
    EXPECT_TRUE(FileEnv::Default()->ReadFile(path, &bytes).ok());
    return bytes;
  }
  void Write(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  }

  ScratchDir dir_;
  std::vector<SessionEntry> sessions_ = {{0x42, 30000}, {0x43, 4000}};
};

TEST_F(SnapshotTest, ATreeAndItsSessionsRoundTrip) {
  tree::DataTree tree;
  BuildTree(&tree);
  std::string path = WriteOne(tree, 9);
  EXPECT_EQ(std::filesystem::path(path).filename(), "snapshot.9");

  tree::DataTree loaded;
  std::vector<SessionEntry> sessions;
  int64_t zxid = 0;
  Status s = LoadSnapshot(Read(path), &loaded, &sessions, &zxid);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(zxid, 9);
  EXPECT_EQ(sessions, sessions_);
  EXPECT_EQ(DumpTree(loaded), DumpTree(tree));
  EXPECT_EQ(loaded.NodeCount(), tree.NodeCount());
  EXPECT_EQ(loaded.AclCount(), tree.AclCount());
  EXPECT_EQ(loaded.EphemeralPaths(0x42), std::vector<std::string>{"/app/b"});
  EXPECT_EQ(loaded.ApproximateDataSize(), tree.ApproximateDataSize());
}

TEST_F(SnapshotTest, LoadingReplacesWhateverTheTreeHeld) {
  tree::DataTree tree;
  BuildTree(&tree);
  std::string path = WriteOne(tree, 9);
  tree::DataTree loaded;
  ASSERT_EQ(loaded.CreateNode("/stale", "x", testing::OpenAcl(), 0, -1, 1, 1), Err::kOk);
  std::vector<SessionEntry> sessions;
  int64_t zxid;
  ASSERT_TRUE(LoadSnapshot(Read(path), &loaded, &sessions, &zxid).ok());
  EXPECT_FALSE(loaded.Exists("/stale"));
  EXPECT_EQ(DumpTree(loaded), DumpTree(tree));
}

TEST_F(SnapshotTest, AnEmptyTreeRoundTrips) {
  tree::DataTree tree;
  std::string path = WriteOne(tree, 0);
  tree::DataTree loaded;
  std::vector<SessionEntry> sessions;
  int64_t zxid = -1;
  ASSERT_TRUE(LoadSnapshot(Read(path), &loaded, &sessions, &zxid).ok());
  EXPECT_EQ(zxid, 0);
  EXPECT_EQ(DumpTree(loaded), DumpTree(tree));
}

TEST_F(SnapshotTest, FileNamesCarryTheZxidInLowerCaseHex) {
  EXPECT_EQ(SnapshotFileName(0x1000000ab), "snapshot.1000000ab");
  int64_t zxid = 0;
  EXPECT_TRUE(ParseSnapshotFileName("snapshot.1000000ab", &zxid));
  EXPECT_EQ(zxid, 0x1000000ab);
  EXPECT_FALSE(ParseSnapshotFileName("snapshot.1a.tmp", &zxid));
  EXPECT_FALSE(ParseSnapshotFileName("snapshot.", &zxid));
  EXPECT_FALSE(ParseSnapshotFileName("log.1a", &zxid));
  EXPECT_FALSE(ParseSnapshotFileName("snapshot.XYZ", &zxid));
}

TEST_F(SnapshotTest, ListingPutsTheNewestFirstAndSkipsOtherFiles) {
  tree::DataTree tree;
  WriteOne(tree, 0x10);
  WriteOne(tree, 0x2);
  WriteOne(tree, 0x100);
  Write(dir_.Sub("snapshot.200.tmp"), "partial");
  Write(dir_.Sub("notes.txt"), "hello");
  std::vector<SnapshotFile> files;
  ASSERT_TRUE(ListSnapshots(FileEnv::Default(), dir_.path(), &files).ok());
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0].zxid, 0x100);
  EXPECT_EQ(files[1].zxid, 0x10);
  EXPECT_EQ(files[2].zxid, 0x2);
}

TEST_F(SnapshotTest, ListingAMissingDirectoryFindsNothing) {
  std::vector<SnapshotFile> files;
  ASSERT_TRUE(ListSnapshots(FileEnv::Default(), dir_.Sub("absent"), &files).ok());
  EXPECT_TRUE(files.empty());
}

TEST_F(SnapshotTest, EveryFlippedByteIsDetected) {
  tree::DataTree tree;
  BuildTree(&tree);
  std::string good = Read(WriteOne(tree, 9));
  ASSERT_TRUE(VerifySnapshot(good).ok());
  for (size_t i = 0; i < good.size(); i += 37) {
    std::string bad = good;
    bad[i] ^= 0x01;
    EXPECT_TRUE(VerifySnapshot(bad).IsCorruption()) << "byte " << i;
  }
  std::string bad = good;
  bad.back() ^= 0x80;
  EXPECT_TRUE(VerifySnapshot(bad).IsCorruption());
}

TEST_F(SnapshotTest, TruncatedFilesAreDetected) {
  tree::DataTree tree;
  BuildTree(&tree);
  std::string good = Read(WriteOne(tree, 9));
  for (size_t len : {size_t{0}, size_t{3}, size_t{16}, good.size() / 2, good.size() - 1}) {
    EXPECT_TRUE(VerifySnapshot(good.substr(0, len)).IsCorruption()) << "length " << len;
  }
  EXPECT_TRUE(VerifySnapshot(good + "x").IsCorruption());
}

TEST_F(SnapshotTest, ACorruptSnapshotIsNotLoaded) {
  tree::DataTree tree;
  BuildTree(&tree);
  std::string bytes = Read(WriteOne(tree, 9));
  bytes[bytes.size() / 2] ^= 0x10;
  tree::DataTree loaded;
  std::vector<SessionEntry> sessions;
  int64_t zxid;
  EXPECT_TRUE(LoadSnapshot(bytes, &loaded, &sessions, &zxid).IsCorruption());
}

TEST_F(SnapshotTest, AWriteCutShortByACrashLeavesNoSnapshotBehind) {
  FaultFileEnv env;
  tree::DataTree tree;
  BuildTree(&tree);
  SnapshotImage image = SerializeSnapshot(tree, sessions_, 9);
  env.SetFailWrites(true);
  EXPECT_FALSE(WriteSnapshotFile(&env, dir_.path(), image).ok());
  env.SetFailWrites(false);
  std::vector<SnapshotFile> files;
  ASSERT_TRUE(ListSnapshots(&env, dir_.path(), &files).ok());
  EXPECT_TRUE(files.empty());
}

TEST_F(SnapshotTest, AFinishedWriteSurvivesLosingUnsyncedData) {
  FaultFileEnv env;
  tree::DataTree tree;
  BuildTree(&tree);
  ASSERT_TRUE(WriteSnapshotFile(&env, dir_.path(), SerializeSnapshot(tree, sessions_, 9)).ok());
  env.DropUnsyncedData();
  std::vector<SnapshotFile> files;
  ASSERT_TRUE(ListSnapshots(&env, dir_.path(), &files).ok());
  ASSERT_EQ(files.size(), 1u);
  EXPECT_TRUE(VerifySnapshot(Read(files[0].path)).ok());
}

TEST(FaultFileEnvTest, UnsyncedRenamesAndDataAreLost) {
  ScratchDir dir;
  FaultFileEnv env;
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(env.NewWritableFile(dir.Sub("a.tmp"), &file).ok());
  ASSERT_TRUE(file->Append("synced").ok());
  ASSERT_TRUE(file->Sync().ok());
  ASSERT_TRUE(file->Append("-unsynced").ok());
  ASSERT_TRUE(file->Close().ok());
  ASSERT_TRUE(env.RenameFile(dir.Sub("a.tmp"), dir.Sub("a")).ok());
  env.DropUnsyncedData();
  std::string contents;
  EXPECT_TRUE(env.ReadFile(dir.Sub("a"), &contents).IsNotFound());
  ASSERT_TRUE(env.ReadFile(dir.Sub("a.tmp"), &contents).ok());
  EXPECT_EQ(contents, "synced");
}

}  // namespace
}  // namespace zk::storage
