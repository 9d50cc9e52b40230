#include "client/recipes/two_phase_commit.h"

#include <map>
#include <memory>
#include <set>

namespace zk::recipes {
namespace {

constexpr char kCommit[] = "commit";
constexpr char kAbort[] = "abort";

TxnOutcome ParseOutcome(const std::string& data) {
  if (data == kCommit) return TxnOutcome::kCommit;
  if (data == kAbort) return TxnOutcome::kAbort;
  return TxnOutcome::kPending;
}

}  // namespace

Err ReadOutcome(SyncClient& zk, const std::string& root, const std::string& txn,
                TxnOutcome* outcome) {
  std::string data;
  Err err = RetryOnConnectionLoss(zk, [&] { return zk.GetData(JoinPath(root, txn), &data); });
  if (err == Err::kOk) *outcome = ParseOutcome(data);
  return err;
}

Err TwoPhaseCoordinator::Begin(const std::string& txn) {
  Err err = EnsurePath(zk_, root_);
  if (err != Err::kOk) return err;
  return RetryOnConnectionLoss(zk_, [&] {
    return zk_.Create(JoinPath(root_, txn), "", client::OpenAclUnsafe(), CreateMode::kPersistent);
  });
}

Err TwoPhaseCoordinator::Record(const std::string& txn, TxnOutcome decided, TxnOutcome* outcome) {
  const std::string data = decided == TxnOutcome::kCommit ? kCommit : kAbort;
  Err err = RetryOnConnectionLoss(zk_, [&] { return zk_.SetData(JoinPath(root_, txn), data, 0); });
  if (err == Err::kOk) {
    *outcome = decided;
    return Err::kOk;
  }
  // kBadVersion: decided already (by us before a lost reply, or by another
  // coordinator): the recorded outcome wins.
  if (err != Err::kBadVersion) return err;
  return ReadOutcome(zk_, root_, txn, outcome);
}

Err TwoPhaseCoordinator::Decide(const std::string& txn,
                                const std::vector<std::string>& participants,
                                std::chrono::milliseconds timeout, TxnOutcome* outcome) {
  Clock::time_point deadline = DeadlineAfter(timeout);
  const std::string txn_path = JoinPath(root_, txn);
  Err err = ReadOutcome(zk_, root_, txn, outcome);
  if (err != Err::kOk || *outcome != TxnOutcome::kPending) return err;
  auto signal = std::make_shared<Signal>();
  std::set<std::string> seen;
  std::map<std::string, TxnOutcome> votes;
  while (true) {
    std::vector<std::string> children;
    err = RetryOnConnectionLoss(
        zk_, [&] { return zk_.GetChildren(txn_path, &children, Signal::WatcherFor(signal)); });
    if (err != Err::kOk) return err;
    std::set<std::string> present(children.begin(), children.end());
    bool abort = false;
    for (const auto& p : participants) {
      if (votes.count(p) != 0) continue;
      if (present.count(p) == 0) {
        abort = abort || seen.count(p) != 0;  // gone before voting
        continue;
      }
      seen.insert(p);
      std::string data;
      err = RetryOnConnectionLoss(zk_, [&] {
        return zk_.GetData(JoinPath(txn_path, p), &data, nullptr, Signal::WatcherFor(signal));
      });
      if (err == Err::kNoNode) {
        abort = true;
        continue;
      }
      if (err != Err::kOk) return err;
      TxnOutcome vote = ParseOutcome(data);
      if (vote != TxnOutcome::kPending) votes[p] = vote;
    }
    for (const auto& [p, vote] : votes) abort = abort || vote == TxnOutcome::kAbort;
    if (abort) return Record(txn, TxnOutcome::kAbort, outcome);
    if (votes.size() == participants.size()) return Record(txn, TxnOutcome::kCommit, outcome);
    if (!signal->Wait(zk_, deadline)) {
      if (SessionIsDead(zk_)) return Err::kSessionExpired;
      return Record(txn, TxnOutcome::kAbort, outcome);
    }
  }
}

Err TwoPhaseCoordinator::Remove(const std::string& txn) {
  const std::string txn_path = JoinPath(root_, txn);
  std::vector<std::string> children;
  Err err = RetryOnConnectionLoss(zk_, [&] { return zk_.GetChildren(txn_path, &children); });
  if (err == Err::kNoNode) return Err::kOk;
  if (err != Err::kOk) return err;
  std::vector<client::Op> ops;
  for (const auto& c : children) ops.push_back(client::Op::Delete(JoinPath(txn_path, c)));
  ops.push_back(client::Op::Delete(txn_path));
  err = zk_.Multi(ops);
  // A participant left meanwhile: list again.
  if (err == Err::kNoNode || err == Err::kNotEmpty) return Remove(txn);
  return err;
}

TwoPhaseParticipant::TwoPhaseParticipant(SyncClient& zk, const std::string& root,
                                         const std::string& txn, const std::string& name)
    : zk_(zk), txn_path_(JoinPath(root, txn)), node_path_(JoinPath(txn_path_, name)) {}

Err TwoPhaseParticipant::Join() {
  Err err = RetryOnConnectionLoss(zk_, [&] {
    return zk_.Create(node_path_, "", client::OpenAclUnsafe(), CreateMode::kEphemeral);
  });
  if (err == Err::kNodeExists) {
    // Ours if a lost reply hid our own create.
    client::Stat stat;
    if (zk_.Exists(node_path_, &stat) == Err::kOk &&
        stat.ephemeralOwner == zk_.Async().SessionId()) {
      return Err::kOk;
    }
  }
  return err;
}

Err TwoPhaseParticipant::Vote(bool commit) {
  return RetryOnConnectionLoss(zk_,
                               [&] { return zk_.SetData(node_path_, commit ? kCommit : kAbort); });
}

Err TwoPhaseParticipant::WaitOutcome(TxnOutcome* outcome, std::chrono::milliseconds timeout) {
  Clock::time_point deadline = DeadlineAfter(timeout);
  auto signal = std::make_shared<Signal>();
  while (true) {
    std::string data;
    Err err = RetryOnConnectionLoss(
        zk_, [&] { return zk_.GetData(txn_path_, &data, nullptr, Signal::WatcherFor(signal)); });
    if (err != Err::kOk) return err;
    *outcome = ParseOutcome(data);
    if (*outcome != TxnOutcome::kPending) return Err::kOk;
    if (!signal->Wait(zk_, deadline)) {
      return SessionIsDead(zk_) ? Err::kSessionExpired : Err::kOperationTimeout;
    }
  }
}

}  // namespace zk::recipes
