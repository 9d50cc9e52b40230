// The write path, one stage after another: prep (validate, build the txn),
// order (zxid, log, commit), apply (data tree, watches, reply). Reads run on the
// tree once every earlier request of their session has answered, which keeps
// ZooKeeper's per-session FIFO promise while many writes are in flight.
//
// Thread-safety: every method runs on the thread that owns the data tree.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "server/pipeline/orderer.h"
#include "server/pipeline/prep_processor.h"
#include "server/pipeline/request.h"
#include "server/pipeline/request_stats.h"

namespace zk::session {
class SessionTracker;
}

namespace zk::pipeline {

// Where the pipeline's output goes: the network layer.
class ResponseSink {
 public:
  virtual ~ResponseSink() = default;
  // A framed reply or watch notification for the session's connection.
  virtual void Send(int64_t session_id, std::string frame) = 0;
  // The session is closed or expired; its connection should go.
  virtual void SessionClosed(int64_t session_id) = 0;
  // The session's connection must close (after what is queued), the session living on.
  virtual void DropConnection(int64_t session_id) = 0;
};

class RequestPipeline {
 public:
  using Clock = std::function<int64_t()>;  // wall-clock milliseconds
  using CreatedFn = std::function<void(int64_t session_id)>;

  RequestPipeline(tree::DataTree* tree, session::SessionTracker* sessions, Orderer* orderer,
                  ResponseSink* sink, Clock clock, bool extended_types_enabled = false,
                  int32_t max_buffer = 0xfffff, auth::AuthSettings auth_settings = {});
  RequestPipeline(const RequestPipeline&) = delete;
  RequestPipeline& operator=(const RequestPipeline&) = delete;

  // A request from an established session.
  void Submit(Request request);
  // Orders a createSession txn; `done` runs once it is applied.
  void CreateSession(int32_t timeout_ms, CreatedFn done);
  // Expires sessions whose deadline passed. Called every tick; only the
  // leader expires sessions, by ordering their close.
  void ExpireSessions();
  // A learner's report of the sessions its clients kept alive since the last
  // one, for the leader, which alone decides expiry. Empty on the leader.
  std::vector<int64_t> TakeTouched();
  // Who orders changed. Everything in flight is dropped (the server drops the
  // connections too; clients retry on another server or after the election).
  // `next_zxid` is where a new leader's proposals continue from.
  void RoleChanged(bool leading, int64_t next_zxid);
  // A read-only server answers writes with NotReadOnly and closes sessions locally.
  void SetReadOnly(bool read_only) { read_only_ = read_only; }
  // Replaces what the pipeline knows with a state loaded from a snapshot.
  void StateReplaced(int64_t zxid);
  // Deletes containers whose last child is gone and TTL nodes left unmodified
  // and childless for their TTL (ZooKeeper's ContainerManager). Called periodically.
  void CheckContainers();
  // The session's connection went away: its watches go with it, as in ZooKeeper.
  void Disconnected(int64_t session_id);

  // Who a session has authenticated as. Identities belong to the connection, as
  // in ZooKeeper: attaching a connection starts over from its ip identity.
  void Attached(int64_t session_id, const std::string& java_host_address);
  auth::AuthInfo& AuthOf(int64_t session_id) { return auth_[session_id]; }
  const auth::AuthSettings& auth_settings() const { return auth_settings_; }

  int64_t LastProcessedZxid() const { return last_processed_zxid_; }
  const LatencyStats& latency() const { return latency_; }
  // Per-session figures; null for a session that has not been answered yet.
  const SessionStats* StatsOf(int64_t session_id) const;
  void ResetStats();
  size_t OutstandingRequests() const { return outstanding_; }

  // Sets the zxid to continue from (after recovery, or a new epoch).
  void ResetZxid(int64_t zxid) { next_zxid_ = last_processed_zxid_ = zxid; }

 private:
  struct Pending {
    Request request;
    uint64_t seq = 0;
    bool waiting = false;  // a write being ordered, or a sync in progress
    int64_t zxid = 0;      // of a write this server proposed; 0 when forwarded
    bool done = false;
    // A rejection is answered only once every txn proposed before it has
    // applied: it may have been judged against them.
    int64_t answer_after = 0;
    Response response;
  };

  void Commit(Txn txn);
  void OnForwarded(const std::string& bytes);
  // The leader's half of a forwarded request: prepared with the learner's ids.
  void PrepareForwarded(const Request& request, const auth::AuthInfo& auth);
  void SubmitWrite(Pending pending);
  void SubmitSync(Pending pending);
  Pending* FindWaiting(int64_t session_id, const txn::TxnHeader& header);
  void Enqueue(Pending pending);
  void Flush(int64_t session_id);
  void SendResponse(int64_t session_id, const Response& response);
  void RecordAnswer(int64_t session_id, const Request& request, int64_t zxid);
  void ProposeClose(int64_t session_id, int32_t xid);

  tree::DataTree* tree_;
  session::SessionTracker* sessions_;
  Orderer* orderer_;
  ResponseSink* sink_;
  Clock clock_;
  PrepProcessor prep_;
  const int32_t prep_max_buffer_;
  int64_t next_zxid_ = 0;
  int64_t last_processed_zxid_ = 0;
  size_t outstanding_ = 0;
  uint64_t next_seq_ = 0;
  bool read_only_ = false;
  std::unordered_map<int64_t, std::deque<Pending>> queues_;
  std::unordered_set<int64_t> touched_;  // learners only
  std::multimap<int64_t, int64_t> held_answers_;  // answer_after -> session
  std::unordered_map<int64_t, CreatedFn> creating_;
  const auth::AuthSettings auth_settings_;
  std::unordered_map<int64_t, auth::AuthInfo> auth_;
  LatencyStats latency_;
  std::unordered_map<int64_t, SessionStats> session_stats_;
};

}  // namespace zk::pipeline
