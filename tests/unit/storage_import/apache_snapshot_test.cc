#include "server/storage/import/apache_snapshot.h"

#include <gtest/gtest.h>

#include "protocol/opcodes.h"
#include "server/tree/data_tree.h"
#include "tests/unit/storage_import/apache_files.h"

namespace zk::storage::apache {
namespace {

using testing::DigestAcl;
using testing::MakeStat;
using testing::SnapshotBuilder;

// A snapshot as ZooKeeper 3.8 writes it for a small tree: two sessions, a
// digest ACL, an ephemeral, binary data, and the digest and last-zxid sections.
SnapshotBuilder SmallTree() {
  SnapshotBuilder b;
  b.Session(0x1000000aa, 30000).Session(0x1000000bb, 6000);
  b.Acl(1, DigestAcl("alice:hash=", perms::kRead | perms::kWrite));
  b.Node({"", "", -1, MakeStat(0, 0, 5, 0, 2)});
  b.Node({"/zookeeper", "", -1, data::StatPersisted{}});
  b.Node({"/zookeeper/quota", "", -1, data::StatPersisted{}});
  b.Node({"/app", std::string("\x00\xff\x01", 3), 1, MakeStat(2, 4, 5, 3, 1, 1)});
  b.Node({"/app/eph", "", -1, MakeStat(5, 5, 5, 0, 0, 0, 0x1000000aa)});
  b.Node({"/empty", "", -1, MakeStat(3, 3, 3, 0, 0)});
  b.Node({"/null", "", -1, MakeStat(6, 6, 6, 0, 0), /*null_data=*/true});
  return b;
}

class Recorder : public SnapshotVisitor {
 public:
  Status Session(const SessionEntry& s) override {
    sessions.push_back(s);
    return Status::OK();
  }
  Status Acl(int64_t ref, const std::vector<data::ACL>& acl) override {
    acl_refs.push_back(ref);
    return Status::OK();
  }
  Status Node(std::string_view path, std::string_view data, bool data_null, int64_t acl_ref,
              const data::StatPersisted& stat) override {
    paths.emplace_back(path);
    nulls.push_back(data_null);
    return Status::OK();
  }
  std::vector<SessionEntry> sessions;
  std::vector<int64_t> acl_refs;
  std::vector<std::string> paths;
  std::vector<bool> nulls;
};

TEST(ApacheSnapshotTest, ParsesSessionsAclsAndNodesInFileOrderWithTheRootAsSlash) {
  Recorder r;
  SnapshotTrailer trailer;
  ASSERT_TRUE(ParseApacheSnapshot(SmallTree().Build(), &r, &trailer).ok());
  EXPECT_EQ(r.sessions, (std::vector<SessionEntry>{{0x1000000aa, 30000}, {0x1000000bb, 6000}}));
  EXPECT_EQ(r.acl_refs, std::vector<int64_t>{1});
  EXPECT_EQ(r.paths, (std::vector<std::string>{"/", "/zookeeper", "/zookeeper/quota", "/app",
                                               "/app/eph", "/empty", "/null"}));
  EXPECT_EQ(r.nulls, (std::vector<bool>{false, false, false, false, false, false, true}));
  EXPECT_EQ(trailer.dbid, -1);
  EXPECT_FALSE(trailer.has_digest);
  EXPECT_EQ(trailer.last_processed_zxid, -1);
}

TEST(ApacheSnapshotTest, LoadsEveryStatFieldDataAndAclIntoTheTree) {
  tree::DataTree tree;
  std::vector<SessionEntry> sessions;
  ASSERT_TRUE(LoadApacheSnapshot(SmallTree().Build(), &tree, &sessions).ok());
  EXPECT_EQ(sessions.size(), 2u);

  auto app = tree.Find("/app");
  ASSERT_TRUE(app.has_value());
  EXPECT_EQ(app->data(), std::string("\x00\xff\x01", 3));
  data::StatPersisted st = app->persisted_stat();
  EXPECT_EQ(st, MakeStat(2, 4, 5, 3, 1, 1));
  EXPECT_EQ(app->num_children(), 1);
  EXPECT_EQ(app->acl(), DigestAcl("alice:hash=", perms::kRead | perms::kWrite));

  auto eph = tree.Find("/app/eph");
  ASSERT_TRUE(eph.has_value());
  EXPECT_EQ(eph->ephemeral_owner(), 0x1000000aa);
  EXPECT_EQ(tree.EphemeralPaths(0x1000000aa), std::vector<std::string>{"/app/eph"});
  EXPECT_EQ(eph->acl()[0].id.scheme, "world");
  EXPECT_EQ(eph->acl()[0].perms, perms::kAll);

  auto root = tree.Find("/");
  ASSERT_TRUE(root.has_value());
  EXPECT_EQ(root->pzxid(), 5);
  EXPECT_EQ(root->cversion(), 2);
  EXPECT_TRUE(tree.Exists("/zookeeper/config"));  // kept although the file lacks it
}

TEST(ApacheSnapshotTest, KeepsNullDataApartFromEmptyData) {
  tree::DataTree tree;
  std::vector<SessionEntry> sessions;
  ASSERT_TRUE(LoadApacheSnapshot(SmallTree().Build(), &tree, &sessions).ok());
  std::string data = "stale";
  bool data_null = false;
  ASSERT_EQ(tree.GetData("/null", &data, nullptr, &data_null), Err::kOk);
  EXPECT_TRUE(data_null);
  EXPECT_EQ(data, "");
  data_null = true;
  ASSERT_EQ(tree.GetData("/empty", &data, nullptr, &data_null), Err::kOk);
  EXPECT_FALSE(data_null);
}

TEST(ApacheSnapshotTest, ReadsTheDigestAndLastProcessedZxidSections) {
  SnapshotTrailer trailer;
  SnapshotVisitor ignore;
  ASSERT_TRUE(ParseApacheSnapshot(SmallTree().Digest(0x41).LastProcessedZxid(0x45).Build(), &ignore,
                                  &trailer)
                  .ok());
  EXPECT_TRUE(trailer.has_digest);
  EXPECT_EQ(trailer.digest_zxid, 0x41);
  EXPECT_EQ(trailer.last_processed_zxid, 0x45);

  ASSERT_TRUE(
      ParseApacheSnapshot(SmallTree().LastProcessedZxid(0x46).Build(), &ignore, &trailer).ok());
  EXPECT_FALSE(trailer.has_digest);
  EXPECT_EQ(trailer.last_processed_zxid, 0x46);
}

TEST(ApacheSnapshotTest, RejectsAFlippedByteThroughTheChecksum) {
  std::string stream = SmallTree().Build();
  size_t at = stream.find("alice");
  ASSERT_NE(at, std::string::npos);
  stream[at] = 'A';
  SnapshotVisitor ignore;
  Status s = ParseApacheSnapshot(stream, &ignore);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(s.ToString().find("checksum"), std::string::npos) << s.ToString();
}

TEST(ApacheSnapshotTest, RejectsATruncatedStreamAtEveryLength) {
  std::string stream = SmallTree().Build();
  SnapshotVisitor ignore;
  for (size_t len = 0; len < stream.size(); ++len) {
    EXPECT_FALSE(ParseApacheSnapshot(stream.substr(0, len), &ignore).ok()) << "length " << len;
  }
}

TEST(ApacheSnapshotTest, RejectsAnotherFileTypeOrVersion) {
  std::string stream = SmallTree().Build();
  SnapshotVisitor ignore;
  std::string log_magic = stream;
  log_magic.replace(0, 4, "ZKLG");
  EXPECT_TRUE(ParseApacheSnapshot(log_magic, &ignore).IsCorruption());
  std::string version = stream;
  version[7] = 3;
  EXPECT_TRUE(ParseApacheSnapshot(version, &ignore).IsCorruption());
}

TEST(ApacheSnapshotTest, RejectsADamagedDigestSectionButIgnoresOneCutShort) {
  std::string stream = SmallTree().Digest(0x41).Build();
  SnapshotVisitor ignore;
  SnapshotTrailer trailer;
  size_t digest_at = SmallTree().Build().size();
  std::string damaged = stream;
  damaged[digest_at + 7] ^= 1;  // the digest's zxid
  Status s = ParseApacheSnapshot(damaged, &ignore, &trailer);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();

  // Fewer bytes than any section holds: a write cut short, which ZooKeeper skips.
  ASSERT_TRUE(ParseApacheSnapshot(stream.substr(0, digest_at + 20), &ignore, &trailer).ok());
  EXPECT_FALSE(trailer.has_digest);
  EXPECT_TRUE(ParseApacheSnapshot(stream.substr(0, digest_at + 21), &ignore).IsCorruption());
}

TEST(ApacheSnapshotTest, RejectsANodeWhoseAclReferenceIsNotInTheCache) {
  SnapshotBuilder b;
  b.SystemNodes().Node({"/a", "", 7, MakeStat(1, 1, 1, 0, 0)});
  tree::DataTree tree;
  std::vector<SessionEntry> sessions;
  EXPECT_TRUE(LoadApacheSnapshot(b.Build(), &tree, &sessions).IsCorruption());
}

TEST(ApacheSnapshotTest, InflatesAGzipSnapshotAndRejectsATruncatedOne) {
  std::string stream = SmallTree().Build();
  std::string gz = testing::Gzip(stream);
  std::string out;
  ASSERT_TRUE(Decompress(gz, Compression::kGzip, &out).ok());
  EXPECT_EQ(out, stream);
  EXPECT_FALSE(Decompress(gz.substr(0, gz.size() / 2), Compression::kGzip, &out).ok());
  EXPECT_FALSE(Decompress(stream, Compression::kGzip, &out).ok());
}

TEST(ApacheSnapshotTest, ParsesFileNamesWithTheirCompression) {
  int64_t zxid = 0;
  Compression c;
  ASSERT_TRUE(ParseSnapshotName("snapshot.1a2b", &zxid, &c));
  EXPECT_EQ(zxid, 0x1a2b);
  EXPECT_EQ(c, Compression::kNone);
  ASSERT_TRUE(ParseSnapshotName("snapshot.100000003.gz", &zxid, &c));
  EXPECT_EQ(zxid, 0x100000003);
  EXPECT_EQ(c, Compression::kGzip);
  ASSERT_TRUE(ParseSnapshotName("snapshot.0.snappy", &zxid, &c));
  EXPECT_EQ(c, Compression::kSnappy);
  EXPECT_FALSE(ParseSnapshotName("snapshot.12.tmp", &zxid, &c));
  EXPECT_FALSE(ParseSnapshotName("snapshot.", &zxid, &c));
  EXPECT_FALSE(ParseSnapshotName("log.12", &zxid, &c));
  EXPECT_FALSE(ParseSnapshotName("snapshot.xyz", &zxid, &c));
}

}  // namespace
}  // namespace zk::storage::apache
