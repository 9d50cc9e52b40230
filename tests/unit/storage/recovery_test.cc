#include "server/storage/recovery.h"

#include <gtest/gtest.h>
#include <leveldb/db.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "server/pipeline/txn_applier.h"
#include "server/storage/log_format.h"
#include "server/storage/snapshot.h"
#include "server/storage/txn_log.h"
#include "tests/unit/storage/fault_env.h"
#include "tests/unit/storage/test_util.h"

namespace zk::storage {
namespace {

using testing::AppendAll;
using testing::DumpTree;
using testing::MakeHistory;
using testing::ScratchDir;
using testing::TaskQueue;

// What the live server would hold after applying `txns`.
struct Reference {
  tree::DataTree tree;
  std::map<int64_t, int32_t> sessions;

  void Apply(const pipeline::Txn& txn) {
    pipeline::ApplyTxn(tree, txn);
    if (const auto* c = std::get_if<txn::CreateSessionTxn>(&txn.body)) {
      sessions[txn.header.clientId] = c->timeOut;
    } else if (std::holds_alternative<txn::CloseSessionTxn>(txn.body)) {
      sessions.erase(txn.header.clientId);
    }
  }
  void Reset() {
    tree.Reset();
    sessions.clear();
  }
  std::vector<SessionEntry> SessionList() const {
    std::vector<SessionEntry> out;
    for (const auto& [id, timeout] : sessions) out.push_back({id, timeout});
    return out;
  }
};

class RecoveryTest : public ::testing::Test {
 protected:
  std::string LogDir() const { return dir_.Sub("log"); }
  std::string SnapDir() const { return dir_.Sub("snap"); }

  std::unique_ptr<TxnLog> OpenLog() {
    TxnLogOptions options;
    options.dir = LogDir();
    std::unique_ptr<TxnLog> log;
    Status s = TxnLog::Open(options, &log);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return log;
  }

  // Logs all of `history`; snapshots the reference after each zxid in `snapshot_at`.
  void Run(const std::vector<pipeline::Txn>& history, std::vector<int64_t> snapshot_at = {}) {
    auto log = OpenLog();
    TaskQueue queue;
    log->Start(queue.Poster(), nullptr, nullptr);
    AppendAll(log.get(), &queue, history);
    for (const pipeline::Txn& txn : history) {
      reference_.Apply(txn);
      if (std::find(snapshot_at.begin(), snapshot_at.end(), txn.header.zxid) != snapshot_at.end()) {
        Snapshot(txn.header.zxid);
      }
    }
  }

  void Snapshot(int64_t zxid) {
    SnapshotImage image = SerializeSnapshot(reference_.tree, reference_.SessionList(), zxid);
    ASSERT_TRUE(WriteSnapshotFile(FileEnv::Default(), SnapDir(), image).ok());
  }

  Status Recover(tree::DataTree* tree, RecoveryResult* result) {
    auto log = OpenLog();
    return storage::Recover(FileEnv::Default(), SnapDir(), log.get(), tree, result);
  }

  // Recovery must give back exactly the reference state.
  void ExpectRecoversReference(const RecoveryResult& result, const tree::DataTree& tree,
                               int64_t last_zxid) {
    EXPECT_EQ(result.last_zxid, last_zxid);
    EXPECT_EQ(DumpTree(tree), DumpTree(reference_.tree));
    EXPECT_EQ(result.sessions, reference_.SessionList());
  }

  void FlipByte(const std::string& path, long offset_from_end) {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(offset_from_end, std::ios::end);
    char c;
    f.get(c);
    f.seekp(offset_from_end, std::ios::end);
    f.put(static_cast<char>(c ^ 0x5a));
  }

  // leveldb's newest write-ahead log file, where the latest txns sit until
  // they are compacted.
  std::string NewestLeveldbLogFile() {
    std::string newest;
    for (const auto& entry : std::filesystem::directory_iterator(LogDir())) {
      std::string name = entry.path().filename().string();
      if (name.size() > 4 && name.substr(name.size() - 4) == ".log" &&
          (newest.empty() || name > std::filesystem::path(newest).filename().string())) {
        newest = entry.path().string();
      }
    }
    return newest;
  }

  void PutRaw(int64_t zxid, const std::string& value) {
    leveldb::DB* raw = nullptr;
    ASSERT_TRUE(leveldb::DB::Open(leveldb::Options(), LogDir(), &raw).ok());
    std::unique_ptr<leveldb::DB> db(raw);
    ASSERT_TRUE(db->Put(leveldb::WriteOptions(), log_format::EncodeKey(zxid), value).ok());
  }

  ScratchDir dir_;
  Reference reference_;
};

TEST_F(RecoveryTest, AnEmptyDataDirectoryRecoversTheInitialTree) {
  tree::DataTree tree;
  RecoveryResult result;
  ASSERT_TRUE(Recover(&tree, &result).ok());
  ExpectRecoversReference(result, tree, 0);
  EXPECT_EQ(result.snapshot_zxid, 0);
  EXPECT_TRUE(result.snapshot_path.empty());
}

TEST_F(RecoveryTest, WithoutASnapshotTheWholeLogIsReplayed) {
  auto history = MakeHistory(1, 200);
  Run(history);
  tree::DataTree tree;
  RecoveryResult result;
  ASSERT_TRUE(Recover(&tree, &result).ok());
  ExpectRecoversReference(result, tree, 200);
  EXPECT_EQ(result.replayed, 200u);
  EXPECT_FALSE(result.sessions.empty());
}

TEST_F(RecoveryTest, TheNewestSnapshotIsLoadedAndOnlyTheLogAfterItReplayed) {
  auto history = MakeHistory(1, 300);
  Run(history, {100, 250});
  tree::DataTree tree;
  RecoveryResult result;
  ASSERT_TRUE(Recover(&tree, &result).ok());
  ExpectRecoversReference(result, tree, 300);
  EXPECT_EQ(result.snapshot_zxid, 250);
  EXPECT_EQ(result.replayed, 50u);
}

TEST_F(RecoveryTest, ASnapshotAtTheLastZxidNeedsNoReplay) {
  auto history = MakeHistory(1, 120);
  Run(history, {120});
  tree::DataTree tree;
  RecoveryResult result;
  ASSERT_TRUE(Recover(&tree, &result).ok());
  ExpectRecoversReference(result, tree, 120);
  EXPECT_EQ(result.replayed, 0u);
}

TEST_F(RecoveryTest, ACorruptNewestSnapshotFallsBackToAnOlderOne) {
  auto history = MakeHistory(1, 300);
  Run(history, {100, 250});
  FlipByte(SnapDir() + "/snapshot.fa", -100);
  tree::DataTree tree;
  RecoveryResult result;
  ASSERT_TRUE(Recover(&tree, &result).ok());
  ExpectRecoversReference(result, tree, 300);
  EXPECT_EQ(result.snapshot_zxid, 100);
  EXPECT_EQ(result.replayed, 200u);
}

TEST_F(RecoveryTest, ATruncatedNewestSnapshotFallsBackToAnOlderOne) {
  auto history = MakeHistory(1, 300);
  Run(history, {100, 250});
  std::filesystem::resize_file(SnapDir() + "/snapshot.fa",
                               std::filesystem::file_size(SnapDir() + "/snapshot.fa") / 2);
  tree::DataTree tree;
  RecoveryResult result;
  ASSERT_TRUE(Recover(&tree, &result).ok());
  ExpectRecoversReference(result, tree, 300);
  EXPECT_EQ(result.snapshot_zxid, 100);
}

TEST_F(RecoveryTest, NoUsableSnapshotWithAPurgedLogIsAnError) {
  auto history = MakeHistory(1, 300);
  Run(history, {250});
  {
    auto log = OpenLog();
    ASSERT_TRUE(log->PurgeBefore(250).ok());
  }
  FlipByte(SnapDir() + "/snapshot.fa", -100);
  tree::DataTree tree;
  RecoveryResult result;
  EXPECT_TRUE(Recover(&tree, &result).IsCorruption());
}

TEST_F(RecoveryTest, NoUsableSnapshotWithTheWholeLogReplaysEverything) {
  auto history = MakeHistory(1, 300);
  Run(history, {250});
  FlipByte(SnapDir() + "/snapshot.fa", -100);
  tree::DataTree tree;
  RecoveryResult result;
  ASSERT_TRUE(Recover(&tree, &result).ok());
  ExpectRecoversReference(result, tree, 300);
  EXPECT_EQ(result.snapshot_zxid, 0);
}

TEST_F(RecoveryTest, ALogThatDoesNotReachTheSnapshotIsAnError) {
  auto history = MakeHistory(1, 300);
  Run(history, {100});
  {
    auto log = OpenLog();
    ASSERT_TRUE(log->PurgeBefore(150).ok());  // entries 101..149 are gone
  }
  tree::DataTree tree;
  RecoveryResult result;
  Status s = Recover(&tree, &result);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
}

TEST_F(RecoveryTest, ATailEntryWithABadChecksumIsTruncated) {
  auto history = MakeHistory(1, 100);
  Run(history, {50});
  std::string value = log_format::EncodeValue(100, pipeline::EncodeTxn(history.back()));
  value[value.size() - 2] ^= 0x04;
  PutRaw(100, value);
  // The reference stops at 99.
  reference_.Reset();
  for (int i = 0; i < 99; ++i) reference_.Apply(history[i]);

  tree::DataTree tree;
  RecoveryResult result;
  ASSERT_TRUE(Recover(&tree, &result).ok());
  ExpectRecoversReference(result, tree, 99);
  EXPECT_EQ(result.truncated, 1u);
  EXPECT_EQ(OpenLog()->LastZxid(), 99);
}

TEST_F(RecoveryTest, AnUndecodableEntryAndEverythingAfterItAreTruncated) {
  auto history = MakeHistory(1, 100);
  Run(history);
  PutRaw(90, log_format::EncodeValue(90, "not a transaction"));
  reference_.Reset();
  for (int i = 0; i < 89; ++i) reference_.Apply(history[i]);

  tree::DataTree tree;
  RecoveryResult result;
  ASSERT_TRUE(Recover(&tree, &result).ok());
  ExpectRecoversReference(result, tree, 89);
  EXPECT_EQ(result.truncated, 11u);
  auto log = OpenLog();
  EXPECT_EQ(log->LastZxid(), 89);
}

TEST_F(RecoveryTest, AGapInsideAnEpochTruncatesTheLogBeforeIt) {
  auto history = MakeHistory(1, 100);
  Run(history);
  {
    leveldb::DB* raw = nullptr;
    ASSERT_TRUE(leveldb::DB::Open(leveldb::Options(), LogDir(), &raw).ok());
    std::unique_ptr<leveldb::DB> db(raw);
    ASSERT_TRUE(db->Delete(leveldb::WriteOptions(), log_format::EncodeKey(70)).ok());
  }
  reference_.Reset();
  for (int i = 0; i < 69; ++i) reference_.Apply(history[i]);
  tree::DataTree tree;
  RecoveryResult result;
  ASSERT_TRUE(Recover(&tree, &result).ok());
  ExpectRecoversReference(result, tree, 69);
}

TEST_F(RecoveryTest, ANewEpochIsNotAGap) {
  auto history = MakeHistory(1, 50);
  auto next_epoch = MakeHistory((int64_t{1} << 32) | 1, 50);
  // Paths and sessions must not collide with the first epoch's.
  for (pipeline::Txn& txn : next_epoch) {
    if (txn.header.clientId != 0) txn.header.clientId += 0x100000;
    std::visit(
        [](auto& body) {
          if constexpr (requires { body.path; }) body.path = "/epoch1" + body.path;
        },
        txn.body);
  }
  next_epoch.insert(next_epoch.begin(), testing::Create((int64_t{1} << 32), "/epoch1", ""));
  next_epoch.pop_back();
  history.insert(history.end(), next_epoch.begin(), next_epoch.end());
  // Counter 0 of epoch 1 follows zxid 50: a new epoch may start anywhere.
  Run(history);
  tree::DataTree tree;
  RecoveryResult result;
  ASSERT_TRUE(Recover(&tree, &result).ok());
  ExpectRecoversReference(result, tree, history.back().header.zxid);
  EXPECT_EQ(result.replayed, 100u);
}

TEST_F(RecoveryTest, ATornLeveldbLogFileLosesOnlyTheTornTail) {
  auto history = MakeHistory(1, 100);
  Run(history);
  std::string file = NewestLeveldbLogFile();
  ASSERT_FALSE(file.empty());
  std::filesystem::resize_file(file, std::filesystem::file_size(file) - 10);

  tree::DataTree tree;
  RecoveryResult result;
  ASSERT_TRUE(Recover(&tree, &result).ok());
  ASSERT_GE(result.last_zxid, 90);
  ASSERT_LT(result.last_zxid, 100);
  reference_.Reset();
  for (int64_t i = 0; i < result.last_zxid; ++i) reference_.Apply(history[i]);
  ExpectRecoversReference(result, tree, result.last_zxid);
}

TEST_F(RecoveryTest, FlippedBytesInTheLeveldbLogTailLoseOnlyTheDamagedRecord) {
  auto history = MakeHistory(1, 100);
  Run(history);
  std::string file = NewestLeveldbLogFile();
  ASSERT_FALSE(file.empty());
  FlipByte(file, -5);

  tree::DataTree tree;
  RecoveryResult result;
  ASSERT_TRUE(Recover(&tree, &result).ok());
  ASSERT_GE(result.last_zxid, 90);
  ASSERT_LT(result.last_zxid, 100);
  reference_.Reset();
  for (int64_t i = 0; i < result.last_zxid; ++i) reference_.Apply(history[i]);
  ExpectRecoversReference(result, tree, result.last_zxid);
}

TEST_F(RecoveryTest, ReplayOverAFuzzySnapshotIsIdempotent) {
  // A snapshot labelled 150 that already holds the effects of txns up to 180,
  // as a snapshot taken while writes go on would.
  auto history = MakeHistory(1, 250);
  Run(history, {});
  Reference fuzzy;
  for (int i = 0; i < 180; ++i) fuzzy.Apply(history[i]);
  SnapshotImage image = SerializeSnapshot(fuzzy.tree, fuzzy.SessionList(), 150);
  ASSERT_TRUE(WriteSnapshotFile(FileEnv::Default(), SnapDir(), image).ok());

  tree::DataTree tree;
  RecoveryResult result;
  ASSERT_TRUE(Recover(&tree, &result).ok());
  ExpectRecoversReference(result, tree, 250);
  EXPECT_EQ(result.replayed, 100u);
}

TEST_F(RecoveryTest, EverythingAcknowledgedSurvivesACrashOfLogAndSnapshotWriter) {
  testing::FaultLevelDbEnv log_env;
  testing::FaultFileEnv snap_env;
  auto history = MakeHistory(1, 400);
  int64_t acknowledged = 0;
  {
    TxnLogOptions options;
    options.dir = LogDir();
    options.env = &log_env;
    std::unique_ptr<TxnLog> log;
    ASSERT_TRUE(TxnLog::Open(options, &log).ok());
    TaskQueue queue;
    log->Start(
        queue.Poster(), [&](int64_t zxid) { acknowledged = zxid; }, nullptr);
    Reference live;
    for (const pipeline::Txn& txn : history) {
      ASSERT_TRUE(log->Append(txn.header.zxid, pipeline::EncodeTxn(txn)));
      if (txn.header.zxid % 50 == 0) {
        ASSERT_TRUE(queue.RunUntil([&] { return acknowledged >= txn.header.zxid; }));
      }
      if (txn.header.zxid == 200) {
        for (int i = 0; i < 200; ++i) live.Apply(history[i]);
        ASSERT_TRUE(WriteSnapshotFile(&snap_env, SnapDir(),
                                      SerializeSnapshot(live.tree, live.SessionList(), 200))
                        .ok());
      }
    }
    queue.RunPending();
    log_env.SetFailWrites(true);  // power cut
    snap_env.SetFailWrites(true);
  }
  log_env.DropUnsyncedData();
  snap_env.DropUnsyncedData();
  log_env.SetFailWrites(false);

  TxnLogOptions options;
  options.dir = LogDir();
  options.env = &log_env;
  std::unique_ptr<TxnLog> log;
  ASSERT_TRUE(TxnLog::Open(options, &log).ok());
  tree::DataTree tree;
  RecoveryResult result;
  ASSERT_TRUE(storage::Recover(&snap_env, SnapDir(), log.get(), &tree, &result).ok());
  EXPECT_GE(result.last_zxid, acknowledged);
  EXPECT_EQ(result.snapshot_zxid, 200);
  for (int64_t i = 0; i < result.last_zxid; ++i) reference_.Apply(history[i]);
  ExpectRecoversReference(result, tree, result.last_zxid);
}

TEST_F(RecoveryTest, LeftoverSnapshotTempFilesAreRemovedAtStart) {
  std::vector<pipeline::Txn> history = MakeHistory(1, 40);
  Run(history, {20});
  std::filesystem::create_directories(SnapDir());
  std::ofstream(SnapDir() + "/snapshot.28.tmp") << "half a snapshot";
  std::ofstream(SnapDir() + "/snapshot.1e.tmp") << "";
  std::ofstream(SnapDir() + "/unrelated.tmp") << "kept";
  tree::DataTree tree;
  RecoveryResult result;
  ASSERT_TRUE(Recover(&tree, &result).ok());
  ExpectRecoversReference(result, tree, 40);
  EXPECT_EQ(result.temp_files_removed, 2);
  EXPECT_FALSE(std::filesystem::exists(SnapDir() + "/snapshot.28.tmp"));
  EXPECT_FALSE(std::filesystem::exists(SnapDir() + "/snapshot.1e.tmp"));
  EXPECT_TRUE(std::filesystem::exists(SnapDir() + "/unrelated.tmp"));
  EXPECT_TRUE(std::filesystem::exists(SnapDir() + "/snapshot.14"));
}

}  // namespace
}  // namespace zk::storage
