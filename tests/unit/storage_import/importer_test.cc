#include "server/storage/import/importer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "protocol/opcodes.h"
#include "server/pipeline/txn_applier.h"
#include "server/storage/layout.h"
#include "server/storage/recovery.h"
#include "server/storage/txn_log.h"
#include "server/tree/data_tree.h"
#include "tests/unit/storage_import/apache_files.h"

namespace zk::storage::apache {
namespace {

namespace fs = std::filesystem;
using testing::MakeStat;
using testing::SnapshotBuilder;

const std::vector<data::ACL> kOpen = {data::ACL{perms::kAll, data::Id{"world", "anyone"}}};

class ImporterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::path(::testing::TempDir()) / (std::string("import_") + info->name());
    fs::remove_all(root_);
    fs::create_directories(VersionDir());
  }
  void TearDown() override { fs::remove_all(root_); }

  std::string ApacheDir() const { return (root_ / "apache").string(); }
  std::string VersionDir() const { return (root_ / "apache" / "version-2").string(); }
  std::string OurDir() const { return (root_ / "ours").string(); }
  void Put(const std::string& name, const std::string& bytes) const {
    testing::WriteFile(VersionDir() + "/" + name, bytes);
  }

  Status Load(tree::DataTree* tree, LoadResult* result) const {
    return LoadApacheData(FileEnv::Default(), ApacheDirs{ApacheDir(), ""}, tree, result);
  }

  fs::path root_;
};

pipeline::Txn Txn(OpCode type, int64_t zxid, pipeline::TxnBody body, int64_t session = 0) {
  pipeline::Txn txn;
  txn.header.clientId = session;
  txn.header.cxid = static_cast<int32_t>(zxid);
  txn.header.zxid = zxid;
  txn.header.time = 1700000000000 + zxid;
  txn.header.type = static_cast<int32_t>(type);
  txn.body = std::move(body);
  return txn;
}

pipeline::Txn Create(int64_t zxid, const std::string& path, const std::string& data,
                     int32_t parent_cversion, int64_t ephemeral_session = 0) {
  txn::CreateTxn body;
  body.path = path;
  body.data = data;
  body.acl = kOpen;
  body.ephemeral = ephemeral_session != 0;
  body.parentCVersion = parent_cversion;
  return Txn(OpCode::kCreate, zxid, body, ephemeral_session);
}

pipeline::Txn SetData(int64_t zxid, const std::string& path, const std::string& data,
                      int32_t version) {
  txn::SetDataTxn body;
  body.path = path;
  body.data = data;
  body.version = version;
  return Txn(OpCode::kSetData, zxid, body);
}

pipeline::Txn Delete(int64_t zxid, const std::string& path) {
  txn::DeleteTxn body;
  body.path = path;
  return Txn(OpCode::kDelete, zxid, body);
}

pipeline::Txn CreateSession(int64_t zxid, int64_t session, int32_t timeout) {
  txn::CreateSessionTxn body;
  body.timeOut = timeout;
  return Txn(OpCode::kCreateSession, zxid, body, session);
}

pipeline::Txn CloseSession(int64_t zxid, int64_t session, std::vector<std::string> paths) {
  txn::CloseSessionTxn body;
  body.paths2Delete = std::move(paths);
  return Txn(OpCode::kCloseSession, zxid, body, session);
}

std::string Dump(const tree::DataTree& tree) {
  std::ostringstream out;
  tree.ForEachNode([&](const tree::NodeView& node) {
    data::StatPersisted s = node.persisted_stat();
    out << node.path() << " data=" << node.data() << " czxid=" << s.czxid << " mzxid=" << s.mzxid
        << " pzxid=" << s.pzxid << " ctime=" << s.ctime << " mtime=" << s.mtime
        << " version=" << s.version << " cversion=" << s.cversion << " aversion=" << s.aversion
        << " owner=" << s.ephemeralOwner << " children=" << node.num_children() << " acl=";
    for (const data::ACL& a : node.acl()) out << a.id.scheme << ":" << a.id.id << ":" << a.perms;
    out << "\n";
  });
  return out.str();
}

// History 1..4 in snapshot.4; 5..8 only in the log, which starts at 1.
std::vector<pipeline::Txn> History() {
  return {CreateSession(1, 0x10, 30000),
          Create(2, "/a", "one", 1),
          Create(3, "/a/b", "two", 1),
          SetData(4, "/a", "three", 1),
          Create(5, "/a/e", "", 2, 0x10),
          SetData(6, "/a/b", "four", 1),
          Delete(7, "/a/b"),
          CreateSession(8, 0x20, 6000)};
}

SnapshotBuilder SnapshotAt4() {
  data::StatPersisted root;
  root.pzxid = 2;
  root.cversion = 1;
  SnapshotBuilder b;
  b.Session(0x10, 30000);
  b.Node({"", "", -1, root});
  b.Node({"/zookeeper", "", -1, data::StatPersisted{}});
  b.Node({"/zookeeper/quota", "", -1, data::StatPersisted{}});
  b.Node({"/a", "three", -1, MakeStat(2, 4, 3, 1, 1)});
  b.Node({"/a/b", "two", -1, MakeStat(3, 3, 3, 0, 0)});
  return b;
}

// The tree and sessions our own replay of the whole history gives.
std::string ExpectedAfter(const std::vector<pipeline::Txn>& txns) {
  tree::DataTree tree;
  for (const pipeline::Txn& txn : txns) pipeline::ApplyTxn(tree, txn);
  return Dump(tree);
}

TEST_F(ImporterTest, ReplaysTheLogAfterTheNewestSnapshotOnly) {
  std::vector<pipeline::Txn> history = History();
  Put("snapshot.0", SnapshotBuilder().SystemNodes().Build());
  Put("snapshot.4", SnapshotAt4().Build());
  Put("log.1", testing::BuildLog(history));
  tree::DataTree tree;
  LoadResult result;
  ASSERT_TRUE(Load(&tree, &result).ok());
  EXPECT_EQ(result.snapshot_zxid, 4);
  EXPECT_EQ(result.replayed, 4u);
  EXPECT_EQ(result.last_zxid, 8);
  EXPECT_TRUE(result.torn_tail.empty());
  EXPECT_EQ(Dump(tree), ExpectedAfter(history));
  EXPECT_EQ(result.sessions, (std::vector<SessionEntry>{{0x10, 30000}, {0x20, 6000}}));
}

TEST_F(ImporterTest, ReadsLogsSpreadOverSeveralFilesAndADataLogDir) {
  std::vector<pipeline::Txn> history = History();
  fs::create_directories(root_ / "txnlogs" / "version-2");
  std::string log_dir = (root_ / "txnlogs").string();
  Put("snapshot.4", SnapshotAt4().Build());
  testing::WriteFile(log_dir + "/version-2/log.1",
                     testing::BuildLog({history.begin(), history.begin() + 5}));
  testing::WriteFile(log_dir + "/version-2/log.6",
                     testing::BuildLog({history.begin() + 5, history.end()}));
  tree::DataTree tree;
  LoadResult result;
  ASSERT_TRUE(
      LoadApacheData(FileEnv::Default(), ApacheDirs{VersionDir(), log_dir}, &tree, &result).ok());
  EXPECT_EQ(result.log_files, 2u);
  EXPECT_EQ(result.last_zxid, 8);
  EXPECT_EQ(Dump(tree), ExpectedAfter(history));
}

TEST_F(ImporterTest, FallsBackToAnOlderSnapshotWhenTheNewestIsDamaged) {
  std::vector<pipeline::Txn> history = History();
  Put("snapshot.0", SnapshotBuilder().SystemNodes().Build());
  std::string damaged = SnapshotAt4().Build();
  damaged[damaged.find("three")] = 'T';
  Put("snapshot.4", damaged);
  Put("log.1", testing::BuildLog(history));
  tree::DataTree tree;
  LoadResult result;
  ASSERT_TRUE(Load(&tree, &result).ok());
  EXPECT_EQ(result.snapshot_zxid, 0);
  ASSERT_EQ(result.skipped.size(), 1u);
  EXPECT_NE(result.skipped[0].find("snapshot.4"), std::string::npos);
  EXPECT_EQ(result.replayed, 8u);
  EXPECT_EQ(Dump(tree), ExpectedAfter(history));
}

TEST_F(ImporterTest, LoadsAGzipSnapshot) {
  Put("snapshot.4.gz", testing::Gzip(SnapshotAt4().Build()));
  Put("log.1", testing::BuildLog(History()));
  tree::DataTree tree;
  LoadResult result;
  ASSERT_TRUE(Load(&tree, &result).ok());
  EXPECT_EQ(result.snapshot_zxid, 4);
  EXPECT_EQ(Dump(tree), ExpectedAfter(History()));
}

TEST_F(ImporterTest, LoadsASnappySnapshotInsteadOfFallingBackToAnOlderOne) {
  Put("snapshot.0", SnapshotBuilder().SystemNodes().Build());
  Put("snapshot.4.snappy", testing::SnappyJava(SnapshotAt4().Build(), 64));
  Put("log.1", testing::BuildLog(History()));
  tree::DataTree tree;
  LoadResult result;
  ASSERT_TRUE(Load(&tree, &result).ok());
  EXPECT_EQ(result.snapshot_zxid, 4);
  EXPECT_TRUE(result.skipped.empty());
  EXPECT_EQ(Dump(tree), ExpectedAfter(History()));
}

TEST_F(ImporterTest, FallsBackWhenTheNewestSnappySnapshotIsTruncated) {
  Put("snapshot.0", SnapshotBuilder().SystemNodes().Build());
  std::string file = testing::SnappyJava(SnapshotAt4().Build(), 64);
  Put("snapshot.4.snappy", file.substr(0, file.size() - 5));
  Put("log.1", testing::BuildLog(History()));
  tree::DataTree tree;
  LoadResult result;
  ASSERT_TRUE(Load(&tree, &result).ok());
  EXPECT_EQ(result.snapshot_zxid, 0);
  ASSERT_EQ(result.skipped.size(), 1u);
  EXPECT_NE(result.skipped[0].find("snappy"), std::string::npos) << result.skipped[0];
  EXPECT_EQ(Dump(tree), ExpectedAfter(History()));
}

TEST_F(ImporterTest, StopsAtATornTailOfTheLastLog) {
  std::vector<pipeline::Txn> history = History();
  Put("snapshot.4", SnapshotAt4().Build());
  std::string log = testing::BuildLog(history, 0);
  log.resize(log.size() - 3);  // the last record is cut short
  Put("log.1", log);
  tree::DataTree tree;
  LoadResult result;
  ASSERT_TRUE(Load(&tree, &result).ok());
  EXPECT_EQ(result.last_zxid, 7);
  EXPECT_NE(result.torn_tail.find("truncated record"), std::string::npos) << result.torn_tail;
  EXPECT_EQ(Dump(tree), ExpectedAfter({history.begin(), history.begin() + 7}));
  EXPECT_EQ(result.sessions, (std::vector<SessionEntry>{{0x10, 30000}}));
}

TEST_F(ImporterTest, RefusesToSkipTxnsMissingBetweenTheSnapshotAndTheLogs) {
  std::vector<pipeline::Txn> history = History();
  Put("snapshot.4", SnapshotAt4().Build());
  Put("log.6", testing::BuildLog({history.begin() + 5, history.end()}));
  tree::DataTree tree;
  LoadResult result;
  Status s = Load(&tree, &result);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(s.ToString().find("missing"), std::string::npos) << s.ToString();
}

TEST_F(ImporterTest, RefusesADamagedMiddleFileThatLosesTxns) {
  std::vector<pipeline::Txn> history = History();
  Put("snapshot.4", SnapshotAt4().Build());
  std::string first = testing::BuildLog({history.begin(), history.begin() + 6}, 0);
  first.resize(first.size() - 2);  // txn 6 is lost
  Put("log.1", first);
  Put("log.7", testing::BuildLog({history.begin() + 6, history.end()}));
  tree::DataTree tree;
  LoadResult result;
  EXPECT_TRUE(Load(&tree, &result).IsCorruption());
}

TEST_F(ImporterTest, ClosingASessionRemovesItAndItsEphemerals) {
  std::vector<pipeline::Txn> history = History();
  history.push_back(CloseSession(9, 0x10, {"/a/e"}));
  Put("snapshot.4", SnapshotAt4().Build());
  Put("log.1", testing::BuildLog(history));
  tree::DataTree tree;
  LoadResult result;
  ASSERT_TRUE(Load(&tree, &result).ok());
  EXPECT_FALSE(tree.Exists("/a/e"));
  EXPECT_EQ(result.sessions, (std::vector<SessionEntry>{{0x20, 6000}}));
}

// A fuzzy snapshot: named 4 but /a/c (zxid 5, which made /a's cversion 2)
// got in while /a itself was serialized earlier, with cversion 1.
TEST_F(ImporterTest, ACreateFoundInAFuzzySnapshotStillAdvancesItsParent) {
  SnapshotBuilder b = SnapshotAt4();
  b.Node({"/a/c", "c", -1, MakeStat(5, 5, 5, 0, 0)});
  Put("snapshot.4", b.Build());
  Put("log.1", testing::BuildLog({Create(5, "/a/c", "c", 2)}));
  tree::DataTree tree;
  LoadResult result;
  ASSERT_TRUE(Load(&tree, &result).ok());
  auto a = tree.Find("/a");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->cversion(), 2);
  EXPECT_EQ(a->pzxid(), 5);
  EXPECT_EQ(result.last_zxid, 5);
}

TEST_F(ImporterTest, ACreate2FoundInASnapshotLeavesItsParentAsZooKeeperDoes) {
  SnapshotBuilder b = SnapshotAt4();
  b.Node({"/a/c", "c", -1, MakeStat(5, 5, 5, 0, 0)});
  Put("snapshot.4", b.Build());
  pipeline::Txn create2 = Create(5, "/a/c", "c", 2);
  create2.header.type = static_cast<int32_t>(OpCode::kCreate2);
  Put("log.1", testing::BuildLog({create2}));
  tree::DataTree tree;
  LoadResult result;
  ASSERT_TRUE(Load(&tree, &result).ok());
  EXPECT_EQ(tree.Find("/a")->cversion(), 1);
  EXPECT_EQ(tree.Find("/a")->pzxid(), 3);
}

TEST_F(ImporterTest, FailsOnAnEmptyDirectory) {
  tree::DataTree tree;
  LoadResult result;
  EXPECT_TRUE(Load(&tree, &result).IsNotFound());
}

TEST_F(ImporterTest, WritesADataDirOurRecoveryLoadsUnchanged) {
  std::vector<pipeline::Txn> history = History();
  Put("snapshot.4", SnapshotAt4().Digest(4).LastProcessedZxid(4).Build());
  Put("log.1", testing::BuildLog(history, 128, true));
  ImportOptions options;
  options.from.data_dir = ApacheDir();
  options.data_dir = OurDir();
  ImportResult imported;
  Status s = ImportApacheData(FileEnv::Default(), options, &imported);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(imported.loaded.last_zxid, 8);

  StorageDirs dirs = DirsFor(OurDir());
  std::unique_ptr<TxnLog> log;
  TxnLogOptions log_options;
  log_options.dir = dirs.log_dir;
  ASSERT_TRUE(TxnLog::Open(log_options, &log).ok());
  tree::DataTree tree;
  RecoveryResult recovered;
  ASSERT_TRUE(Recover(FileEnv::Default(), dirs.snap_dir, log.get(), &tree, &recovered).ok());
  EXPECT_EQ(recovered.last_zxid, 8);
  EXPECT_EQ(recovered.snapshot_zxid, 8);
  EXPECT_EQ(Dump(tree), ExpectedAfter(history));
  EXPECT_EQ(recovered.sessions, (std::vector<SessionEntry>{{0x10, 30000}, {0x20, 6000}}));
}

TEST_F(ImporterTest, RefusesADestinationThatAlreadyHasData) {
  Put("snapshot.4", SnapshotAt4().Build());
  ImportOptions options;
  options.from.data_dir = ApacheDir();
  options.data_dir = OurDir();
  ImportResult imported;
  ASSERT_TRUE(ImportApacheData(FileEnv::Default(), options, &imported).ok());
  Status again = ImportApacheData(FileEnv::Default(), options, &imported);
  EXPECT_TRUE(again.IsInvalidArgument()) << again.ToString();
}

}  // namespace
}  // namespace zk::storage::apache
