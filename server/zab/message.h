// Server-to-server messages of the ZAB core. The shell carries them between
// peers (any framing will do: the core is robust to loss, duplication and
// reordering, and treats every message as a hint to be checked).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "server/zab/types.h"

namespace zk::zab {

enum class MessageType : uint8_t {
  // Fast leader election.
  kNotification = 1,  // vote + sender state; election_epoch in `epoch`
  // Discovery.
  kFollowerInfo = 2,  // learner -> leader: accepted_epoch
  kNewEpoch = 3,      // leader -> learner: the new epoch in `epoch`
  kAckEpoch = 4,      // learner -> leader: current_epoch, zxid = last zxid, epoch_ends,
                      // granted = the epoch was granted to this leader
  // Synchronization. kSync carries DIFF/TRUNC/SNAP and stands for NEWLEADER.
  kSync = 5,          // leader -> learner: sync_mode, zxid = truncate point, snapshot,
                      // entries, commit, prev_zxid = learner's last zxid it answers
  kAckNewLeader = 6,  // learner -> leader: zxid = last synced zxid, now durable
  kUpToDate = 7,      // leader -> learner: commit
  // Broadcast.
  kProposal = 8,  // leader -> follower: entries[0], prev_zxid = zxid before it
  kAck = 9,       // follower -> leader: zxid = highest durable zxid
  kCommit = 10,   // leader -> follower: commit = everything <= it is committed
  kInform = 11,   // leader -> observer: entries[0] (committed), prev_zxid
  // Liveness and client plumbing.
  kPing = 12,         // leader -> learner: commit
  kPong = 13,         // learner -> leader
  kRequest = 14,      // learner -> leader: payload to propose
  kSyncRequest = 15,  // learner -> leader: request_id
  kSyncReply = 16,    // leader -> learner: request_id, zxid = leader's last proposed
};
const char* MessageTypeName(MessageType type);

enum class SyncMode : uint8_t { kDiff = 0, kTrunc = 1, kSnap = 2 };
const char* SyncModeName(SyncMode mode);

// A vote in fast leader election, ordered by (epoch, zxid, leader).
struct Vote {
  ServerId leader = 0;
  Zxid zxid = 0;    // the proposed leader's last logged zxid
  Epoch epoch = 0;  // the proposed leader's current epoch
  bool operator==(const Vote&) const = default;
};
bool VoteGreater(const Vote& a, const Vote& b);

// One flat struct for every type, like raft's Message: fields a type does not
// use stay at their defaults.
struct Message {
  MessageType type = MessageType::kPing;
  ServerId from = 0;
  ServerId to = 0;
  // Leader epoch for leader/learner traffic; election epoch for notifications.
  Epoch epoch = 0;
  // Learner handshake id: ties replies to one learner connection attempt.
  uint64_t nonce = 0;
  Zxid zxid = 0;
  Zxid prev_zxid = 0;
  Zxid commit = 0;
  Epoch accepted_epoch = 0;
  Epoch current_epoch = 0;
  bool granted = false;
  Vote vote;
  Role state = Role::kLooking;
  SyncMode sync_mode = SyncMode::kDiff;
  bool has_snapshot = false;
  Snapshot snapshot;
  std::vector<Entry> entries;
  std::vector<Zxid> epoch_ends;
  std::string payload;
  uint64_t request_id = 0;
};

// One line for transcripts and logs, e.g. "2->1 PROPOSAL e=1 zxid=0x100000004".
std::string Describe(const Message& m);

}  // namespace zk::zab
