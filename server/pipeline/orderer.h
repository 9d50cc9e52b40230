// The order stage: gives each transaction its place in the one history and hands
// it back, committed, in zxid order. Standalone is an ensemble of one: the same
// interface fronts the replicated broadcast.
//
// Only the leader prepares and proposes. A learner forwards its clients' writes
// to the leader, which prepares them against its own view and proposes them;
// every server then applies every committed txn.
#pragma once

#include <functional>
#include <string>

#include "server/pipeline/txn.h"

namespace zk::pipeline {

class Orderer {
 public:
  using CommitFn = std::function<void(Txn)>;
  using ForwardedFn = std::function<void(const std::string&)>;
  using SyncFn = std::function<void()>;
  virtual ~Orderer() = default;
  // Sets where committed transactions go. REQUIRES: called before Propose.
  virtual void OnCommit(CommitFn fn) = 0;
  // Sets where the requests learners forward arrive (on the leader).
  virtual void OnForwarded(ForwardedFn fn) = 0;
  // True when this server orders transactions: the established leader.
  virtual bool Leading() const = 0;
  // REQUIRES: Leading(), and txn.header.zxid is the next zxid of the epoch.
  virtual void Propose(Txn txn) = 0;
  // REQUIRES: !Leading(). Hands bytes to the leader's OnForwarded; lost when
  // there is no leader (the server then drops its clients, who retry).
  virtual void Forward(std::string bytes) = 0;
  // `done` runs once this server has applied every txn the leader had
  // proposed when the request reached it (ZooKeeper's sync).
  virtual void Sync(SyncFn done) = 0;
};

}  // namespace zk::pipeline
