// Public entry points of the core and the plumbing every role shares.
#include "server/zab/core.h"

#include <glog/logging.h>

#include <algorithm>
#include <utility>

namespace zk::zab {

const char* StatusName(Status status) {
  switch (status) {
    case Status::kOk:
      return "OK";
    case Status::kNotLeader:
      return "NOT_LEADER";
    case Status::kNotReady:
      return "NOT_READY";
    case Status::kEpochExhausted:
      return "EPOCH_EXHAUSTED";
    case Status::kInvalid:
      return "INVALID";
  }
  return "?";
}

Core::Core(Config config, PersistentState state, SnapshotSource* snapshots)
    : config_(std::move(config)),
      snapshots_(snapshots),
      rng_state_(config_.seed ^ (static_cast<uint64_t>(config_.id) * 0x9e3779b97f4a7c15ULL)),
      log_(state.snapshot_zxid, std::move(state.entries)),
      hs_(state.hard_state) {
  CHECK(config_.IsVoter(config_.id) || config_.IsObserver(config_.id))
      << "server " << config_.id << " is not in its own configuration";
  persisted_ = log_.last_zxid();
  committed_ = applied_ = handed_commit_ = log_.base();
  shell_last_ = log_.last_zxid();
  BecomeLooking("start");
}

// ---- Inputs ----

void Core::Tick() {
  ++now_;
  switch (role_) {
    case Role::kLooking:
      TickLooking();
      break;
    case Role::kLeading:
      TickLeader();
      break;
    case Role::kFollowing:
    case Role::kObserving:
      TickLearner();
      break;
  }
}

void Core::Step(const Message& m) {
  if (m.to != config_.id || m.from == config_.id) return;
  if (!config_.IsVoter(m.from) && !config_.IsObserver(m.from)) return;
  if (m.type == MessageType::kNotification) {
    if (role_ == Role::kLooking) {
      StepLooking(m);
    } else {
      AnswerLookingPeer(m);
    }
    return;
  }
  switch (role_) {
    case Role::kLooking:
      break;  // peers retry once we settle
    case Role::kLeading:
      StepLeader(m);
      break;
    case Role::kFollowing:
      StepFollower(m);
      break;
    case Role::kObserving:
      StepObserver(m);
      break;
  }
}

Status Core::Propose(std::string payload, Zxid* zxid) {
  if (role_ != Role::kLeading) return Status::kNotLeader;
  if (!lead_.established) return Status::kNotReady;
  if (lead_.counter >= kMaxCounter) return Status::kEpochExhausted;
  Zxid prev = log_.last_zxid();
  Entry entry{MakeZxid(lead_.epoch, ++lead_.counter), std::move(payload)};
  if (zxid != nullptr) *zxid = entry.zxid;
  for (auto& [sid, peer] : lead_.peers) {
    if (peer.observer || peer.stage < PeerStage::kSyncSent) continue;
    Message m = ToPeer(MessageType::kProposal, sid, peer);
    m.prev_zxid = prev;
    m.entries.push_back(entry);
    Send(std::move(m));
  }
  AppendEntry(std::move(entry));
  return Status::kOk;
}

Status Core::Forward(std::string payload) {
  if (role_ == Role::kLeading) return Status::kInvalid;  // propose directly
  if (!is_learner() || learn_.stage != LearnerStage::kBroadcast) return Status::kNotReady;
  Message m = ToLeader(MessageType::kRequest);
  m.payload = std::move(payload);
  Send(std::move(m));
  return Status::kOk;
}

Status Core::RequestSync(uint64_t id) {
  if (role_ == Role::kLeading && lead_.established) {
    syncs_.push_back({id, log_.last_zxid(), true});
    CompleteSyncs();
    return Status::kOk;
  }
  if (is_learner() && learn_.stage == LearnerStage::kBroadcast) {
    syncs_.push_back({id, 0, false});
    Message m = ToLeader(MessageType::kSyncRequest);
    m.request_id = id;
    Send(std::move(m));
    return Status::kOk;
  }
  return Status::kNotReady;
}

void Core::Persisted(Zxid zxid) {
  // A report may be stale: the entry may have been truncated since.
  if (zxid <= persisted_ || zxid > log_.last_zxid() || !log_.HasPoint(zxid)) return;
  persisted_ = zxid;
  if (role_ == Role::kLeading) {
    LeaderPersisted();
  } else if (is_learner()) {
    LearnerPersisted();
  }
}

Status Core::Compact(Zxid zxid) {
  if (zxid > applied_) return Status::kInvalid;
  log_.CompactTo(zxid);
  return Status::kOk;
}

// ---- Outputs ----

SoftState Core::soft_state() const {
  SoftState s;
  s.role = role_;
  s.leader = leader_;
  if (role_ == Role::kLeading) {
    s.epoch = lead_.epoch;
    s.serving = lead_.established;
  } else if (is_learner()) {
    s.epoch = learn_.epoch;
    s.serving = learn_.stage == LearnerStage::kBroadcast;
  }
  return s;
}

bool Core::HasReady() const {
  const Ready& p = pending_;
  return soft_state() != reported_soft_ || p.hard_state || p.snapshot || p.truncate_after ||
         !p.entries.empty() || !p.messages.empty() || !p.committed.empty() || !p.syncs.empty();
}

Ready Core::TakeReady() {
  DCHECK(!awaiting_advance_) << "TakeReady before Advance";
  Ready ready = std::move(pending_);
  pending_ = Ready{};
  SoftState soft = soft_state();
  if (soft != reported_soft_) {
    ready.soft_state = soft;
    reported_soft_ = soft;
  }
  shell_last_ = log_.last_zxid();
  handed_commit_ = committed_;
  awaiting_advance_ = true;
  return ready;
}

void Core::Advance() {
  awaiting_advance_ = false;
  applied_ = std::max(applied_, handed_commit_);
}

// ---- Plumbing ----

void Core::Send(Message m) {
  m.from = config_.id;
  pending_.messages.push_back(std::move(m));
}

void Core::SetHardState(const HardState& hs) {
  if (hs == hs_) return;
  hs_ = hs;
  pending_.hard_state = hs_;
}

void Core::AppendEntry(Entry entry) {
  pending_.entries.push_back(entry);
  log_.Append(std::move(entry));
}

void Core::TruncateAfter(Zxid zxid) {
  CHECK_GE(zxid, committed_) << "truncating committed txns";
  log_.TruncateAfter(zxid);
  persisted_ = std::min(persisted_, zxid);
  auto& entries = pending_.entries;
  while (!entries.empty() && entries.back().zxid > zxid) entries.pop_back();
  if (zxid < shell_last_) {
    pending_.truncate_after = std::min(pending_.truncate_after.value_or(zxid), zxid);
  }
}

void Core::InstallSnapshot(Snapshot snapshot) {
  CHECK_GE(snapshot.zxid, committed_) << "snapshot would undo committed txns";
  log_.Reset(snapshot.zxid);
  persisted_ = committed_ = snapshot.zxid;
  applied_ = handed_commit_ = std::max(applied_, snapshot.zxid);
  shell_last_ = snapshot.zxid;
  pending_.entries.clear();
  pending_.committed.clear();
  pending_.truncate_after.reset();
  pending_.snapshot = std::move(snapshot);
}

void Core::CommitTo(Zxid zxid) {
  if (zxid <= committed_) return;
  DCHECK_LE(zxid, persisted_);
  for (Entry& e : log_.EntriesBetween(committed_, zxid)) pending_.committed.push_back(std::move(e));
  committed_ = zxid;
  CompleteSyncs();
}

void Core::CompleteSyncs() {
  auto done = [this](const PendingSync& s) { return s.known && committed_ >= s.target; };
  for (const PendingSync& s : syncs_) {
    if (done(s)) pending_.syncs.push_back({s.id, true});
  }
  std::erase_if(syncs_, done);
}

void Core::FailSyncs() {
  for (const PendingSync& s : syncs_) pending_.syncs.push_back({s.id, false});
  syncs_.clear();
}

uint64_t Core::NextNonce() {
  // splitmix64: small, seedable, good enough for connection ids.
  uint64_t z = (rng_state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return z == 0 ? 1 : z;
}

void Core::BecomeLooking(const char* why) {
  VLOG(1) << "server " << config_.id << " LOOKING: " << why;
  FailSyncs();
  role_ = Role::kLooking;
  leader_ = 0;
  lead_ = LeaderState{};
  learn_ = LearnerState{};
  election_.round++;
  election_.proposal = SelfVote();
  election_.votes.clear();
  election_.settled.clear();
  election_.quorum_agrees = false;
  if (config_.IsVoter(config_.id)) election_.votes[config_.id] = election_.proposal;
  BroadcastNotification();
  CountVotes();
}

}  // namespace zk::zab
