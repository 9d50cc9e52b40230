#include "server/pipeline/request_pipeline.h"

#include <glog/logging.h>

#include "jute/archive.h"
#include "protocol/framing.h"
#include "server/pipeline/multi_codec.h"
#include "server/pipeline/read_processor.h"
#include "server/pipeline/txn_applier.h"
#include "server/session/session_tracker.h"
#include "server/tree/data_tree.h"

namespace zk::pipeline {
namespace {

std::string EncodeReply(const Response& response) {
  proto::ReplyHeader header;
  header.xid = response.xid;
  header.zxid = response.zxid;
  header.err = static_cast<int32_t>(response.err);
  std::string body = jute::Encode(header);
  if (response.err == Err::kOk) body += response.body;
  return MakeFrame(body);
}

std::string ResponseBody(OpCode op, const ApplyResult& result);

// A multi's response: one result per op, typed as ZooKeeper types them.
std::string MultiResponseBody(const ApplyResult& result) {
  std::string out;
  for (const ApplyResult& sub : result.multi) {
    if (sub.err != Err::kOk || sub.type == OpCode::kError) {
      AppendMultiResult(&out, OpCode::kError, sub.err, "");
    } else {
      AppendMultiResult(&out, sub.type, Err::kOk, ResponseBody(sub.type, sub));
    }
  }
  FinishMultiResponse(&out);
  return out;
}

std::string ResponseBody(OpCode op, const ApplyResult& result) {
  switch (op) {
    case OpCode::kCreate: {
      proto::CreateResponse rsp;
      rsp.path = result.path;
      return jute::Encode(rsp);
    }
    case OpCode::kCreate2:
    case OpCode::kCreateContainer:
    case OpCode::kCreateTtl: {
      proto::Create2Response rsp;
      rsp.path = result.path;
      rsp.stat = result.stat;
      return jute::Encode(rsp);
    }
    case OpCode::kSetData: {
      proto::SetDataResponse rsp;
      rsp.stat = result.stat;
      return jute::Encode(rsp);
    }
    case OpCode::kSetAcl: {
      proto::SetACLResponse rsp;
      rsp.stat = result.stat;
      return jute::Encode(rsp);
    }
    case OpCode::kMulti: return MultiResponseBody(result);
    default: return "";
  }
}

}  // namespace

RequestPipeline::RequestPipeline(tree::DataTree* tree, session::SessionTracker* sessions,
                                 Orderer* orderer, ResponseSink* sink, Clock clock,
                                 bool extended_types_enabled, int32_t max_buffer,
                                 auth::AuthSettings auth_settings)
    : tree_(tree),
      sessions_(sessions),
      orderer_(orderer),
      sink_(sink),
      clock_(std::move(clock)),
      prep_(tree, extended_types_enabled, max_buffer, auth_settings),
      auth_settings_(std::move(auth_settings)) {
  orderer_->OnCommit([this](Txn txn) { Commit(std::move(txn)); });
}

void RequestPipeline::Submit(Request request) {
  int64_t session_id = request.session_id;
  if (!sessions_->Touch(session_id, clock_())) {
    LOG(INFO) << "Dropping request of closed session 0x" << std::hex << session_id;
    return;
  }
  Pending pending;
  pending.request = std::move(request);
  outstanding_++;
  if (pending.request.op == OpCode::kCloseSession) {
    sessions_->SetClosing(session_id);
    int64_t zxid = ++next_zxid_;
    Txn txn = prep_.PrepareCloseSession(session_id, pending.request.xid, zxid, clock_());
    pending.zxid = zxid;
    Enqueue(std::move(pending));
    orderer_->Propose(std::move(txn));
  } else if (IsWrite(pending.request.op)) {
    Txn txn;
    int64_t zxid = next_zxid_ + 1;
    if (prep_.Prepare(pending.request, AuthOf(session_id), zxid, clock_(), &txn,
                      &pending.response)) {
      next_zxid_ = zxid;
      pending.zxid = zxid;
      Enqueue(std::move(pending));
      orderer_->Propose(std::move(txn));
    } else {
      pending.done = true;
      Enqueue(std::move(pending));
    }
  } else {
    Enqueue(std::move(pending));
  }
  Flush(session_id);
}

void RequestPipeline::Enqueue(Pending pending) {
  queues_[pending.request.session_id].push_back(std::move(pending));
}

// Answers the session's requests from the front of its queue for as long as
// nothing earlier is still being ordered.
void RequestPipeline::Flush(int64_t session_id) {
  auto it = queues_.find(session_id);
  if (it == queues_.end()) return;
  std::deque<Pending>& queue = it->second;
  while (!queue.empty()) {
    Pending& front = queue.front();
    if (!front.done) {
      if (front.zxid != 0) break;  // a write still being ordered
      front.response = ExecuteRead(*tree_, front.request, AuthOf(session_id), auth_settings_);
      front.done = true;
    }
    front.response.zxid = last_processed_zxid_;
    SendResponse(session_id, front.response);
    RecordAnswer(session_id, front.request, front.response.zxid);
    bool closing = front.request.op == OpCode::kCloseSession;
    bool unknown = !IsKnownOpCode(static_cast<int32_t>(front.request.op));
    queue.pop_front();
    outstanding_--;
    if (unknown) sink_->DropConnection(session_id);
    if (closing) {
      queues_.erase(it);
      sink_->SessionClosed(session_id);
      return;
    }
  }
  if (queue.empty()) queues_.erase(it);
}

void RequestPipeline::RecordAnswer(int64_t session_id, const Request& request, int64_t zxid) {
  int64_t now = clock_();
  int64_t latency = std::max<int64_t>(0, now - request.received_ms);
  latency_.Add(latency);
  SessionStats& stats = session_stats_[session_id];
  stats.latency.Add(latency);
  stats.last_op = static_cast<int32_t>(request.op);
  stats.last_cxid = request.xid;
  stats.last_zxid = zxid;
  stats.last_response_ms = now;
  stats.last_latency_ms = latency;
}

const SessionStats* RequestPipeline::StatsOf(int64_t session_id) const {
  auto it = session_stats_.find(session_id);
  return it == session_stats_.end() ? nullptr : &it->second;
}

void RequestPipeline::ResetStats() {
  latency_.Reset();
  for (auto& [id, stats] : session_stats_) stats = SessionStats{};
}

void RequestPipeline::SendResponse(int64_t session_id, const Response& response) {
  sink_->Send(session_id, EncodeReply(response));
}

void RequestPipeline::Commit(Txn txn) {
  const txn::TxnHeader& header = txn.header;
  ApplyResult result = ApplyTxn(*tree_, txn);
  last_processed_zxid_ = header.zxid;
  prep_.Applied(header.zxid);

  auto op = static_cast<OpCode>(header.type);
  if (op == OpCode::kCreateSession) {
    sessions_->Add(header.clientId, std::get<txn::CreateSessionTxn>(txn.body).timeOut, clock_());
    if (auto it = creating_.find(header.clientId); it != creating_.end()) {
      CreatedFn done = std::move(it->second);
      creating_.erase(it);
      done(header.clientId);
    }
    return;
  }
  if (op == OpCode::kCloseSession) {
    sessions_->Remove(header.clientId);
    session_stats_.erase(header.clientId);
    auth_.erase(header.clientId);
    tree_->RemoveWatches(header.clientId);
  }
  auto it = queues_.find(header.clientId);
  Pending* waiting = nullptr;
  if (it != queues_.end()) {
    for (Pending& pending : it->second) {
      if (pending.zxid == header.zxid) waiting = &pending;
    }
  }
  if (waiting == nullptr) {
    // Nobody asked for this on this server: an expiry, or a client gone meanwhile.
    if (op == OpCode::kCloseSession) {
      if (it != queues_.end()) {
        outstanding_ -= it->second.size();
        queues_.erase(it);
      }
      sink_->SessionClosed(header.clientId);
    }
    return;
  }
  waiting->zxid = 0;
  waiting->done = true;
  waiting->response.xid = waiting->request.xid;
  // A multi answers OK in its header; each op's outcome is in the body.
  bool multi = waiting->request.op == OpCode::kMulti;
  waiting->response.err = multi ? Err::kOk : result.err;
  if (multi || result.err == Err::kOk) {
    waiting->response.body = ResponseBody(waiting->request.op, result);
  }
  Flush(header.clientId);
}

void RequestPipeline::CreateSession(int32_t timeout_ms, CreatedFn done) {
  int64_t session_id = sessions_->NextSessionId();
  creating_[session_id] = std::move(done);
  Txn txn = prep_.PrepareCreateSession(session_id, timeout_ms, ++next_zxid_, clock_());
  orderer_->Propose(std::move(txn));
}

void RequestPipeline::ExpireSessions() {
  for (int64_t session_id : sessions_->TakeExpired(clock_())) {
    LOG(INFO) << "Expiring session 0x" << std::hex << session_id << std::dec << ", timeout of "
              << sessions_->TimeoutOf(session_id) << "ms exceeded";
    ProposeClose(session_id, 0);
  }
}

void RequestPipeline::CheckContainers() {
  int64_t now = clock_();
  std::vector<std::string> candidates;
  for (const std::string& path : tree_->containers()) {
    std::optional<tree::NodeView> node = tree_->Find(path);
    // Only a container that has had children and lost them all goes.
    if (node && node->cversion() > 0 && node->num_children() == 0) candidates.push_back(path);
  }
  for (const std::string& path : tree_->ttls()) {
    std::optional<tree::NodeView> node = tree_->Find(path);
    if (node && node->num_children() == 0 &&
        now - node->mtime() > tree::TtlOf(node->ephemeral_owner())) {
      candidates.push_back(path);
    }
  }
  for (const std::string& path : candidates) {
    Txn txn;
    if (prep_.PrepareDeleteContainer(path, next_zxid_ + 1, now, &txn) != Err::kOk) continue;
    next_zxid_++;
    orderer_->Propose(std::move(txn));
  }
}

void RequestPipeline::ProposeClose(int64_t session_id, int32_t xid) {
  int64_t zxid = ++next_zxid_;
  orderer_->Propose(prep_.PrepareCloseSession(session_id, xid, zxid, clock_()));
}

void RequestPipeline::Disconnected(int64_t session_id) { tree_->RemoveWatches(session_id); }

void RequestPipeline::Attached(int64_t session_id, const std::string& java_host_address) {
  auth_[session_id] = auth::AuthInfo::ForConnection(java_host_address);
}

}  // namespace zk::pipeline
