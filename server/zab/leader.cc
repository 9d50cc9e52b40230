// The LEADING role: discovery (agree on a new epoch with a quorum), sync (bring
// each learner to our history: DIFF / TRUNC / SNAP, standing for NEWLEADER),
// then broadcast (PROPOSAL, ACK, COMMIT; INFORM for observers).
#include <glog/logging.h>

#include <algorithm>
#include <utility>

#include "server/zab/core.h"

namespace zk::zab {

void Core::BecomeLeader() {
  role_ = Role::kLeading;
  leader_ = config_.id;
  lead_ = LeaderState{};
  lead_.started = now_;
  lead_.infos[config_.id] = hs_.accepted_epoch;
  MaybeChooseEpoch();
}

Message Core::ToPeer(MessageType type, ServerId to, const Peer& peer) const {
  Message m;
  m.type = type;
  m.to = to;
  m.epoch = lead_.epoch;
  m.nonce = peer.nonce;
  m.commit = committed_;
  return m;
}

void Core::StepLeader(const Message& m) {
  if (m.type == MessageType::kFollowerInfo) {
    OnFollowerInfo(m);
    return;
  }
  if (m.type == MessageType::kRequest) {
    // A forwarded client write; if we cannot take it the origin's client retries.
    if (lead_.established) Propose(m.payload);
    return;
  }
  auto it = lead_.peers.find(m.from);
  if (it == lead_.peers.end() || it->second.nonce != m.nonce) return;  // stale connection
  Peer& peer = it->second;
  peer.last_heard = now_;
  switch (m.type) {
    case MessageType::kAckEpoch:
      OnAckEpoch(peer, m.from, m);
      break;
    case MessageType::kAckNewLeader:
      OnAckNewLeader(peer, m.from, m);
      break;
    case MessageType::kAck:
    case MessageType::kPong:
      if (m.epoch == lead_.epoch && peer.stage >= PeerStage::kSyncSent) OnAck(peer, m.zxid);
      break;
    case MessageType::kSyncRequest:
      if (lead_.established) {
        Message reply = ToPeer(MessageType::kSyncReply, m.from, peer);
        reply.request_id = m.request_id;
        reply.zxid = log_.last_zxid();
        Send(std::move(reply));
      }
      break;
    default:
      break;
  }
}

void Core::OnFollowerInfo(const Message& m) {
  Peer& peer = lead_.peers[m.from];
  if (peer.nonce != m.nonce) {
    // A new connection attempt: forget what the old one had reached.
    peer = Peer{};
    peer.nonce = m.nonce;
    peer.connected = now_;
    peer.observer = config_.IsObserver(m.from);
    if (!peer.observer) {
      auto& info = lead_.infos[m.from];
      info = std::max(info, m.accepted_epoch);
    }
  }
  peer.last_heard = now_;
  if (lead_.epoch == 0) {
    MaybeChooseEpoch();
  } else if (peer.stage <= PeerStage::kNewEpochSent) {
    SendNewEpoch(m.from, peer);  // first time, or our NEWEPOCH was lost
  }
}

void Core::MaybeChooseEpoch() {
  if (lead_.epoch != 0 || lead_.infos.size() < config_.Quorum()) return;
  Epoch highest = 0;
  for (const auto& [sid, accepted] : lead_.infos) highest = std::max(highest, accepted);
  lead_.epoch = highest + 1;
  // Grant the epoch to ourselves first; it is durable before NEWEPOCH leaves.
  HardState hs = hs_;
  hs.accepted_epoch = lead_.epoch;
  hs.vote = config_.id;
  SetHardState(hs);
  lead_.epoch_acks.insert(config_.id);
  VLOG(1) << "leader " << config_.id << " proposes epoch " << lead_.epoch;
  for (auto& [sid, peer] : lead_.peers) SendNewEpoch(sid, peer);
  MaybeStartSync();
}

void Core::SendNewEpoch(ServerId to, Peer& peer) {
  peer.stage = PeerStage::kNewEpochSent;
  Send(ToPeer(MessageType::kNewEpoch, to, peer));
}

void Core::OnAckEpoch(Peer& peer, ServerId from, const Message& m) {
  if (m.epoch != lead_.epoch) return;
  if (peer.stage == PeerStage::kNewEpochSent) {
    if (!peer.observer && !lead_.established &&
        std::pair(m.current_epoch, m.zxid) > std::pair(hs_.current_epoch, log_.last_zxid())) {
      // Our history might miss committed txns: let the election pick again.
      BecomeLooking("a follower is ahead of the leader");
      return;
    }
    peer.stage = PeerStage::kEpochAcked;
    peer.current_epoch = m.current_epoch;
    peer.last_zxid = m.zxid;
    peer.epoch_ends = m.epoch_ends;
    if (!peer.observer && m.granted) lead_.epoch_acks.insert(from);
    if (lead_.synced_quorum) {
      SendSync(from, peer);
    } else {
      MaybeStartSync();
    }
  } else if (peer.stage == PeerStage::kSyncSent && m.zxid == peer.last_zxid) {
    SendSync(from, peer);  // our SYNC was lost; the learner's log is unchanged
  }
}

void Core::MaybeStartSync() {
  if (lead_.synced_quorum || lead_.epoch_acks.size() < config_.Quorum()) return;
  lead_.synced_quorum = true;
  lead_.history_last = log_.last_zxid();
  for (auto& [sid, peer] : lead_.peers) {
    if (peer.stage == PeerStage::kEpochAcked) SendSync(sid, peer);
  }
  LeaderPersisted();
}

Zxid Core::CommonPoint(const std::vector<Zxid>& learner_epoch_ends) const {
  // Within an epoch every log holds a prefix of that epoch's one leader's
  // sequence, so the newest epoch both logs share ends at the smaller of the
  // two ends; everything before it agrees.
  for (auto it = learner_epoch_ends.rbegin(); it != learner_epoch_ends.rend(); ++it) {
    if (auto ours = log_.LastInEpoch(EpochOf(*it))) return std::min(*it, *ours);
  }
  return -1;
}

void Core::SendSync(ServerId to, Peer& peer) {
  Message m = ToPeer(MessageType::kSync, to, peer);
  m.prev_zxid = peer.last_zxid;  // the learner applies it only to that log
  Zxid common = CommonPoint(peer.epoch_ends);
  if (common >= log_.base() && log_.HasPoint(common)) {
    m.sync_mode = common < peer.last_zxid ? SyncMode::kTrunc : SyncMode::kDiff;
    m.zxid = common;
  } else {
    Snapshot snap;
    if (snapshots_ == nullptr || !snapshots_->LatestSnapshot(&snap) || snap.zxid < log_.base() ||
        snap.zxid > log_.last_zxid()) {
      LOG(ERROR) << "leader " << config_.id << " cannot sync " << to << ": no usable snapshot";
      return;
    }
    m.sync_mode = SyncMode::kSnap;
    m.zxid = snap.zxid;
    m.has_snapshot = true;
    m.snapshot = std::move(snap);
  }
  m.entries = log_.EntriesBetween(m.zxid, log_.last_zxid());
  peer.stage = PeerStage::kSyncSent;
  Send(std::move(m));
}

void Core::OnAckNewLeader(Peer& peer, ServerId from, const Message& m) {
  if (m.epoch != lead_.epoch) return;
  if (peer.stage == PeerStage::kSyncSent) {
    peer.stage = PeerStage::kSynced;
    peer.match = std::max(peer.match, std::min(m.zxid, log_.last_zxid()));
    if (!peer.observer) lead_.newleader_acks.insert(from);
    if (lead_.established) {
      SendUpToDate(from, peer);
      MaybeCommit();
    } else {
      MaybeEstablish();
    }
  } else if (peer.stage == PeerStage::kSynced && lead_.established) {
    SendUpToDate(from, peer);  // our UPTODATE was lost
  }
}

void Core::SendUpToDate(ServerId to, const Peer& peer) {
  Send(ToPeer(MessageType::kUpToDate, to, peer));
}

void Core::LeaderPersisted() {
  if (lead_.established) {
    MaybeCommit();
  } else if (lead_.synced_quorum && persisted_ >= lead_.history_last) {
    lead_.newleader_acks.insert(config_.id);
    MaybeEstablish();
  }
}

void Core::MaybeEstablish() {
  if (lead_.established || !lead_.synced_quorum || lead_.newleader_acks.size() < config_.Quorum() ||
      !lead_.newleader_acks.contains(config_.id)) {
    return;
  }
  lead_.established = true;
  VLOG(1) << "leader " << config_.id << " established epoch " << lead_.epoch;
  HardState hs = hs_;
  hs.current_epoch = lead_.epoch;
  SetHardState(hs);
  CommitTo(lead_.history_last);
  for (auto& [sid, peer] : lead_.peers) {
    if (peer.stage == PeerStage::kSynced) SendUpToDate(sid, peer);
  }
  MaybeCommit();
}

void Core::OnAck(Peer& peer, Zxid zxid) {
  Zxid match = std::min(zxid, log_.last_zxid());
  if (match <= peer.match) return;
  peer.match = match;
  MaybeCommit();
}

void Core::MaybeCommit() {
  if (!lead_.established) return;
  std::vector<Zxid> matches{persisted_};
  for (const auto& [sid, peer] : lead_.peers) {
    if (!peer.observer && peer.stage >= PeerStage::kSyncSent) matches.push_back(peer.match);
  }
  if (matches.size() < config_.Quorum()) return;
  std::sort(matches.begin(), matches.end(), std::greater<>());
  // Committed entries are handed out to apply, which needs them on our own
  // disk too (the contract every role keeps).
  Zxid quorum_zxid = std::min(matches[config_.Quorum() - 1], persisted_);
  if (quorum_zxid <= committed_) return;
  Zxid before = committed_;
  CommitTo(quorum_zxid);
  std::vector<Entry> newly = log_.EntriesBetween(before, quorum_zxid);
  for (auto& [sid, peer] : lead_.peers) {
    if (peer.stage < PeerStage::kSyncSent) continue;
    if (!peer.observer) {
      Send(ToPeer(MessageType::kCommit, sid, peer));
      continue;
    }
    for (const Entry& e : newly) {
      Message m = ToPeer(MessageType::kInform, sid, peer);
      m.prev_zxid = log_.PrevOf(e.zxid);
      m.entries.push_back(e);
      Send(std::move(m));
    }
  }
}

// Like ZooKeeper, a learner that is re-syncing still counts until its
// handshake overruns initLimit.
bool Core::HasLiveQuorum() const {
  size_t live = 1;  // us
  for (const auto& [sid, peer] : lead_.peers) {
    bool syncing = now_ - peer.connected <= config_.init_limit;
    if (!peer.observer && (peer.stage == PeerStage::kSynced || syncing)) ++live;
  }
  return live >= config_.Quorum();
}

void Core::TickLeader() {
  int64_t in_phase = now_ - lead_.started;
  if (!lead_.established && in_phase > config_.init_limit) {
    BecomeLooking("no quorum synced within initLimit");
    return;
  }
  // Forget learners that went silent; they reconnect with a new handshake.
  std::erase_if(lead_.peers, [this](const auto& kv) {
    int limit = kv.second.stage == PeerStage::kSynced ? config_.sync_limit : config_.init_limit;
    return now_ - kv.second.last_heard > limit;
  });
  if (lead_.established && !HasLiveQuorum()) {
    BecomeLooking("lost contact with a quorum for syncLimit");
    return;
  }
  for (const auto& [sid, peer] : lead_.peers) Send(ToPeer(MessageType::kPing, sid, peer));
}

Core::LearnerCounts Core::learner_counts() const {
  LearnerCounts counts;
  if (role_ != Role::kLeading) return counts;
  for (const auto& [id, peer] : lead_.peers) {
    counts.learners++;
    if (peer.stage != PeerStage::kSynced) continue;
    (peer.observer ? counts.synced_observers : counts.synced_followers)++;
  }
  return counts;
}

}  // namespace zk::zab
