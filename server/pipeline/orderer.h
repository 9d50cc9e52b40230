// The order stage: gives each transaction its place in the one history and hands
// it back, committed, in zxid order. Standalone is an ensemble of one: the same
// interface fronts the replicated broadcast.
#pragma once

#include <functional>

#include "server/pipeline/txn.h"

namespace zk::pipeline {

class Orderer {
 public:
  using CommitFn = std::function<void(Txn)>;
  virtual ~Orderer() = default;
  // Sets where committed transactions go. REQUIRES: called before Propose.
  virtual void OnCommit(CommitFn fn) = 0;
  // REQUIRES: txn.header.zxid is greater than that of every earlier proposal.
  virtual void Propose(Txn txn) = 0;
};

}  // namespace zk::pipeline
