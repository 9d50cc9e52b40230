// The request pipeline end to end, without sockets: requests in, framed
// replies and notifications out, through a real data tree.
#include <gtest/gtest.h>

#include <deque>
#include <map>
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
  void Propose(Txn txn) override { held_.push_back(std::move(txn)); }
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

}  // namespace
}  // namespace zk::pipeline
