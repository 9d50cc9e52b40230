// A snapshot of a million znodes: how long the owner thread stalls (forking
// a writer, or encoding into memory), how long the write and the load take,
// how big the file is.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "server/storage/fork_snapshot.h"
#include "server/storage/snapshot.h"
#include "server/tree/data_tree.h"
#include "tests/unit/storage/test_util.h"

namespace zk::storage {
namespace {

double MillisSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

// Parses without building a tree: the decoding's share of a load.
class NodeCounter : public SnapshotVisitor {
 public:
  Status Node(std::string_view, std::string_view, bool, int64_t,
              const data::StatPersisted&) override {
    ++nodes;
    return Status::OK();
  }
  uint64_t nodes = 0;
};

TEST(LargeSnapshot, AMillionZnodesWriteAndLoadBack) {
  constexpr int kParents = 1000;
  constexpr int kChildren = 999;  // 1000 parents + 999,000 children + 4 system nodes
  testing::ScratchDir dir;
  tree::DataTree tree;
  std::vector<data::ACL> acl = testing::OpenAcl();
  std::string data(32, 'v');
  int64_t zxid = 0;
  char path[64];
  for (int p = 0; p < kParents; ++p) {
    std::snprintf(path, sizeof(path), "/app%04d", p);
    ++zxid;
    ASSERT_EQ(tree.CreateNode(path, data, acl, 0, -1, zxid, zxid), Err::kOk);
    for (int c = 0; c < kChildren; ++c) {
      std::snprintf(path, sizeof(path), "/app%04d/node-%010d", p, c);
      ++zxid;
      ASSERT_EQ(tree.CreateNode(path, data, acl, 0, -1, zxid, zxid), Err::kOk);
    }
  }
  ASSERT_EQ(tree.NodeCount(), 1000004u);
  std::vector<SessionEntry> sessions;
  for (int64_t id = 1; id <= 1000; ++id) sessions.push_back({id, 30000});

  auto start = std::chrono::steady_clock::now();
  SnapshotImage image = SerializeSnapshot(tree, sessions, zxid);
  double stall_ms = MillisSince(start);

  start = std::chrono::steady_clock::now();
  std::string file;
  ASSERT_TRUE(WriteSnapshotFile(FileEnv::Default(), dir.path(), image, &file).ok());
  double write_ms = MillisSince(start);
  uint64_t size = 0;
  ASSERT_TRUE(FileEnv::Default()->GetFileSize(file, &size).ok());

  // A server snapshots again and again: the next copy reuses this buffer.
  SnapshotImage copy = image;
  start = std::chrono::steady_clock::now();
  SnapshotImage again = SerializeSnapshot(tree, sessions, zxid, TakeNodeBuffer(&copy));
  double warm_stall_ms = MillisSince(start);
  EXPECT_EQ(again.pieces, image.pieces);

  // What a server does: fork a child that streams the tree to the file.
  std::string forked_path = dir.path() + "/forked.tmp";
  pid_t child = 0;
  start = std::chrono::steady_clock::now();
  ASSERT_TRUE(StartForkedSnapshot(tree, sessions, zxid, forked_path, &child).ok());
  double fork_stall_ms = MillisSince(start);
  Status forked = WaitForkedSnapshot(child);
  double forked_write_ms = MillisSince(start);
  ASSERT_TRUE(forked.ok()) << forked.ToString();
  uint64_t forked_size = 0;
  ASSERT_TRUE(FileEnv::Default()->GetFileSize(forked_path, &forked_size).ok());
  EXPECT_EQ(forked_size, size);

  start = std::chrono::steady_clock::now();
  std::string bytes;
  ASSERT_TRUE(FileEnv::Default()->ReadFile(file, &bytes).ok());
  tree::DataTree loaded;
  std::vector<SessionEntry> loaded_sessions;
  int64_t loaded_zxid = 0;
  Status s = LoadSnapshot(bytes, &loaded, &loaded_sessions, &loaded_zxid);
  double load_ms = MillisSince(start);
  ASSERT_TRUE(s.ok()) << s.ToString();
  NodeCounter counter;
  start = std::chrono::steady_clock::now();
  ASSERT_TRUE(ParseSnapshot(bytes, &counter).ok());
  double parse_ms = MillisSince(start);
  EXPECT_EQ(counter.nodes, tree.NodeCount());

  std::printf(
      "snapshot of %zu znodes: forked writer: owner-thread stall %.1f ms, child done in %.0f ms; "
      "in memory: owner-thread stall %.0f ms (first), %.0f ms (buffer reused), write+fsync "
      "%.0f ms; read+verify+load %.0f ms (parsing alone %.0f ms), file %.1f MB (%.1f "
      "bytes/znode)\n",
      tree.NodeCount(), fork_stall_ms, forked_write_ms, stall_ms, warm_stall_ms, write_ms, load_ms,
      parse_ms, size / 1e6, static_cast<double>(size) / tree.NodeCount());
  ::testing::Test::RecordProperty("fork_stall_ms", static_cast<int>(fork_stall_ms));
  ::testing::Test::RecordProperty("stall_ms", static_cast<int>(stall_ms));
  ::testing::Test::RecordProperty("warm_stall_ms", static_cast<int>(warm_stall_ms));
  ::testing::Test::RecordProperty("write_ms", static_cast<int>(write_ms));
  ::testing::Test::RecordProperty("load_ms", static_cast<int>(load_ms));
  ::testing::Test::RecordProperty("file_bytes", std::to_string(size));

  EXPECT_EQ(loaded_zxid, zxid);
  EXPECT_EQ(loaded.NodeCount(), tree.NodeCount());
  EXPECT_EQ(loaded_sessions.size(), sessions.size());
  EXPECT_EQ(loaded.ApproximateDataSize(), tree.ApproximateDataSize());
  data::Stat a, b;
  ASSERT_EQ(tree.GetStat("/app0500/node-0000000777", &a), Err::kOk);
  ASSERT_EQ(loaded.GetStat("/app0500/node-0000000777", &b), Err::kOk);
  EXPECT_EQ(a, b);
  ASSERT_EQ(loaded.GetStat("/app0999", &b), Err::kOk);
  EXPECT_EQ(b.numChildren, kChildren);
}

}  // namespace
}  // namespace zk::storage
