// The request pipeline end to end, without sockets: requests in, framed
// replies and notifications out, through a real data tree.
#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <utility>
#include <vector>

#include "jute/archive.h"
#include "jute/zookeeper.h"
#include "server/pipeline/multi_codec.h"
#include "server/pipeline/request_pipeline.h"
#include "server/session/session_tracker.h"
#include "server/tree/data_tree.h"

namespace zk::pipeline {
namespace {

// Holds proposals until the test commits them, like a log waiting for its sync.
class HeldOrderer : public Orderer {
 public:
  void OnCommit(CommitFn fn) override { commit_ = std::move(fn); }
  void OnForwarded(ForwardedFn fn) override { forwarded_ = std::move(fn); }
  bool Leading() const override { return leading; }
  void Propose(Txn txn) override { held_.push_back(std::move(txn)); }
  void Forward(std::string bytes) override { forwarded.push_back(std::move(bytes)); }
  void Sync(SyncFn done) override {
    if (leading) {
      done();
    } else {
      syncs.push_back(std::move(done));
    }
  }
  // Delivers bytes a learner forwarded, as the leader's transport would.
  void Receive(const std::string& bytes) { forwarded_(bytes); }
  // Commits a txn ordered elsewhere (by the leader), as a learner sees it.
  void Commit(Txn txn) { commit_(std::move(txn)); }
  std::deque<Txn> TakeHeld() { return std::exchange(held_, {}); }

  bool leading = true;
  std::vector<std::string> forwarded;
  std::vector<SyncFn> syncs;
  void CommitAll() {
    while (!held_.empty()) {
      Txn txn = std::move(held_.front());
      held_.pop_front();
      commit_(std::move(txn));
    }
  }
  size_t held() const { return held_.size(); }

 private:
  CommitFn commit_;
  ForwardedFn forwarded_;
  std::deque<Txn> held_;
};

struct Reply {
  proto::ReplyHeader header;
  std::string body;
};

class RecordingSink : public ResponseSink {
 public:
  void Send(int64_t session_id, std::string frame) override {
    Reply reply;
    jute::InputArchive in(std::string_view(frame).substr(4));
    EXPECT_TRUE(reply.header.Deserialize(in));
    reply.body = frame.substr(frame.size() - in.Remaining());
    sent[session_id].push_back(std::move(reply));
  }
  void SessionClosed(int64_t session_id) override { closed.push_back(session_id); }
  void DropConnection(int64_t session_id) override { dropped.push_back(session_id); }

  std::map<int64_t, std::vector<Reply>> sent;
  std::vector<int64_t> closed;
  std::vector<int64_t> dropped;
};

data::ACL OpenAcl() {
  data::ACL acl;
  acl.perms = 31;
  acl.id.scheme = "world";
  acl.id.id = "anyone";
  return acl;
}

class PipelineTest : public ::testing::Test {
 protected:
  PipelineTest()
      : sessions_(0, 100, 0),
        pipeline_(&tree_, &sessions_, &orderer_, &sink_, [this] { return now_; }) {
    tree_.SetWatchListener([this](const tree::WatchEvent& e) {
      proto::WatcherEvent event;
      event.type = static_cast<int32_t>(e.type);
      event.path = std::string(e.path);
      Reply reply;
      reply.header.xid = -1;
      reply.body = jute::Encode(event);
      sink_.sent[e.watcher].push_back(reply);
    });
  }

  int64_t NewSession() {
    int64_t id = 0;
    pipeline_.CreateSession(10000, [&id](int64_t s) { id = s; });
    orderer_.CommitAll();
    return id;
  }

  template <class Record>
  void Submit(int64_t session, int32_t xid, OpCode op, const Record& record) {
    Request request;
    request.session_id = session;
    request.xid = xid;
    request.op = op;
    request.body = jute::Encode(record);
    pipeline_.Submit(std::move(request));
  }

  void Create(int64_t session, int32_t xid, const std::string& path, int32_t flags = 0) {
    proto::CreateRequest req;
    req.path = path;
    req.data = "d";
    req.acl = {OpenAcl()};
    req.flags = flags;
    Submit(session, xid, OpCode::kCreate, req);
  }

  const std::vector<Reply>& Replies(int64_t session) { return sink_.sent[session]; }

  int64_t now_ = 1000;
  tree::DataTree tree_;
  session::SessionTracker sessions_;
  HeldOrderer orderer_;
  RecordingSink sink_;
  RequestPipeline pipeline_;
};

TEST_F(PipelineTest, ReadAfterWriteOnOneSessionWaitsForTheWrite) {
  int64_t s = NewSession();
  Create(s, 1, "/a");
  proto::ExistsRequest exists;
  exists.path = "/a";
  Submit(s, 2, OpCode::kExists, exists);
  EXPECT_TRUE(Replies(s).empty());  // the read must not overtake the write
  orderer_.CommitAll();
  ASSERT_EQ(Replies(s).size(), 2u);
  EXPECT_EQ(Replies(s)[0].header.xid, 1);
  EXPECT_EQ(Replies(s)[1].header.xid, 2);
  EXPECT_EQ(Replies(s)[1].header.err, 0);
}

TEST_F(PipelineTest, PendingWritesSeeEachOtherBeforeTheyApply) {
  int64_t s = NewSession();
  Create(s, 1, "/p");
  Create(s, 2, "/p/c");  // parent exists only as a pending change
  Create(s, 3, "/p");    // already pending: NodeExists without waiting
  EXPECT_EQ(orderer_.held(), 2u);
  orderer_.CommitAll();
  ASSERT_EQ(Replies(s).size(), 3u);
  EXPECT_EQ(Replies(s)[0].header.err, 0);
  EXPECT_EQ(Replies(s)[1].header.err, 0);
  EXPECT_EQ(Replies(s)[2].header.err, static_cast<int32_t>(Err::kNodeExists));
}

TEST_F(PipelineTest, ARejectionJudgedOnAPendingWriteWaitsUntilThatWriteApplies) {
  int64_t a = NewSession();
  int64_t b = NewSession();
  Create(a, 1, "/x");
  Create(b, 1, "/x");  // NodeExists, but only because of a's pending create
  EXPECT_TRUE(Replies(b).empty());  // a read on b could not show /x yet
  orderer_.CommitAll();
  ASSERT_EQ(Replies(b).size(), 1u);
  EXPECT_EQ(Replies(b)[0].header.err, static_cast<int32_t>(Err::kNodeExists));
  Create(b, 2, "/x");  // nothing pending now: answered at once
  ASSERT_EQ(Replies(b).size(), 2u);
}

TEST_F(PipelineTest, AReadOnlyServerRefusesWritesButServesReads) {
  int64_t s = NewSession();
  pipeline_.SetReadOnly(true);
  Create(s, 1, "/ro");
  proto::ExistsRequest exists;
  exists.path = "/";
  Submit(s, 2, OpCode::kExists, exists);
  EXPECT_EQ(orderer_.held(), 0u);
  ASSERT_EQ(Replies(s).size(), 2u);
  EXPECT_EQ(Replies(s)[0].header.err, static_cast<int32_t>(Err::kNotReadOnly));
  EXPECT_EQ(Replies(s)[0].header.xid, 1);
  EXPECT_EQ(Replies(s)[1].header.err, 0);
}

TEST_F(PipelineTest, SequentialNamesFollowPendingCreates) {
  int64_t s = NewSession();
  Create(s, 1, "/q");
  Create(s, 2, "/q/n-", 2);
  Create(s, 3, "/q/n-", 2);
  orderer_.CommitAll();
  proto::CreateResponse second;
  ASSERT_TRUE(jute::Decode(Replies(s)[2].body, &second));
  EXPECT_EQ(second.path, "/q/n-0000000001");
}

TEST_F(PipelineTest, FailedMultiAppliesNothingAndReportsEachOp) {
  int64_t s = NewSession();
  std::string body;
  jute::OutputArchive out(&body);
  proto::MultiHeader h{static_cast<int32_t>(OpCode::kCreate), false, -1};
  h.Serialize(out);
  proto::CreateRequest create;
  create.path = "/m";
  create.acl = {OpenAcl()};
  create.Serialize(out);
  proto::MultiHeader check_header{static_cast<int32_t>(OpCode::kCheck), false, -1};
  check_header.Serialize(out);
  proto::CheckVersionRequest check;
  check.path = "/missing";
  check.version = 0;
  check.Serialize(out);
  proto::MultiHeader done{-1, true, -1};
  done.Serialize(out);
  Request request;
  request.session_id = s;
  request.xid = 9;
  request.op = OpCode::kMulti;
  request.body = body;
  pipeline_.Submit(std::move(request));
  orderer_.CommitAll();

  ASSERT_EQ(Replies(s).size(), 1u);
  EXPECT_EQ(Replies(s)[0].header.err, 0);
  jute::InputArchive in(Replies(s)[0].body);
  proto::MultiHeader r1, r2, end;
  proto::ErrorResponse e1, e2;
  ASSERT_TRUE(r1.Deserialize(in) && e1.Deserialize(in) && r2.Deserialize(in) &&
              e2.Deserialize(in) && end.Deserialize(in));
  EXPECT_EQ(r1.type, -1);
  EXPECT_EQ(e1.err, 0);
  EXPECT_EQ(e2.err, static_cast<int32_t>(Err::kNoNode));
  EXPECT_TRUE(end.done);
  EXPECT_FALSE(tree_.Exists("/m"));
}

TEST_F(PipelineTest, WrongVersionIsBadVersionAndChangesNothing) {
  int64_t s = NewSession();
  Create(s, 1, "/v");
  proto::SetDataRequest set;
  set.path = "/v";
  set.data = "x";
  set.version = 7;
  Submit(s, 2, OpCode::kSetData, set);
  orderer_.CommitAll();
  EXPECT_EQ(Replies(s)[1].header.err, static_cast<int32_t>(Err::kBadVersion));
  std::string data;
  ASSERT_EQ(tree_.GetData("/v", &data, nullptr), Err::kOk);
  EXPECT_EQ(data, "d");
}

TEST_F(PipelineTest, ExpiredSessionLosesItsEphemeralsAndWatchersHear) {
  int64_t owner = NewSession();
  int64_t watcher = NewSession();
  Create(owner, 1, "/e", 1);
  orderer_.CommitAll();
  proto::ExistsRequest exists;
  exists.path = "/e";
  exists.watch = true;
  Submit(watcher, 1, OpCode::kExists, exists);
  sessions_.Touch(watcher, 50000);
  now_ = 20000;
  pipeline_.ExpireSessions();
  orderer_.CommitAll();
  EXPECT_FALSE(tree_.Exists("/e"));
  ASSERT_EQ(sink_.closed.size(), 1u);
  EXPECT_EQ(sink_.closed[0], owner);
  const Reply& event = Replies(watcher).back();
  EXPECT_EQ(event.header.xid, -1);
  proto::WatcherEvent decoded;
  ASSERT_TRUE(jute::Decode(event.body, &decoded));
  EXPECT_EQ(decoded.type, static_cast<int32_t>(EventType::kNodeDeleted));
}

TEST_F(PipelineTest, UnknownOpcodeIsUnimplementedAndDropsTheConnection) {
  int64_t s = NewSession();
  Request request;
  request.session_id = s;
  request.xid = 5;
  request.op = static_cast<OpCode>(999);
  pipeline_.Submit(std::move(request));
  ASSERT_EQ(Replies(s).size(), 1u);
  EXPECT_EQ(Replies(s)[0].header.err, static_cast<int32_t>(Err::kUnimplemented));
  ASSERT_EQ(sink_.dropped.size(), 1u);
  EXPECT_TRUE(sessions_.IsAlive(s));
}

TEST_F(PipelineTest, DeletingTheRootOrSystemNodesIsBadArguments) {
  int64_t s = NewSession();
  proto::DeleteRequest del;
  del.version = -1;
  for (const char* path : {"/", "/zookeeper", "/zookeeper/quota"}) {
    del.path = path;
    Submit(s, 1, OpCode::kDelete, del);
  }
  ASSERT_EQ(Replies(s).size(), 3u);
  for (const Reply& r : Replies(s)) {
    EXPECT_EQ(r.header.err, static_cast<int32_t>(Err::kBadArguments));
  }
}


// A leader and a learner, each with its own tree, joined by hand: what the
// learner forwards reaches the leader, and what the leader orders commits on
// both, as the ZAB shell would carry it.
class LearnerPipelineTest : public ::testing::Test {
 protected:
  struct Server {
    explicit Server(bool leading, int64_t id, int64_t* now)
        : sessions(id, 100, 0),
          pipeline(&tree, &sessions, &orderer, &sink, [now] { return *now; }) {
      orderer.leading = leading;
    }
    tree::DataTree tree;
    session::SessionTracker sessions;
    HeldOrderer orderer;
    RecordingSink sink;
    RequestPipeline pipeline;
  };

  LearnerPipelineTest() : leader_(true, 1, &now_), learner_(false, 2, &now_) {
    leader_.pipeline.RoleChanged(true, int64_t{1} << 32);
  }

  // Carries forwarded bytes to the leader and commits what it orders everywhere.
  void Replicate() {
    for (std::string& bytes : std::exchange(learner_.orderer.forwarded, {})) {
      leader_.orderer.Receive(bytes);
    }
    for (Txn& txn : leader_.orderer.TakeHeld()) {
      leader_.orderer.Commit(txn);
      learner_.orderer.Commit(std::move(txn));
    }
  }

  int64_t NewLearnerSession() {
    int64_t id = 0;
    learner_.pipeline.CreateSession(10000, [&id](int64_t s) { id = s; });
    EXPECT_EQ(id, 0);  // not before the leader ordered it
    Replicate();
    return id;
  }

  void Submit(int64_t session, int32_t xid, OpCode op, std::string body) {
    Request request;
    request.session_id = session;
    request.xid = xid;
    request.op = op;
    request.body = std::move(body);
    learner_.pipeline.Submit(std::move(request));
  }

  std::string CreateBody(const std::string& path) {
    proto::CreateRequest req;
    req.path = path;
    req.data = "d";
    req.acl = {OpenAcl()};
    return jute::Encode(req);
  }

  int64_t now_ = 1000;
  Server leader_;
  Server learner_;
};

TEST_F(LearnerPipelineTest, ALearnersSessionIsCreatedByTheLeaderAndKnownToBoth) {
  int64_t s = NewLearnerSession();
  ASSERT_NE(s, 0);
  EXPECT_EQ(s >> 56, 2);  // the learner names its sessions
  EXPECT_TRUE(leader_.sessions.IsAlive(s));
  EXPECT_TRUE(learner_.sessions.IsAlive(s));
}

TEST_F(LearnerPipelineTest, AForwardedWriteAnswersWhenItCommitsAndReadsWaitForIt) {
  int64_t s = NewLearnerSession();
  Submit(s, 1, OpCode::kCreate, CreateBody("/a"));
  proto::ExistsRequest exists;
  exists.path = "/a";
  Submit(s, 2, OpCode::kExists, jute::Encode(exists));
  EXPECT_TRUE(learner_.sink.sent[s].empty());
  Replicate();
  ASSERT_EQ(learner_.sink.sent[s].size(), 2u);
  EXPECT_EQ(learner_.sink.sent[s][0].header.err, 0);
  EXPECT_EQ(learner_.sink.sent[s][1].header.err, 0);
  EXPECT_TRUE(learner_.tree.Find("/a").has_value());
  EXPECT_TRUE(leader_.tree.Find("/a").has_value());
}

TEST_F(LearnerPipelineTest, TheLeadersRejectionReachesTheLearnerInOrder) {
  int64_t s = NewLearnerSession();
  Submit(s, 1, OpCode::kCreate, CreateBody("/a"));
  Submit(s, 2, OpCode::kCreate, CreateBody("/a"));
  Replicate();
  ASSERT_EQ(learner_.sink.sent[s].size(), 2u);
  EXPECT_EQ(learner_.sink.sent[s][0].header.err, 0);
  EXPECT_EQ(learner_.sink.sent[s][1].header.err, static_cast<int32_t>(Err::kNodeExists));
  EXPECT_EQ(learner_.sink.sent[s][1].header.xid, 2);
}

TEST_F(LearnerPipelineTest, AForwardedMultiThatFailsReportsEachOpOnTheLearner) {
  int64_t s = NewLearnerSession();
  std::string body;
  jute::OutputArchive out(&body);
  proto::MultiHeader{static_cast<int32_t>(OpCode::kCreate), false, -1}.Serialize(out);
  proto::CreateRequest create;
  create.path = "/m";
  create.acl = {OpenAcl()};
  create.Serialize(out);
  proto::MultiHeader{static_cast<int32_t>(OpCode::kCheck), false, -1}.Serialize(out);
  proto::CheckVersionRequest check;
  check.path = "/missing";
  check.Serialize(out);
  proto::MultiHeader{-1, true, -1}.Serialize(out);
  Submit(s, 7, OpCode::kMulti, body);
  Replicate();
  ASSERT_EQ(learner_.sink.sent[s].size(), 1u);
  const Reply& reply = learner_.sink.sent[s][0];
  EXPECT_EQ(reply.header.err, 0);
  jute::InputArchive in(reply.body);
  std::vector<int32_t> errs;
  for (int i = 0; i < 2; i++) {
    proto::MultiHeader h;
    ASSERT_TRUE(h.Deserialize(in));
    EXPECT_EQ(h.type, -1);
    proto::ErrorResponse e;
    ASSERT_TRUE(e.Deserialize(in));
    errs.push_back(e.err);
  }
  EXPECT_EQ(errs, (std::vector<int32_t>{0, static_cast<int32_t>(Err::kNoNode)}));
  EXPECT_FALSE(learner_.tree.Find("/m").has_value());
}

TEST_F(LearnerPipelineTest, ASyncAnswersOnlyOnceTheLearnerHasCaughtUp) {
  int64_t s = NewLearnerSession();
  proto::SyncRequest sync;
  sync.path = "/";
  Submit(s, 1, OpCode::kSync, jute::Encode(sync));
  EXPECT_TRUE(learner_.sink.sent[s].empty());
  ASSERT_EQ(learner_.orderer.syncs.size(), 1u);
  learner_.orderer.syncs[0]();
  ASSERT_EQ(learner_.sink.sent[s].size(), 1u);
  EXPECT_EQ(learner_.sink.sent[s][0].header.xid, 1);
}

TEST_F(LearnerPipelineTest, OnlyTheLeaderExpiresSessionsAndLearnersReportActivity) {
  int64_t s = NewLearnerSession();
  proto::ExistsRequest exists;
  exists.path = "/";
  Submit(s, 1, OpCode::kExists, jute::Encode(exists));
  EXPECT_EQ(learner_.pipeline.TakeTouched(), std::vector<int64_t>{s});
  EXPECT_TRUE(learner_.pipeline.TakeTouched().empty());
  now_ += 60000;
  learner_.pipeline.ExpireSessions();
  EXPECT_TRUE(learner_.orderer.forwarded.empty());
  EXPECT_EQ(leader_.orderer.held(), 0u);
  leader_.pipeline.ExpireSessions();
  EXPECT_EQ(leader_.orderer.held(), 1u);  // the close of the expired session
  Replicate();
  EXPECT_FALSE(learner_.sessions.IsAlive(s));
}

}  // namespace
}  // namespace zk::pipeline
