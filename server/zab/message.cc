#include "server/zab/message.h"

#include <sstream>
#include <tuple>

namespace zk::zab {

const char* MessageTypeName(MessageType type) {
  switch (type) {
    case MessageType::kNotification:
      return "NOTIFICATION";
    case MessageType::kFollowerInfo:
      return "FOLLOWERINFO";
    case MessageType::kNewEpoch:
      return "NEWEPOCH";
    case MessageType::kAckEpoch:
      return "ACKEPOCH";
    case MessageType::kSync:
      return "SYNC";
    case MessageType::kAckNewLeader:
      return "ACK_NEWLEADER";
    case MessageType::kUpToDate:
      return "UPTODATE";
    case MessageType::kProposal:
      return "PROPOSAL";
    case MessageType::kAck:
      return "ACK";
    case MessageType::kCommit:
      return "COMMIT";
    case MessageType::kInform:
      return "INFORM";
    case MessageType::kPing:
      return "PING";
    case MessageType::kPong:
      return "PONG";
    case MessageType::kRequest:
      return "REQUEST";
    case MessageType::kSyncRequest:
      return "SYNC_REQUEST";
    case MessageType::kSyncReply:
      return "SYNC_REPLY";
  }
  return "?";
}

const char* SyncModeName(SyncMode mode) {
  switch (mode) {
    case SyncMode::kDiff:
      return "DIFF";
    case SyncMode::kTrunc:
      return "TRUNC";
    case SyncMode::kSnap:
      return "SNAP";
  }
  return "?";
}

bool VoteGreater(const Vote& a, const Vote& b) {
  return std::tie(a.epoch, a.zxid, a.leader) > std::tie(b.epoch, b.zxid, b.leader);
}

std::string Describe(const Message& m) {
  std::ostringstream out;
  out << m.from << "->" << m.to << " " << MessageTypeName(m.type) << " e=" << m.epoch;
  switch (m.type) {
    case MessageType::kNotification:
      out << " " << RoleName(m.state) << " vote=(" << m.vote.leader << ","
          << ZxidToString(m.vote.zxid) << ",e" << m.vote.epoch << ")";
      break;
    case MessageType::kFollowerInfo:
      out << " accepted=" << m.accepted_epoch;
      break;
    case MessageType::kAckEpoch:
      out << " current=" << m.current_epoch << " last=" << ZxidToString(m.zxid);
      break;
    case MessageType::kSync:
      out << " " << SyncModeName(m.sync_mode) << " at=" << ZxidToString(m.zxid)
          << " entries=" << m.entries.size() << " commit=" << ZxidToString(m.commit);
      if (m.has_snapshot) out << " snap=" << ZxidToString(m.snapshot.zxid);
      break;
    case MessageType::kAckNewLeader:
    case MessageType::kAck:
    case MessageType::kSyncReply:
      out << " zxid=" << ZxidToString(m.zxid);
      break;
    case MessageType::kProposal:
    case MessageType::kInform:
      if (!m.entries.empty()) out << " zxid=" << ZxidToString(m.entries[0].zxid);
      break;
    case MessageType::kUpToDate:
    case MessageType::kCommit:
    case MessageType::kPing:
      out << " commit=" << ZxidToString(m.commit);
      break;
    default:
      break;
  }
  return out.str();
}

}  // namespace zk::zab
