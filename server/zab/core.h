// The ZAB consensus core: a deterministic state machine with no sockets,
// threads, clocks or disk. The shell feeds it inputs (Step, Tick, Propose,
// Persisted, ...) and carries out its outputs (TakeReady), following the
// contract in ready.h and README.md.
//
// Thread-safety: none. One thread owns a Core and makes every call.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "server/zab/config.h"
#include "server/zab/log.h"
#include "server/zab/message.h"
#include "server/zab/ready.h"
#include "server/zab/types.h"

namespace zk::zab {

enum class Status {
  kOk,
  kNotLeader,       // Propose on a server that is not the leader
  kNotReady,        // the leader is not established / the learner not up to date
  kEpochExhausted,  // the zxid counter of this epoch is used up
  kInvalid,         // the request contradicts the core's state
};
const char* StatusName(Status status);

// Where a leader gets state for a SNAP sync. The snapshot must be durable and
// its zxid >= the last Core::Compact() point.
class SnapshotSource {
 public:
  virtual ~SnapshotSource() = default;
  virtual bool LatestSnapshot(Snapshot* out) = 0;
};

// What the shell loaded from disk at start: the core resumes from it.
struct PersistentState {
  HardState hard_state;
  Zxid snapshot_zxid = 0;      // the state machine was restored to this point
  std::vector<Entry> entries;  // the durable log after snapshot_zxid, in order
};

class Core {
 public:
  // `snapshots` may be null if the log is never compacted; it must outlive us.
  Core(Config config, PersistentState state, SnapshotSource* snapshots);
  Core(const Core&) = delete;
  Core& operator=(const Core&) = delete;

  // ---- Inputs ----
  // One unit of time (zoo.cfg tickTime).
  void Tick();
  // A message from a peer. Anything stale, duplicated or malformed is ignored.
  void Step(const Message& m);
  // Leader only: orders `payload` as a new txn; its zxid goes to *zxid.
  Status Propose(std::string payload, Zxid* zxid = nullptr);
  // Learner only: sends a client write to the leader, which proposes it.
  Status Forward(std::string payload);
  // Asks to be told (Ready::syncs) once this server has applied every txn the
  // leader had proposed when the request reached it (ZooKeeper's `sync`).
  Status RequestSync(uint64_t id);
  // The link to `id` broke (its process died, or the network cut it). A
  // learner whose leader it is starts an election at once instead of waiting
  // out syncLimit, as a ZooKeeper follower does when its leader's socket
  // closes; a leader forgets the learner and steps down without a quorum.
  void PeerUnreachable(ServerId id);
  // Every entry handed out with zxid <= `zxid` (and not truncated since) is durable.
  void Persisted(Zxid zxid);
  // The shell took a snapshot covering `zxid`; entries <= zxid may be dropped.
  // REQUIRES: zxid <= the last applied zxid.
  Status Compact(Zxid zxid);

  // ---- Outputs ----
  bool HasReady() const;
  // REQUIRES: the previous Ready was Advance()d.
  Ready TakeReady();
  // The last Ready has been carried out completely.
  void Advance();

  // ---- Introspection ----
  ServerId id() const { return config_.id; }
  Role role() const { return role_; }
  ServerId leader() const { return leader_; }
  SoftState soft_state() const;
  const HardState& hard_state() const { return hs_; }
  const Log& log() const { return log_; }
  Zxid committed() const { return committed_; }
  // A leader's learners: connected, and synced (past NEWLEADER) by kind.
  struct LearnerCounts {
    int learners = 0;
    int synced_followers = 0;
    int synced_observers = 0;
  };
  LearnerCounts learner_counts() const;
  Zxid persisted() const { return persisted_; }

 private:
  enum class PeerStage { kInfo, kNewEpochSent, kEpochAcked, kSyncSent, kSynced };
  // A leader's view of one learner connection.
  struct Peer {
    uint64_t nonce = 0;
    PeerStage stage = PeerStage::kInfo;
    bool observer = false;
    Epoch current_epoch = 0;
    Zxid last_zxid = 0;
    std::vector<Zxid> epoch_ends;
    Zxid match = 0;  // highest zxid known durable on the learner
    int64_t last_heard = 0;
    int64_t connected = 0;  // tick of FOLLOWERINFO: the handshake has initLimit
  };
  struct LeaderState {
    Epoch epoch = 0;                  // 0 until a quorum reported its accepted epochs
    std::map<ServerId, Epoch> infos;  // voters' accepted epochs, us included
    std::set<ServerId> epoch_acks;    // voters that granted `epoch`, us included
    bool synced_quorum = false;       // epoch_acks reached a quorum: sync starts
    std::set<ServerId> newleader_acks;
    bool established = false;
    Zxid history_last = 0;  // our log when sync started: the initial history
    int64_t counter = 0;
    int64_t started = 0;
    std::map<ServerId, Peer> peers;
  };
  enum class LearnerStage { kAwaitNewEpoch, kAwaitSync, kAwaitPersist, kAwaitUpToDate, kBroadcast };
  struct LearnerState {
    LearnerStage stage = LearnerStage::kAwaitNewEpoch;
    uint64_t nonce = 0;
    Epoch epoch = 0;
    bool granted = false;  // we granted `epoch` to this leader
    Zxid sync_last = 0;
    Zxid commit_target = 0;
    Zxid acked = 0;
    int64_t last_heard = 0;
    int64_t behind_since = -1;  // first tick a ping showed commits we lack
  };
  struct ElectionReport {
    ServerId leader = 0;
    Role state = Role::kLooking;
  };
  struct ElectionState {
    Epoch round = 0;  // ZooKeeper's "logical clock"
    Vote proposal;
    std::map<ServerId, Vote> votes;              // voters looking in `round`
    std::map<ServerId, ElectionReport> settled;  // servers already out of election
    // A quorum agreed with `proposal`; settle at the next tick unless a better
    // vote shows up first (ZooKeeper's finalizeWait).
    bool quorum_agrees = false;
  };
  struct PendingSync {
    uint64_t id = 0;
    Zxid target = 0;
    bool known = false;  // a learner waits for the leader's reply first
  };

  // Role changes.
  void BecomeLooking(const char* why);
  void BecomeLeader();
  void BecomeLearner(ServerId leader);
  bool is_learner() const { return role_ == Role::kFollowing || role_ == Role::kObserving; }

  // Election (election.cc).
  void StepLooking(const Message& m);
  void TickLooking();
  void AnswerLookingPeer(const Message& m);
  Vote SelfVote() const;
  Message Notification(ServerId to) const;
  void BroadcastNotification();
  void CountVotes();
  void CountSettledReports(ServerId leader);
  void Decide(ServerId leader);

  // Leader (leader.cc).
  void StepLeader(const Message& m);
  void TickLeader();
  bool HasLiveQuorum() const;
  void OnFollowerInfo(const Message& m);
  void OnAckEpoch(Peer& peer, ServerId from, const Message& m);
  void OnAckNewLeader(Peer& peer, ServerId from, const Message& m);
  void OnAck(Peer& peer, Zxid zxid);
  void MaybeChooseEpoch();
  void MaybeStartSync();
  void MaybeEstablish();
  void LeaderPersisted();
  void MaybeCommit();
  void SendNewEpoch(ServerId to, Peer& peer);
  void SendSync(ServerId to, Peer& peer);
  void SendUpToDate(ServerId to, const Peer& peer);
  Zxid CommonPoint(const std::vector<Zxid>& learner_epoch_ends) const;
  Message ToPeer(MessageType type, ServerId to, const Peer& peer) const;

  // Learners: followers and observers (learner.cc).
  void StepFollower(const Message& m);
  void StepObserver(const Message& m);
  void TickLearner();
  bool FromMyLeader(const Message& m);
  void StepHandshake(const Message& m);
  void OnNewEpoch(const Message& m);
  void OnSync(const Message& m);
  void OnProposal(const Message& m);
  void OnInform(const Message& m);
  void OnPing(const Message& m);
  void Resync(const char* why);
  void LearnerPersisted();
  void MaybeAckNewLeader();
  void MaybeSendAck();
  void AdvanceLearnerCommit();
  Message ToLeader(MessageType type) const;
  Message AckEpochMessage() const;

  // Shared plumbing (core.cc).
  void Send(Message m);
  void SetHardState(const HardState& hs);
  void AppendEntry(Entry entry);
  void TruncateAfter(Zxid zxid);
  void InstallSnapshot(Snapshot snapshot);
  void CommitTo(Zxid zxid);
  void CompleteSyncs();
  void FailSyncs();
  uint64_t NextNonce();

  Config config_;
  SnapshotSource* snapshots_;
  uint64_t rng_state_;
  int64_t now_ = 0;  // ticks since start

  Log log_;
  HardState hs_;
  Zxid persisted_ = 0;  // entries <= this are durable
  Zxid committed_ = 0;  // entries <= this are committed (and handed out to apply)
  Zxid applied_ = 0;    // committed entries the shell confirmed via Advance

  Role role_ = Role::kLooking;
  ServerId leader_ = 0;
  Vote vote_;  // what we tell looking peers once settled
  ElectionState election_;
  LeaderState lead_;
  LearnerState learn_;
  std::vector<PendingSync> syncs_;

  Ready pending_;
  Zxid shell_last_ = 0;  // last zxid of the shell's log per the Readies taken
  Zxid handed_commit_ = 0;
  SoftState reported_soft_;
  bool awaiting_advance_ = false;
};

}  // namespace zk::zab
