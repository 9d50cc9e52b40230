// Two-phase commit coordinated through ZooKeeper (the "two-phased commit"
// of ZooKeeper's recipes page).
//
// The coordinator creates <root>/<txn> with empty data. Each participant
// joins with an ephemeral child <root>/<txn>/<name> and votes by writing
// "commit" or "abort" into it. The coordinator watches the children and
// their data and decides: commit only when every expected participant
// voted commit; abort on any abort vote, when a participant's node vanishes
// before its vote was seen (its session ended), or at the deadline. The
// outcome is written once into <root>/<txn> (setData at version 0, so two
// coordinators cannot write different outcomes); participants watch that
// node and learn it. The outcome node is persistent: a participant that
// lost its session after voting reads it with a new handle (ReadOutcome).
// A coordinator whose session ends mid-decision leaves the transaction
// undecided; another coordinator can call Decide again.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "client/recipes/recipe_util.h"

namespace zk::recipes {

enum class TxnOutcome { kPending, kCommit, kAbort };

// The recorded outcome of txn (kPending while undecided).
Err ReadOutcome(SyncClient& zk, const std::string& root, const std::string& txn,
                TxnOutcome* outcome);

class TwoPhaseCoordinator {
 public:
  // REQUIRES: zk outlives the coordinator.
  TwoPhaseCoordinator(SyncClient& zk, std::string root) : zk_(zk), root_(std::move(root)) {}

  // Creates the transaction node (kNodeExists if the txn id is taken).
  Err Begin(const std::string& txn);
  // Collects the votes of `participants`, decides, records and returns the
  // outcome. If the txn was already decided, returns that outcome.
  Err Decide(const std::string& txn, const std::vector<std::string>& participants,
             std::chrono::milliseconds timeout, TxnOutcome* outcome);
  // Deletes the transaction and its remaining vote nodes.
  Err Remove(const std::string& txn);

 private:
  Err Record(const std::string& txn, TxnOutcome decided, TxnOutcome* outcome);

  SyncClient& zk_;
  const std::string root_;
};

class TwoPhaseParticipant {
 public:
  // REQUIRES: zk outlives the participant.
  TwoPhaseParticipant(SyncClient& zk, const std::string& root, const std::string& txn,
                      const std::string& name);

  // Registers for the transaction (kNoNode if the coordinator has not begun it).
  Err Join();
  Err Vote(bool commit);
  // Waits for the coordinator's decision: kOk with the outcome,
  // kOperationTimeout, or kSessionExpired.
  Err WaitOutcome(TxnOutcome* outcome, std::chrono::milliseconds timeout = kForever);

 private:
  SyncClient& zk_;
  const std::string txn_path_;
  const std::string node_path_;
};

}  // namespace zk::recipes
