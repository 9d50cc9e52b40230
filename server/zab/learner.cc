// The learner roles (FOLLOWING and OBSERVING): the handshake with the leader
// (FOLLOWERINFO -> NEWEPOCH -> ACKEPOCH -> SYNC -> ACK_NEWLEADER -> UPTODATE),
// then broadcast: followers log and ACK proposals, observers take INFORMs.
// Anything out of order restarts the handshake with a fresh nonce, the way a
// broken TCP connection would.
#include <glog/logging.h>

#include <algorithm>

#include "server/zab/core.h"

namespace zk::zab {

void Core::BecomeLearner(ServerId leader) {
  role_ = config_.IsObserver(config_.id) ? Role::kObserving : Role::kFollowing;
  leader_ = leader;
  learn_ = LearnerState{};
  learn_.last_heard = now_;
  Resync("new leader");
}

Message Core::ToLeader(MessageType type) const {
  Message m;
  m.type = type;
  m.to = leader_;
  m.epoch = learn_.epoch;
  m.nonce = learn_.nonce;
  return m;
}

Message Core::AckEpochMessage() const {
  Message m = ToLeader(MessageType::kAckEpoch);
  m.current_epoch = hs_.current_epoch;
  m.zxid = log_.last_zxid();
  m.epoch_ends = log_.EpochEnds();
  m.granted = learn_.granted;
  return m;
}

void Core::Resync(const char* why) {
  VLOG(1) << "server " << config_.id << " (re)connects to leader " << leader_ << ": " << why;
  FailSyncs();
  learn_.stage = LearnerStage::kAwaitNewEpoch;
  learn_.nonce = NextNonce();
  learn_.epoch = 0;
  learn_.sync_last = 0;
  learn_.commit_target = committed_;
  learn_.acked = 0;
  learn_.behind_since = -1;
  Message m = ToLeader(MessageType::kFollowerInfo);
  m.accepted_epoch = hs_.accepted_epoch;
  Send(std::move(m));
}

bool Core::FromMyLeader(const Message& m) {
  if (m.from != leader_ || m.nonce != learn_.nonce) return false;
  if (learn_.stage != LearnerStage::kAwaitNewEpoch && m.epoch != learn_.epoch) return false;
  learn_.last_heard = now_;
  return true;
}

void Core::StepFollower(const Message& m) {
  if (!FromMyLeader(m)) return;
  switch (m.type) {
    case MessageType::kProposal:
      OnProposal(m);
      break;
    case MessageType::kCommit:
      if (learn_.stage >= LearnerStage::kAwaitPersist) {
        learn_.commit_target = std::max(learn_.commit_target, m.commit);
        AdvanceLearnerCommit();
      }
      break;
    default:
      StepHandshake(m);
  }
}

void Core::StepObserver(const Message& m) {
  if (!FromMyLeader(m)) return;
  if (m.type == MessageType::kInform) {
    OnInform(m);
  } else {
    StepHandshake(m);
  }
}

void Core::StepHandshake(const Message& m) {
  switch (m.type) {
    case MessageType::kNewEpoch:
      if (learn_.stage == LearnerStage::kAwaitNewEpoch) OnNewEpoch(m);
      break;
    case MessageType::kSync:
      if (learn_.stage == LearnerStage::kAwaitSync) OnSync(m);
      break;
    case MessageType::kUpToDate:
      if (learn_.stage == LearnerStage::kAwaitUpToDate) {
        learn_.stage = LearnerStage::kBroadcast;
        learn_.commit_target = std::max(learn_.commit_target, m.commit);
        AdvanceLearnerCommit();
      }
      break;
    case MessageType::kPing:
      OnPing(m);
      break;
    case MessageType::kSyncReply:
      for (PendingSync& s : syncs_) {
        if (s.id == m.request_id && !s.known) {
          s.known = true;
          s.target = m.zxid;
        }
      }
      CompleteSyncs();
      break;
    default:
      break;
  }
}

void Core::OnNewEpoch(const Message& m) {
  bool granted = false;
  if (role_ == Role::kFollowing) {
    if (m.epoch < hs_.accepted_epoch) {
      BecomeLooking("leader proposed an epoch older than one we accepted");
      return;
    }
    // An epoch is granted to one leader only. If another leader already has it,
    // we may still sync with this one, but our ACKEPOCH does not count towards
    // its epoch quorum (ZooKeeper acks with epoch -1 in that case).
    granted = m.epoch > hs_.accepted_epoch || hs_.vote == leader_;
    if (granted) {
      HardState hs = hs_;
      hs.accepted_epoch = m.epoch;
      hs.vote = leader_;
      SetHardState(hs);  // durable before ACKEPOCH leaves
    }
  }
  learn_.epoch = m.epoch;
  learn_.granted = granted;
  learn_.stage = LearnerStage::kAwaitSync;
  Send(AckEpochMessage());
}

void Core::OnSync(const Message& m) {
  // The leader computed this SYNC for the log we reported; ignore it otherwise.
  if (m.prev_zxid != log_.last_zxid()) return;
  if (m.sync_mode == SyncMode::kSnap) {
    if (!m.has_snapshot || m.snapshot.zxid < committed_) {
      LOG(ERROR) << "server " << config_.id << " refuses a snapshot behind its commits";
      BecomeLooking("bad snapshot");
      return;
    }
    InstallSnapshot(m.snapshot);
  } else {
    Zxid point = m.zxid;
    if (point < committed_ || point > log_.last_zxid() || !log_.HasPoint(point)) {
      LOG(ERROR) << "server " << config_.id << " refuses to truncate to " << ZxidToString(point)
                 << " (committed " << ZxidToString(committed_) << ")";
      BecomeLooking("inconsistent sync");
      return;
    }
    if (point < log_.last_zxid()) TruncateAfter(point);
  }
  for (const Entry& e : m.entries) {
    if (e.zxid <= log_.last_zxid()) {
      BecomeLooking("sync entries out of order");
      return;
    }
    AppendEntry(e);
  }
  learn_.sync_last = log_.last_zxid();
  learn_.commit_target = std::max(learn_.commit_target, m.commit);
  learn_.stage = LearnerStage::kAwaitPersist;
  MaybeAckNewLeader();
  AdvanceLearnerCommit();
}

void Core::OnProposal(const Message& m) {
  if (learn_.stage < LearnerStage::kAwaitPersist || m.entries.size() != 1) return;
  const Entry& e = m.entries[0];
  if (e.zxid <= log_.last_zxid()) return;  // a duplicate
  if (m.prev_zxid != log_.last_zxid()) {
    Resync("missed a proposal");
    return;
  }
  AppendEntry(e);
}

void Core::OnInform(const Message& m) {
  if (learn_.stage < LearnerStage::kAwaitPersist || m.entries.size() != 1) return;
  const Entry& e = m.entries[0];
  if (e.zxid > log_.last_zxid()) {
    if (m.prev_zxid != log_.last_zxid()) {
      Resync("missed an inform");
      return;
    }
    AppendEntry(e);
  }
  learn_.commit_target = std::max(learn_.commit_target, e.zxid);
  AdvanceLearnerCommit();
}

void Core::OnPing(const Message& m) {
  Message pong = ToLeader(MessageType::kPong);
  if (role_ == Role::kFollowing && learn_.stage >= LearnerStage::kAwaitUpToDate) {
    pong.zxid = persisted_;  // doubles as a cumulative ACK, in case one was lost
  }
  Send(std::move(pong));
  if (learn_.stage < LearnerStage::kAwaitPersist) return;
  learn_.commit_target = std::max(learn_.commit_target, m.commit);
  AdvanceLearnerCommit();
  // Commits we do not even hold: a proposal or inform was lost (or is late).
  if (m.commit > log_.last_zxid()) {
    if (learn_.behind_since < 0) learn_.behind_since = now_;
  } else {
    learn_.behind_since = -1;
  }
}

void Core::PeerUnreachable(ServerId id) {
  if (is_learner() && id == leader_) {
    BecomeLooking("leader unreachable");
  } else if (role_ == Role::kLeading && lead_.peers.erase(id) > 0 && lead_.established &&
             !HasLiveQuorum()) {
    BecomeLooking("lost the links to a quorum");
  }
}

void Core::TickLearner() {
  int limit = learn_.stage == LearnerStage::kBroadcast ? config_.sync_limit : config_.init_limit;
  if (now_ - learn_.last_heard > limit) {
    BecomeLooking("leader silent");
    return;
  }
  if (learn_.behind_since >= 0 && now_ - learn_.behind_since >= 2) {
    Resync("lagging behind the leader's commits");
    return;
  }
  // Repeat the handshake step we are waiting on, in case it was lost.
  switch (learn_.stage) {
    case LearnerStage::kAwaitNewEpoch: {
      Message m = ToLeader(MessageType::kFollowerInfo);
      m.accepted_epoch = hs_.accepted_epoch;
      Send(std::move(m));
      break;
    }
    case LearnerStage::kAwaitSync:
      Send(AckEpochMessage());
      break;
    case LearnerStage::kAwaitUpToDate: {
      Message m = ToLeader(MessageType::kAckNewLeader);
      m.zxid = learn_.sync_last;
      Send(std::move(m));
      break;
    }
    case LearnerStage::kBroadcast:
      for (const PendingSync& s : syncs_) {
        if (s.known) continue;
        Message m = ToLeader(MessageType::kSyncRequest);
        m.request_id = s.id;
        Send(std::move(m));
      }
      break;
    case LearnerStage::kAwaitPersist:
      break;
  }
}

void Core::LearnerPersisted() {
  MaybeAckNewLeader();
  MaybeSendAck();
  AdvanceLearnerCommit();
}

void Core::MaybeAckNewLeader() {
  if (learn_.stage != LearnerStage::kAwaitPersist || persisted_ < learn_.sync_last) return;
  if (role_ == Role::kFollowing) {
    // We now durably hold the leader's history: only then may we claim its epoch.
    HardState hs = hs_;
    hs.current_epoch = learn_.epoch;
    SetHardState(hs);
  }
  learn_.stage = LearnerStage::kAwaitUpToDate;
  Message m = ToLeader(MessageType::kAckNewLeader);
  m.zxid = learn_.sync_last;
  Send(std::move(m));
  MaybeSendAck();
}

void Core::MaybeSendAck() {
  if (role_ != Role::kFollowing || learn_.stage < LearnerStage::kAwaitUpToDate) return;
  if (persisted_ <= learn_.acked || persisted_ <= learn_.sync_last) return;
  learn_.acked = persisted_;
  Message m = ToLeader(MessageType::kAck);
  m.zxid = persisted_;
  Send(std::move(m));
}

void Core::AdvanceLearnerCommit() {
  if (learn_.stage < LearnerStage::kAwaitPersist) return;
  CommitTo(std::min(learn_.commit_target, persisted_));
}

}  // namespace zk::zab
