// Fast leader election: the LOOKING role. Votes are ordered by (epoch, last
// zxid, server id); a server settles once a quorum of voters in its round agree
// with its vote, or once a quorum reports they already follow a live leader.
// Election only picks a candidate: safety comes from discovery (leader.cc).
#include <glog/logging.h>

#include "server/zab/core.h"

namespace zk::zab {

Vote Core::SelfVote() const { return Vote{config_.id, log_.last_zxid(), hs_.current_epoch}; }

Message Core::Notification(ServerId to) const {
  Message m;
  m.type = MessageType::kNotification;
  m.to = to;
  m.epoch = election_.round;
  m.state = role_;
  m.vote = role_ == Role::kLooking ? election_.proposal : vote_;
  return m;
}

void Core::BroadcastNotification() {
  for (ServerId peer : config_.Peers()) Send(Notification(peer));
}

void Core::TickLooking() {
  if (election_.quorum_agrees) {
    Decide(election_.proposal.leader);
    return;
  }
  // Notifications may be lost: repeat ours every tick until we settle.
  BroadcastNotification();
}

void Core::AnswerLookingPeer(const Message& m) {
  if (m.state == Role::kLooking) Send(Notification(m.from));
}

void Core::StepLooking(const Message& m) {
  if (!config_.IsVoter(m.vote.leader)) return;  // only voters can lead
  if (m.state != Role::kLooking) {
    election_.settled[m.from] = ElectionReport{m.vote.leader, m.state};
    CountSettledReports(m.vote.leader);
    return;
  }
  // Observers neither vote nor count looking voters; they wait for settled reports.
  if (!config_.IsVoter(m.from) || !config_.IsVoter(config_.id)) return;
  if (m.epoch > election_.round) {
    election_.round = m.epoch;
    election_.votes.clear();
    Vote self = SelfVote();
    election_.proposal = VoteGreater(m.vote, self) ? m.vote : self;
    BroadcastNotification();
  } else if (m.epoch < election_.round) {
    Send(Notification(m.from));  // help it catch up with our round
    return;
  } else if (VoteGreater(m.vote, election_.proposal)) {
    election_.proposal = m.vote;
    BroadcastNotification();
  }
  election_.votes[m.from] = m.vote;
  election_.votes[config_.id] = election_.proposal;
  CountVotes();  // a better vote above resets the agreement
}

void Core::CountVotes() {
  if (role_ != Role::kLooking || !config_.IsVoter(config_.id)) return;
  size_t agree = 0;
  for (const auto& [sid, vote] : election_.votes) {
    if (vote == election_.proposal) ++agree;
  }
  election_.quorum_agrees = agree >= config_.Quorum();
}

void Core::CountSettledReports(ServerId leader) {
  if (leader == config_.id) return;
  auto it = election_.settled.find(leader);
  if (it == election_.settled.end() || it->second.state != Role::kLeading) return;
  size_t agree = 0;
  for (const auto& [sid, report] : election_.settled) {
    if (config_.IsVoter(sid) && report.leader == leader) ++agree;
  }
  if (agree >= config_.Quorum()) Decide(leader);
}

void Core::Decide(ServerId leader) {
  VLOG(1) << "server " << config_.id << " elected " << leader << " in round " << election_.round;
  vote_ = election_.proposal;
  vote_.leader = leader;
  if (leader == config_.id) {
    BecomeLeader();
  } else {
    BecomeLearner(leader);
  }
}

}  // namespace zk::zab
