#include "server/storage/logged_orderer.h"

#include <gtest/gtest.h>

#include "jute/archive.h"
#include "server/pipeline/request_pipeline.h"
#include "server/session/session_tracker.h"
#include "server/storage/recovery.h"
#include "server/storage/snapshotter.h"
#include "tests/unit/storage/fault_env.h"
#include "tests/unit/storage/test_util.h"

namespace zk::storage {
namespace {

using testing::FaultLevelDbEnv;
using testing::ScratchDir;
using testing::TaskQueue;

class LoggedOrdererTest : public ::testing::Test {
 protected:
  std::unique_ptr<TxnLog> OpenLog() {
    TxnLogOptions options;
    options.dir = dir_.Sub("log");
    options.env = &env_;
    std::unique_ptr<TxnLog> log;
    EXPECT_TRUE(TxnLog::Open(options, &log).ok());
    return log;
  }

  ScratchDir dir_;
  FaultLevelDbEnv env_;
  TaskQueue queue_;
};

TEST_F(LoggedOrdererTest, ATxnCommitsOnlyOnceTheLogHasSyncedIt) {
  auto log = OpenLog();
  LoggedOrderer orderer(log.get(), queue_.Poster(), nullptr, nullptr);
  std::vector<int64_t> committed;
  orderer.OnCommit([&](pipeline::Txn txn) { committed.push_back(txn.header.zxid); });
  for (int64_t zxid = 1; zxid <= 3; ++zxid) orderer.Propose(testing::CreateSession(zxid, zxid));
  EXPECT_TRUE(committed.empty());  // nothing runs until the owner thread takes the report
  ASSERT_TRUE(log->Flush().ok());
  EXPECT_TRUE(committed.empty());
  ASSERT_TRUE(queue_.RunUntil([&] { return committed.size() == 3; }));
  EXPECT_EQ(committed, (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(orderer.pending(), 0u);
}

TEST_F(LoggedOrdererTest, TheSnapshotterHearsOfEveryCommit) {
  auto log = OpenLog();
  tree::DataTree tree;
  session::SessionTracker sessions(1, 2000, 0);
  SnapshotterOptions options;
  options.dir = dir_.Sub("snap");
  options.snap_count = 2;  // snapshot after every txn
  Snapshotter snapshotter(options, &tree, &sessions);
  LoggedOrderer orderer(log.get(), queue_.Poster(), &snapshotter, nullptr);
  int commits = 0;
  orderer.OnCommit([&](pipeline::Txn) { ++commits; });
  orderer.Propose(testing::CreateSession(1, 1));
  ASSERT_TRUE(queue_.RunUntil([&] { return commits == 1; }));
  ASSERT_TRUE(snapshotter.Wait().ok());
  EXPECT_EQ(snapshotter.stats().last_zxid, 1);
}

TEST_F(LoggedOrdererTest, ALogFailureStopsCommitsAndIsReportedOnce) {
  auto log = OpenLog();
  std::vector<Status> failures;
  LoggedOrderer orderer(log.get(), queue_.Poster(), nullptr,
                        [&](const Status& s) { failures.push_back(s); });
  std::vector<int64_t> committed;
  orderer.OnCommit([&](pipeline::Txn txn) { committed.push_back(txn.header.zxid); });
  orderer.Propose(testing::CreateSession(1, 1));
  ASSERT_TRUE(queue_.RunUntil([&] { return committed.size() == 1; }));

  env_.SetFailWrites(true);
  orderer.Propose(testing::CreateSession(2, 2));
  ASSERT_TRUE(queue_.RunUntil([&] { return !failures.empty(); }));
  EXPECT_TRUE(orderer.failed());
  orderer.Propose(testing::CreateSession(3, 3));
  queue_.RunPending();
  EXPECT_EQ(committed, std::vector<int64_t>{1});
  EXPECT_EQ(failures.size(), 1u);
}

class Sink : public pipeline::ResponseSink {
 public:
  void Send(int64_t session_id, std::string frame) override { frames.push_back(frame); }
  void SessionClosed(int64_t) override {}
  void DropConnection(int64_t) override {}
  std::vector<std::string> frames;
};

// The whole wiring of a standalone server: pipeline -> LoggedOrderer -> TxnLog,
// then a restart through Recover.
TEST_F(LoggedOrdererTest, APipelineWriteIsAnsweredAfterSyncAndSurvivesARestart) {
  int64_t session_id = 0;
  {
    auto log = OpenLog();
    tree::DataTree tree;
    session::SessionTracker sessions(1, 2000, 0);
    Sink sink;
    LoggedOrderer orderer(log.get(), queue_.Poster(), nullptr, nullptr);
    pipeline::RequestPipeline pipeline(&tree, &sessions, &orderer, &sink, [] { return 1000; });
    pipeline.CreateSession(30000, [&](int64_t id) { session_id = id; });
    EXPECT_EQ(session_id, 0);
    ASSERT_TRUE(queue_.RunUntil([&] { return session_id != 0; }));

    proto::CreateRequest create;
    create.path = "/durable";
    create.data = "yes";
    create.acl = testing::OpenAcl();
    pipeline::Request request;
    request.session_id = session_id;
    request.xid = 1;
    request.op = OpCode::kCreate;
    request.body = jute::Encode(create);
    pipeline.Submit(std::move(request));
    EXPECT_TRUE(sink.frames.empty());
    ASSERT_TRUE(queue_.RunUntil([&] { return !sink.frames.empty(); }));
    EXPECT_TRUE(tree.Exists("/durable"));
  }
  auto log = OpenLog();
  tree::DataTree tree;
  RecoveryResult result;
  ASSERT_TRUE(Recover(FileEnv::Default(), dir_.Sub("snap"), log.get(), &tree, &result).ok());
  EXPECT_EQ(result.last_zxid, 2);
  std::string data;
  ASSERT_EQ(tree.GetData("/durable", &data, nullptr), Err::kOk);
  EXPECT_EQ(data, "yes");
  ASSERT_EQ(result.sessions.size(), 1u);
  EXPECT_EQ(result.sessions[0].id, session_id);
  EXPECT_EQ(result.sessions[0].timeout_ms, 30000);
}

}  // namespace
}  // namespace zk::storage
