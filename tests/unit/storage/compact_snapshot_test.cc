// The compact (version 3) snapshot encoding, and reading the version-1 and
// version-2 files that older data directories hold.
#include <gtest/gtest.h>
#include <snappy.h>

#include <climits>
#include <cstdio>
#include <random>

#include "jute/archive.h"
#include "server/storage/byte_order.h"
#include "server/storage/crc32c.h"
#include "server/storage/snapshot.h"
#include "server/storage/snapshot_format.h"
#include "server/storage/varint.h"
#include "tests/unit/storage/test_util.h"

namespace zk::storage {
namespace {

using testing::DumpTree;
namespace fmt = snapshot_format;

// Writes `tree` the way version 1 did: every section in Jute, uncompressed.
std::string EncodeVersion1(const tree::DataTree& tree, const std::vector<SessionEntry>& sessions,
                           int64_t zxid) {
  std::string out(fmt::kMagic);
  PutBigEndian32(&out, 1);
  PutBigEndian64(&out, static_cast<uint64_t>(zxid));
  jute::OutputArchive archive(&out);
  archive.WriteInt(static_cast<int32_t>(sessions.size()));
  for (const SessionEntry& s : sessions) {
    archive.WriteLong(s.id);
    archive.WriteInt(s.timeout_ms);
  }
  std::vector<std::pair<int64_t, std::vector<data::ACL>>> acls;
  tree.ForEachNode([&](const tree::NodeView& node) {
    for (const auto& [ref, acl] : acls) {
      if (ref == node.acl_id()) return;
    }
    acls.emplace_back(node.acl_id(), node.acl());
  });
  archive.WriteInt(static_cast<int32_t>(acls.size()));
  for (const auto& [ref, acl] : acls) {
    archive.WriteLong(ref);
    archive.WriteVectorSize(static_cast<int32_t>(acl.size()));
    for (const data::ACL& entry : acl) entry.Serialize(archive);
  }
  archive.WriteLong(static_cast<int64_t>(tree.NodeCount()));
  tree.ForEachNode([&](const tree::NodeView& node) {
    archive.WriteString(node.path());
    archive.WriteBuffer(node.data());
    archive.WriteLong(node.acl_id());
    node.persisted_stat().Serialize(archive);
  });
  uint32_t crc = crc32c::Extend(0, out.data(), out.size());
  uint64_t length = out.size();
  PutBigEndian64(&out, length);
  PutBigEndian32(&out, crc);
  return out;
}

// Writes `tree` the way version 2 did: compact records in one snappy block,
// data as a plain length (no null), every ACL list defined inline.
std::string EncodeVersion2(const tree::DataTree& tree, int64_t zxid) {
  std::string raw;
  PutVarint64(&raw, 0);  // no sessions
  PutVarint64(&raw, tree.NodeCount());
  std::string prev_path;
  int64_t prev_czxid = 0, prev_ctime = 0;
  uint64_t ref = 0;
  tree.ForEachNode([&](const tree::NodeView& node) {
    std::string path(node.path());
    size_t shared = 0;
    while (shared < prev_path.size() && shared < path.size() && prev_path[shared] == path[shared]) {
      ++shared;
    }
    PutVarint64(&raw, shared);
    PutVarint64(&raw, path.size() - shared);
    raw.append(path.substr(shared));
    PutVarint64(&raw, node.data().size());
    raw.append(node.data());
    PutVarint64(&raw, 0);
    PutVarint64(&raw, ref++);
    PutVarint64(&raw, node.acl().size());
    for (const data::ACL& a : node.acl()) {
      PutSignedVarint(&raw, a.perms);
      PutVarint64(&raw, a.id.scheme.size());
      raw.append(a.id.scheme);
      PutVarint64(&raw, a.id.id.size());
      raw.append(a.id.id);
    }
    PutSignedVarint(&raw, node.czxid() - prev_czxid);
    PutSignedVarint(&raw, node.mzxid() - node.czxid());
    PutSignedVarint(&raw, node.pzxid() - node.czxid());
    PutSignedVarint(&raw, node.ctime() - prev_ctime);
    PutSignedVarint(&raw, node.mtime() - node.ctime());
    PutSignedVarint(&raw, node.version());
    PutSignedVarint(&raw, node.cversion());
    PutSignedVarint(&raw, node.aversion());
    PutSignedVarint(&raw, node.ephemeral_owner());
    prev_path = path;
    prev_czxid = node.czxid();
    prev_ctime = node.ctime();
  });
  std::string compressed;
  snappy::Compress(raw.data(), raw.size(), &compressed);
  std::string out(fmt::kMagic);
  PutBigEndian32(&out, 2);
  PutBigEndian64(&out, static_cast<uint64_t>(zxid));
  PutBigEndian32(&out, static_cast<uint32_t>(compressed.size()));
  out += compressed;
  uint32_t crc = crc32c::Extend(0, out.data(), out.size());
  uint64_t length = out.size();
  PutBigEndian64(&out, length);
  PutBigEndian32(&out, crc);
  return out;
}

std::string Encode(const tree::DataTree& tree, const std::vector<SessionEntry>& sessions,
                   int64_t zxid) {
  SnapshotImage image = SerializeSnapshot(tree, sessions, zxid);
  std::string bytes;
  for (const std::string& piece : image.pieces) bytes += piece;
  uint32_t crc = crc32c::Extend(0, bytes.data(), bytes.size());
  uint64_t length = bytes.size();
  PutBigEndian64(&bytes, length);
  PutBigEndian32(&bytes, crc);
  return bytes;
}

std::string RoundTrip(const std::string& bytes, std::vector<SessionEntry>* sessions = nullptr) {
  tree::DataTree loaded;
  std::vector<SessionEntry> local;
  int64_t zxid = 0;
  Status s = LoadSnapshot(bytes, &loaded, sessions != nullptr ? sessions : &local, &zxid);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return DumpTree(loaded);
}

TEST(Varint, ValuesOfEveryMagnitudeAndSignRoundTrip) {
  std::vector<int64_t> values = {0,   1,    -1,        63,        -64,       64,
                                 300, -300, INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN};
  std::string out;
  for (int64_t v : values) PutSignedVarint(&out, v);
  VarintReader in(out);
  for (int64_t v : values) {
    int64_t got = 0;
    ASSERT_TRUE(in.ReadSigned(&got));
    EXPECT_EQ(got, v);
  }
  EXPECT_TRUE(in.AtEnd());
}

TEST(Varint, ATruncatedNumberFailsInsteadOfReadingOn) {
  std::string out;
  PutVarint64(&out, uint64_t{1} << 40);
  out.pop_back();
  VarintReader in(out);
  uint64_t v;
  EXPECT_FALSE(in.ReadVarint64(&v));
  EXPECT_FALSE(in.ok());
}

TEST(CompactSnapshot, ExtremeStatValuesAndOwnersRoundTrip) {
  tree::DataTree tree(tree::DataTreeOptions{true});
  std::vector<data::ACL> open = testing::OpenAcl();
  // A container's owner is Long.MIN_VALUE; a session id has the top byte set.
  ASSERT_EQ(tree.CreateNode("/c", "", open, INT64_MIN, -1, 0x7fffffff00000001, 1), Err::kOk);
  ASSERT_EQ(tree.CreateNode("/c/e", "x", open, 0x7a00000000000001, -1, 5, INT64_MAX / 2), Err::kOk);
  ASSERT_EQ(tree.CreateNode("/z", std::string(3, '\0'), open, 0, -1, 6, -5), Err::kOk);
  ASSERT_EQ(tree.SetData("/z", "later", 0, 0x100000000, 1700000000000), Err::kOk);
  std::vector<SessionEntry> sessions = {{INT64_MIN, 1}, {0x7a00000000000001, INT32_MAX}};
  std::vector<SessionEntry> loaded_sessions;
  EXPECT_EQ(RoundTrip(Encode(tree, sessions, 42), &loaded_sessions), DumpTree(tree));
  EXPECT_EQ(loaded_sessions, sessions);
}

TEST(CompactSnapshot, ATreeSpanningManyBlocksRoundTrips) {
  tree::DataTree tree;
  std::vector<data::ACL> open = testing::OpenAcl();
  std::vector<data::ACL> digest = {data::ACL{perms::kRead, data::Id{"digest", "u:h="}}};
  std::mt19937 random(7);
  char path[64];
  int64_t zxid = 0;
  for (int p = 0; p < 20; ++p) {
    std::snprintf(path, sizeof(path), "/parent-%02d", p);
    ++zxid;
    ASSERT_EQ(tree.CreateNode(path, "", p % 2 ? open : digest, 0, -1, zxid, zxid), Err::kOk);
    for (int c = 0; c < 200; ++c) {
      std::snprintf(path, sizeof(path), "/parent-%02d/child-%05d", p, c);
      // Data that does not compress, so the blocks really fill up.
      std::string data(static_cast<size_t>(c * 7 % 900), '\0');
      for (char& b : data) b = static_cast<char>(random());
      ++zxid;
      ASSERT_EQ(tree.CreateNode(path, data, c % 3 ? open : digest, 0, -1, zxid, zxid + c),
                Err::kOk);
    }
  }
  std::string bytes = Encode(tree, {}, zxid);
  ASSERT_GT(bytes.size(), 8 * fmt::kBlockTarget);  // many blocks
  EXPECT_EQ(RoundTrip(bytes), DumpTree(tree));
}

TEST(CompactSnapshot, AVersionOneFileStillLoads) {
  tree::DataTree tree;
  std::vector<data::ACL> digest = {data::ACL{perms::kAll, data::Id{"digest", "u:h="}}};
  ASSERT_EQ(tree.CreateNode("/a", "one", testing::OpenAcl(), 0, -1, 3, 100), Err::kOk);
  ASSERT_EQ(tree.CreateNode("/a/b", "two", digest, 0x55, -1, 4, 101), Err::kOk);
  std::vector<SessionEntry> sessions = {{0x55, 9000}};
  std::string v1 = EncodeVersion1(tree, sessions, 4);
  ASSERT_TRUE(VerifySnapshot(v1).ok());
  std::vector<SessionEntry> loaded_sessions;
  EXPECT_EQ(RoundTrip(v1, &loaded_sessions), DumpTree(tree));
  EXPECT_EQ(loaded_sessions, sessions);
}

TEST(CompactSnapshot, AVersionTwoFileStillLoads) {
  tree::DataTree tree;
  std::vector<data::ACL> digest = {data::ACL{perms::kAll, data::Id{"digest", "u:h="}}};
  ASSERT_EQ(tree.CreateNode("/a", "one", testing::OpenAcl(), 0, -1, 3, 100), Err::kOk);
  ASSERT_EQ(tree.CreateNode("/a/b", "", digest, 0x55, -1, 4, 101), Err::kOk);
  ASSERT_EQ(tree.SetData("/a", "three", 0, 5, 102), Err::kOk);
  std::string v2 = EncodeVersion2(tree, 5);
  ASSERT_TRUE(VerifySnapshot(v2).ok());
  EXPECT_EQ(RoundTrip(v2), DumpTree(tree));
}

TEST(CompactSnapshot, NullAndEmptyDataStayDistinct) {
  tree::DataTree tree;
  std::vector<data::ACL> open = testing::OpenAcl();
  ASSERT_EQ(tree.CreateNode("/null", "", open, 0, -1, 1, 1, nullptr, /*data_null=*/true), Err::kOk);
  ASSERT_EQ(tree.CreateNode("/empty", "", open, 0, -1, 2, 2), Err::kOk);
  ASSERT_EQ(tree.CreateNode("/full", "x", open, 0, -1, 3, 3), Err::kOk);
  ASSERT_EQ(tree.CreateNode("/reset", "y", open, 0, -1, 4, 4), Err::kOk);
  ASSERT_EQ(tree.SetData("/reset", "", 0, 5, 5, nullptr, /*data_null=*/true), Err::kOk);

  tree::DataTree loaded;
  std::vector<SessionEntry> sessions;
  int64_t zxid = 0;
  ASSERT_TRUE(LoadSnapshot(Encode(tree, {}, 5), &loaded, &sessions, &zxid).ok());
  EXPECT_EQ(DumpTree(loaded), DumpTree(tree));
  for (const auto& [path, want_null] : std::vector<std::pair<std::string, bool>>{
           {"/null", true}, {"/empty", false}, {"/full", false}, {"/reset", true}}) {
    std::string data = "stale";
    bool data_null = !want_null;
    ASSERT_EQ(loaded.GetData(path, &data, nullptr, &data_null), Err::kOk) << path;
    EXPECT_EQ(data_null, want_null) << path;
    if (want_null) {
      EXPECT_EQ(data, "") << path;
    }
  }
}

TEST(CompactSnapshot, AnUnknownVersionIsRejected) {
  tree::DataTree tree;
  std::string bytes = Encode(tree, {}, 1);
  bytes[7] = 9;  // version 9
  EXPECT_TRUE(VerifySnapshot(bytes).IsCorruption());
}

TEST(CompactSnapshot, BlocksThatDoNotDecompressAreCorruptionNotACrash) {
  tree::DataTree tree;
  for (int i = 0; i < 50; ++i) {
    ASSERT_EQ(
        tree.CreateNode("/n" + std::to_string(i), "data", testing::OpenAcl(), 0, -1, i + 1, i),
        Err::kOk);
  }
  std::string good = Encode(tree, {{1, 2}}, 50);
  // Damage every body byte in turn and fix up the checksum, as a bug in a
  // writer would: parsing must fail cleanly or load something, never crash.
  size_t body_end = good.size() - fmt::kTrailerSize;
  int rejected = 0;
  for (size_t i = fmt::kHeaderSize; i < body_end; ++i) {
    std::string bad = good.substr(0, body_end);
    bad[i] = static_cast<char>(bad[i] ^ 0x5a);
    uint32_t crc = crc32c::Extend(0, bad.data(), bad.size());
    PutBigEndian64(&bad, body_end);
    PutBigEndian32(&bad, crc);
    tree::DataTree loaded;
    std::vector<SessionEntry> sessions;
    int64_t zxid;
    if (!LoadSnapshot(bad, &loaded, &sessions, &zxid).ok()) ++rejected;
  }
  EXPECT_GT(rejected, 0);
}

TEST(CompactSnapshot, IsAtMostHalfTheSizeOfVersionOneForSmallNodes) {
  tree::DataTree tree;
  std::vector<data::ACL> open = testing::OpenAcl();
  std::string value(100, 'v');  // what the benchmarks write
  ASSERT_EQ(tree.CreateNode("/zkload", "", open, 0, -1, 1, 1700000000000), Err::kOk);
  char path[64];
  for (int i = 0; i < 20000; ++i) {
    std::snprintf(path, sizeof(path), "/zkload/s%d-%d", i % 32, i / 32);
    ASSERT_EQ(tree.CreateNode(path, value, open, 0, -1, i + 2, 1700000000000 + i / 20), Err::kOk);
  }
  size_t v1 = EncodeVersion1(tree, {}, 20001).size();
  size_t v2 = Encode(tree, {}, 20001).size();
  std::printf("20000 znodes of 100 B: version 1 %.1f B/znode, version 2 %.1f B/znode\n",
              static_cast<double>(v1) / 20000, static_cast<double>(v2) / 20000);
  EXPECT_LE(v2 * 2, v1);
}

}  // namespace
}  // namespace zk::storage
