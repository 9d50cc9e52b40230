#include "server/pipeline/request_pipeline.h"

#include <glog/logging.h>

#include "jute/archive.h"
#include "protocol/framing.h"
#include "server/pipeline/forwarded.h"
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
      prep_max_buffer_(max_buffer),
      auth_settings_(std::move(auth_settings)) {
  orderer_->OnCommit([this](Txn txn) { Commit(std::move(txn)); });
  orderer_->OnForwarded([this](const std::string& bytes) { OnForwarded(bytes); });
}

void RequestPipeline::Submit(Request request) {
  int64_t session_id = request.session_id;
  if (!sessions_->Touch(session_id, clock_())) {
    LOG(INFO) << "Dropping request of closed session 0x" << std::hex << session_id;
    return;
  }
  if (!orderer_->Leading()) touched_.insert(session_id);
  Pending pending;
  pending.request = std::move(request);
  pending.seq = ++next_seq_;
  outstanding_++;
  OpCode op = pending.request.op;
  if (op == OpCode::kSync) {
    SubmitSync(std::move(pending));
  } else if (op == OpCode::kCloseSession || IsWrite(op)) {
    SubmitWrite(std::move(pending));
  } else {
    Enqueue(std::move(pending));
  }
  Flush(session_id);
}

void RequestPipeline::SubmitWrite(Pending pending) {
  int64_t session_id = pending.request.session_id;
  bool closing = pending.request.op == OpCode::kCloseSession;
  if (read_only_) {
    pending.done = true;
    pending.response.xid = pending.request.xid;
    pending.response.err = closing ? Err::kOk : Err::kNotReadOnly;
    if (closing) sessions_->Remove(session_id);
    Enqueue(std::move(pending));
    return;
  }
  if (closing) sessions_->SetClosing(session_id);
  if (!orderer_->Leading()) {
    Forwarded forwarded;
    forwarded.kind = Forwarded::Kind::kRequest;
    forwarded.request = pending.request;
    forwarded.auth = AuthOf(session_id).ids();
    pending.waiting = true;
    Enqueue(std::move(pending));
    orderer_->Forward(EncodeForwarded(forwarded));
    return;
  }
  Txn txn;
  int64_t zxid = next_zxid_ + 1;
  if (closing) {
    txn = prep_.PrepareCloseSession(session_id, pending.request.xid, zxid, clock_());
  } else if (!prep_.Prepare(pending.request, AuthOf(session_id), zxid, clock_(), &txn,
                            &pending.response)) {
    // Answering before the proposals it saw apply would let the client
    // observe a state a read could not yet show.
    pending.done = true;
    pending.answer_after = next_zxid_;
    if (pending.answer_after > last_processed_zxid_) {
      held_answers_.emplace(pending.answer_after, session_id);
    }
    Enqueue(std::move(pending));
    return;
  }
  next_zxid_ = zxid;
  pending.waiting = true;
  pending.zxid = zxid;
  Enqueue(std::move(pending));
  orderer_->Propose(std::move(txn));
}

// A sync answers once this server has caught up with the leader; on the
// leader that is at once.
void RequestPipeline::SubmitSync(Pending pending) {
  int64_t session_id = pending.request.session_id;
  uint64_t seq = pending.seq;
  pending.waiting = true;
  Enqueue(std::move(pending));
  orderer_->Sync([this, session_id, seq] {
    auto it = queues_.find(session_id);
    if (it == queues_.end()) return;
    for (Pending& p : it->second) {
      if (p.seq == seq) p.waiting = false;
    }
    Flush(session_id);
  });
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
    if (front.done && front.answer_after > last_processed_zxid_) break;
    if (!front.done) {
      if (front.waiting) break;  // a write being ordered, or a sync
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
  while (!held_answers_.empty() && held_answers_.begin()->first <= header.zxid) {
    int64_t session_id = held_answers_.begin()->second;
    held_answers_.erase(held_answers_.begin());
    Flush(session_id);
  }

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
  Pending* waiting = FindWaiting(header.clientId, header);
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
  waiting->waiting = false;
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

// The request of `session_id` this txn answers: one this server proposed
// (by zxid), or one it forwarded (the session's next write with that xid).
RequestPipeline::Pending* RequestPipeline::FindWaiting(int64_t session_id,
                                                       const txn::TxnHeader& header) {
  auto it = queues_.find(session_id);
  if (it == queues_.end()) return nullptr;
  for (Pending& p : it->second) {
    if (!p.waiting || p.request.op == OpCode::kSync) continue;
    if (p.zxid != 0 ? p.zxid == header.zxid : p.request.xid == header.cxid) return &p;
  }
  return nullptr;
}

void RequestPipeline::CreateSession(int32_t timeout_ms, CreatedFn done) {
  int64_t session_id = sessions_->NextSessionId();
  creating_[session_id] = std::move(done);
  if (!orderer_->Leading()) {
    Forwarded forwarded;
    forwarded.kind = Forwarded::Kind::kCreateSession;
    forwarded.session_id = session_id;
    forwarded.timeout_ms = timeout_ms;
    orderer_->Forward(EncodeForwarded(forwarded));
    return;
  }
  Txn txn = prep_.PrepareCreateSession(session_id, timeout_ms, ++next_zxid_, clock_());
  orderer_->Propose(std::move(txn));
}

void RequestPipeline::OnForwarded(const std::string& bytes) {
  if (!orderer_->Leading()) return;
  Forwarded forwarded;
  if (!DecodeForwarded(bytes, &forwarded, prep_max_buffer_ + 4096)) {
    LOG(WARNING) << "Ignoring a malformed forwarded request";
    return;
  }
  switch (forwarded.kind) {
    case Forwarded::Kind::kTouch:
      for (int64_t id : forwarded.sessions) sessions_->Touch(id, clock_());
      break;
    case Forwarded::Kind::kCreateSession:
      if (sessions_->TimeoutOf(forwarded.session_id) != 0) break;  // already exists
      orderer_->Propose(prep_.PrepareCreateSession(forwarded.session_id, forwarded.timeout_ms,
                                                   ++next_zxid_, clock_()));
      break;
    case Forwarded::Kind::kRequest: {
      auth::AuthInfo auth;
      for (data::Id& id : forwarded.auth) auth.Add(std::move(id));
      PrepareForwarded(forwarded.request, auth);
      break;
    }
  }
}

namespace {

// The per-op errors of a multi that prep rejected, read back from its response.
std::vector<Err> MultiErrors(std::string_view body) {
  std::vector<Err> errs;
  jute::InputArchive in(body);
  while (true) {
    proto::MultiHeader header;
    if (!header.Deserialize(in) || header.done) break;
    proto::ErrorResponse error;
    if (header.type != static_cast<int32_t>(OpCode::kError) || !error.Deserialize(in)) break;
    errs.push_back(static_cast<Err>(error.err));
  }
  return errs;
}

// What a learner's client hears about a request the leader rejected travels
// as a txn, so it reaches the learner in order with the session's other writes
// (ZooKeeper's error txn; a multi's carries one error per op).
Txn ErrorTxnFor(const Request& request, const Response& rejected, int64_t zxid, int64_t now) {
  Txn txn;
  txn.header.clientId = request.session_id;
  txn.header.cxid = request.xid;
  txn.header.zxid = zxid;
  txn.header.time = now;
  if (request.op == OpCode::kMulti && rejected.err == Err::kOk) {
    txn.header.type = static_cast<int32_t>(OpCode::kMulti);
    txn::MultiTxn multi;
    for (Err err : MultiErrors(rejected.body)) {
      txn::Txn sub;
      sub.type = static_cast<int32_t>(OpCode::kError);
      sub.data = EncodeTxnBody(txn::ErrorTxn{static_cast<int32_t>(err)});
      multi.txns.push_back(std::move(sub));
    }
    txn.body = std::move(multi);
  } else {
    txn.header.type = static_cast<int32_t>(OpCode::kError);
    txn.body = txn::ErrorTxn{static_cast<int32_t>(rejected.err)};
  }
  return txn;
}

}  // namespace

void RequestPipeline::PrepareForwarded(const Request& request, const auth::AuthInfo& auth) {
  int64_t session_id = request.session_id;
  int64_t zxid = next_zxid_ + 1;
  int64_t now = clock_();
  Txn txn;
  if (request.op == OpCode::kCloseSession) {
    sessions_->SetClosing(session_id);
    txn = prep_.PrepareCloseSession(session_id, request.xid, zxid, now);
  } else if (!sessions_->Touch(session_id, now)) {
    Response expired;
    expired.err = Err::kSessionExpired;
    txn = ErrorTxnFor(request, expired, zxid, now);
  } else {
    Response rejected;
    if (!prep_.Prepare(request, auth, zxid, now, &txn, &rejected)) {
      txn = ErrorTxnFor(request, rejected, zxid, now);
    }
  }
  next_zxid_ = zxid;
  orderer_->Propose(std::move(txn));
}

void RequestPipeline::ExpireSessions() {
  if (!orderer_->Leading()) return;
  for (int64_t session_id : sessions_->TakeExpired(clock_())) {
    LOG(INFO) << "Expiring session 0x" << std::hex << session_id << std::dec << ", timeout of "
              << sessions_->TimeoutOf(session_id) << "ms exceeded";
    ProposeClose(session_id, 0);
  }
}

std::vector<int64_t> RequestPipeline::TakeTouched() {
  std::vector<int64_t> out(touched_.begin(), touched_.end());
  touched_.clear();
  return out;
}

void RequestPipeline::RoleChanged(bool leading, int64_t next_zxid) {
  queues_.clear();
  creating_.clear();
  touched_.clear();
  held_answers_.clear();
  outstanding_ = 0;
  prep_.Reset();
  if (!leading) return;
  next_zxid_ = next_zxid;
  // A new leader restarts every session's clock, as ZooKeeper's does.
  int64_t now = clock_();
  for (const auto& [id, timeout] : sessions_->List()) sessions_->Add(id, timeout, now);
}

void RequestPipeline::StateReplaced(int64_t zxid) {
  RoleChanged(false, 0);
  last_processed_zxid_ = next_zxid_ = zxid;
}

void RequestPipeline::CheckContainers() {
  if (!orderer_->Leading()) return;
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
  if (!orderer_->Leading()) touched_.insert(session_id);
  auth_[session_id] = auth::AuthInfo::ForConnection(java_host_address);
}

}  // namespace zk::pipeline
