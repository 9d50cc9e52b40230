// The order stage of a standalone server: each proposal is appended to the
// durable log and committed, in zxid order, once the log reports it synced.
// Group commit happens in the log, so many proposals share one fsync.
//
// After each commit (the pipeline has applied the txn by then) it tells the
// Snapshotter, if one is given, so snapshots are taken between txns.
//
// If the log fails, nothing more is committed: proposals already queued and
// all later ones stay pending forever, `failed()` turns true and the failure
// callback runs once. The server must then stop serving writes (ZooKeeper
// exits), never acknowledge them.
//
// Thread-safety: every method, and every callback, runs on the owner thread;
// the log's Poster must post there.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>

#include "server/pipeline/orderer.h"
#include "server/storage/status.h"
#include "server/storage/txn_log.h"

namespace zk::storage {

class Snapshotter;

class LoggedOrderer : public pipeline::Orderer {
 public:
  using FailureFn = std::function<void(const Status&)>;

  // Starts `log`'s sync thread with `poster`. REQUIRES: `log` is open, not
  // started, and outlives this object; so does `snapshotter` (may be null).
  LoggedOrderer(TxnLog* log, TxnLog::Poster poster, Snapshotter* snapshotter, FailureFn on_failure);
  LoggedOrderer(const LoggedOrderer&) = delete;
  LoggedOrderer& operator=(const LoggedOrderer&) = delete;
  ~LoggedOrderer() override;

  void OnCommit(CommitFn fn) override { commit_ = std::move(fn); }
  // REQUIRES: txn.header.zxid is greater than every earlier proposal's and
  // than the log's last zxid.
  void Propose(pipeline::Txn txn) override;

  bool failed() const { return failed_; }
  // Proposals waiting for their fsync.
  size_t pending() const { return pending_.size(); }

 private:
  void Durable(int64_t zxid);
  void Failed(const Status& status);

  TxnLog* log_;
  Snapshotter* snapshotter_;
  FailureFn on_failure_;
  CommitFn commit_;
  std::deque<pipeline::Txn> pending_;
  bool failed_ = false;
  // Callbacks posted by the sync thread hold this weakly, so one that runs
  // after the orderer is gone does nothing.
  std::shared_ptr<LoggedOrderer*> self_;
};

}  // namespace zk::storage
