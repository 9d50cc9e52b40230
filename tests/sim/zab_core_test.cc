// Readable scenarios for each ZAB phase (the harness is in ensemble.h).
#include <gtest/gtest.h>

#include "server/zab/core.h"
#include "tests/sim/ensemble.h"
#include "tests/sim/sim_cluster.h"

namespace zk::zab {
namespace {

using sim::EncodeState;
using sim::Ensemble;

Entry E(Epoch epoch, int counter) {
  return Entry{MakeZxid(epoch, counter),
               "t" + std::to_string(epoch) + "." + std::to_string(counter)};
}

std::vector<Entry> History(Epoch epoch, int from, int to) {
  std::vector<Entry> out;
  for (int c = from; c <= to; ++c) out.push_back(E(epoch, c));
  return out;
}

// ---- Election ----

TEST(ZabElection, FreshEnsembleElectsTheHighestServerId) {
  Ensemble ens(3);
  ens.BootAll();
  EXPECT_EQ(ens.Stabilize(), 3);
  EXPECT_EQ(ens.core(1).leader(), 3);
  EXPECT_EQ(ens.core(2).role(), Role::kFollowing);
}

TEST(ZabElection, TheServerWithTheLongestHistoryWins) {
  Ensemble ens(3);
  ens.Preload(1, {1, 1, 0}, History(1, 1, 5));
  ens.Preload(2, {1, 1, 0}, History(1, 1, 3));
  ens.Preload(3, {1, 1, 0}, History(1, 1, 3));
  ens.BootAll();
  EXPECT_EQ(ens.Stabilize(), 1);
}

TEST(ZabElection, AHigherCurrentEpochBeatsALongerLog) {
  Ensemble ens(3);
  std::vector<Entry> newer = History(1, 1, 2);
  newer.push_back(E(2, 1));
  ens.Preload(1, {2, 2, 0}, newer);
  ens.Preload(2, {1, 1, 0}, History(1, 1, 9));
  ens.Preload(3, {1, 1, 0}, History(1, 1, 9));
  ens.BootAll();
  EXPECT_EQ(ens.Stabilize(), 1);
}

TEST(ZabElection, ARestartedServerJoinsTheEstablishedLeader) {
  Ensemble ens(3);
  ens.BootAll();
  ASSERT_EQ(ens.Stabilize(), 3);
  ens.Crash(1);
  ens.Boot(1);
  EXPECT_EQ(ens.Stabilize(), 3);
  EXPECT_EQ(ens.core(1).leader(), 3);
}

// ---- Discovery ----

TEST(ZabDiscovery, TheNewEpochExceedsEveryAcceptedEpochOfTheQuorum) {
  Ensemble ens(3);
  ens.Preload(1, {7, 1, 0}, {});
  ens.Preload(2, {7, 1, 0}, {});
  ens.Preload(3, {2, 1, 0}, {});
  ens.BootAll();
  ASSERT_EQ(ens.Stabilize(), 3);
  EXPECT_EQ(ens.core(3).soft_state().epoch, 8);
  for (ServerId sid : {1, 2, 3}) {
    EXPECT_EQ(ens.server(sid).hard_state.accepted_epoch, 8) << sid;
    EXPECT_EQ(ens.server(sid).hard_state.current_epoch, 8) << sid;
    EXPECT_EQ(ens.server(sid).hard_state.vote, 3) << sid;
  }
}

TEST(ZabDiscovery, AFollowerNeverGrantsOneEpochToTwoLeaders) {
  Config c;
  c.id = 1;
  c.voters = {1, 2, 3};
  PersistentState st;
  st.hard_state = {5, 4, 3};  // epoch 5 already granted to server 3
  Core core(c, st, nullptr);
  core.TakeReady();
  core.Advance();
  // Servers 2 and 3 report that 2 leads: server 1 follows 2.
  for (ServerId from : {3, 2}) {
    Message n;
    n.type = MessageType::kNotification;
    n.from = from;
    n.to = 1;
    n.epoch = 1;
    n.state = from == 2 ? Role::kLeading : Role::kFollowing;
    n.vote = Vote{2, 0, 4};
    core.Step(n);
  }
  ASSERT_EQ(core.role(), Role::kFollowing);
  Ready rd = core.TakeReady();
  core.Advance();
  ASSERT_EQ(rd.messages.back().type, MessageType::kFollowerInfo);
  Message newepoch;
  newepoch.type = MessageType::kNewEpoch;
  newepoch.from = 2;
  newepoch.to = 1;
  newepoch.epoch = 5;
  newepoch.nonce = rd.messages.back().nonce;
  core.Step(newepoch);
  // It may still sync with server 2, but its ACKEPOCH is no grant.
  EXPECT_EQ(core.hard_state().vote, 3);
  rd = core.TakeReady();
  core.Advance();
  ASSERT_FALSE(rd.messages.empty());
  EXPECT_EQ(rd.messages.back().type, MessageType::kAckEpoch);
  EXPECT_FALSE(rd.messages.back().granted);
  EXPECT_FALSE(rd.hard_state.has_value());
}

// ---- Synchronization ----

TEST(ZabSync, AFollowerThatIsBehindGetsADiff) {
  Ensemble ens(3);
  ens.Preload(1, {1, 1, 0}, History(1, 1, 5));
  ens.Preload(2, {1, 1, 0}, History(1, 1, 3));
  ens.Preload(3, {1, 1, 0}, History(1, 1, 5));
  ens.BootAll();
  ASSERT_EQ(ens.Stabilize(), 3);
  auto syncs = ens.Delivered(MessageType::kSync, 2);
  ASSERT_FALSE(syncs.empty());
  EXPECT_EQ(syncs.back().sync_mode, SyncMode::kDiff);
  EXPECT_EQ(syncs.back().zxid, MakeZxid(1, 3));
  EXPECT_EQ(syncs.back().entries, History(1, 4, 5));
  EXPECT_EQ(ens.server(2).log, History(1, 1, 5));
  // The whole initial history is committed once the leader is established.
  EXPECT_EQ(ens.server(2).applied, History(1, 1, 5));
}

TEST(ZabSync, AFollowerWithTxnsTheLeaderLacksIsTruncated) {
  Ensemble ens(3);
  std::vector<Entry> leader_log = History(1, 1, 2);
  leader_log.push_back(E(2, 1));
  ens.Preload(1, {1, 1, 0}, History(1, 1, 3));  // 1.3 was never committed
  ens.Preload(2, {2, 2, 0}, leader_log);
  ens.Preload(3, {2, 2, 0}, leader_log);
  ens.BootAll();
  ASSERT_EQ(ens.Stabilize(), 3);
  auto syncs = ens.Delivered(MessageType::kSync, 1);
  ASSERT_FALSE(syncs.empty());
  EXPECT_EQ(syncs.back().sync_mode, SyncMode::kTrunc);
  EXPECT_EQ(syncs.back().zxid, MakeZxid(1, 2));
  EXPECT_EQ(ens.server(1).log, leader_log);
}

TEST(ZabSync, AFollowerBehindACompactedLogGetsASnapshot) {
  Ensemble ens(3);
  Snapshot snap{MakeZxid(1, 5), EncodeState(History(1, 1, 5))};
  ens.Preload(2, {1, 1, 0}, History(1, 6, 7), snap);
  ens.Preload(3, {1, 1, 0}, History(1, 6, 7), snap);
  ens.BootAll();
  ASSERT_EQ(ens.Stabilize(), 3);
  auto syncs = ens.Delivered(MessageType::kSync, 1);
  ASSERT_FALSE(syncs.empty());
  EXPECT_EQ(syncs.back().sync_mode, SyncMode::kSnap);
  EXPECT_EQ(ens.server(1).snapshot.zxid, MakeZxid(1, 5));
  EXPECT_EQ(ens.server(1).log, History(1, 6, 7));
  EXPECT_EQ(ens.server(1).applied, History(1, 1, 7));
}

TEST(ZabSync, TheLeaderWaitsForItsOwnHistoryToBeDurable) {
  Ensemble ens(3);
  ens.BootAll();
  ASSERT_EQ(ens.Stabilize(), 3);
  ASSERT_EQ(ens.core(3).Propose("x"), Status::kOk);
  ens.Deliver();
  // Leader 3 restarts with an unsynced-looking tail: hold its disk back.
  ens.server(3).auto_persist = false;
  ens.Crash(3);
  ens.Boot(3);
  ens.Tick(30);
  // Servers 1 and 2 can still elect among themselves; if 3 leads, it must have persisted.
  ServerId leader = ens.Stabilize();
  ASSERT_NE(leader, 0);
  if (leader == 3) {
    EXPECT_GE(ens.core(3).persisted(), ens.core(3).committed());
  }
}

// ---- Broadcast ----

TEST(ZabBroadcast, AProposalCommitsOnlyAfterAQuorumPersistedIt) {
  Ensemble ens(3);
  ens.BootAll();
  ASSERT_EQ(ens.Stabilize(), 3);
  ens.server(1).auto_persist = false;
  ens.server(2).auto_persist = false;
  Zxid zxid = 0;
  ASSERT_EQ(ens.core(3).Propose("x", &zxid), Status::kOk);
  ens.Deliver();
  EXPECT_LT(ens.core(3).committed(), zxid) << "only the leader has it on disk";
  EXPECT_TRUE(ens.Delivered(MessageType::kAck, 3).empty()) << "no ACK before the disk says so";
  ens.Persist(1);
  ens.Deliver();
  EXPECT_EQ(ens.core(3).committed(), zxid);
  EXPECT_EQ(ens.server(3).applied.back().payload, "x");
  EXPECT_EQ(ens.server(1).applied.back().payload, "x");
  // Server 2 holds the txn but may apply it only once its disk has it.
  EXPECT_TRUE(ens.server(2).applied.empty());
  ens.Persist(2);
  EXPECT_EQ(ens.server(2).applied.back().payload, "x");
}

TEST(ZabBroadcast, CommitsFollowZxidOrder) {
  Ensemble ens(3);
  ens.BootAll();
  ASSERT_EQ(ens.Stabilize(), 3);
  for (int i = 0; i < 10; ++i) ASSERT_EQ(ens.core(3).Propose("p" + std::to_string(i)), Status::kOk);
  ens.Deliver();
  for (ServerId sid : {1, 2, 3}) {
    const auto& applied = ens.server(sid).applied;
    ASSERT_EQ(applied.size(), 10u) << sid;
    for (int i = 0; i < 10; ++i) EXPECT_EQ(applied[i].payload, "p" + std::to_string(i));
  }
}

TEST(ZabBroadcast, ProposeOnAFollowerIsRejectedButForwardingReachesTheLeader) {
  Ensemble ens(3);
  ens.BootAll();
  ASSERT_EQ(ens.Stabilize(), 3);
  EXPECT_EQ(ens.core(1).Propose("x"), Status::kNotLeader);
  EXPECT_EQ(ens.core(1).Forward("x"), Status::kOk);
  ens.Deliver();
  ASSERT_EQ(ens.server(1).applied.size(), 1u);
  EXPECT_EQ(ens.server(1).applied[0].payload, "x");
  EXPECT_EQ(EpochOf(ens.server(1).applied[0].zxid), ens.core(3).soft_state().epoch);
}

TEST(ZabBroadcast, AStandaloneServerCommitsOnItsOwn) {
  Ensemble ens(1);
  ens.BootAll();
  ASSERT_EQ(ens.Stabilize(), 1);
  ASSERT_EQ(ens.core(1).Propose("x"), Status::kOk);
  ens.Deliver();
  ASSERT_EQ(ens.server(1).applied.size(), 1u);
  EXPECT_EQ(ens.server(1).applied[0].zxid, MakeZxid(1, 1));
}

TEST(ZabBroadcast, AFollowerThatMissedAProposalResyncs) {
  Ensemble ens(3);
  ens.BootAll();
  ASSERT_EQ(ens.Stabilize(), 3);
  ens.Cut(1);
  ASSERT_EQ(ens.core(3).Propose("a"), Status::kOk);
  ens.Deliver();
  ens.Heal();
  ASSERT_EQ(ens.core(3).Propose("b"), Status::kOk);
  ens.Deliver();  // 1 sees "b" without "a": it reconnects and gets a DIFF
  ens.Tick(3);
  ASSERT_EQ(ens.server(1).applied.size(), 2u);
  EXPECT_EQ(ens.server(1).applied[1].payload, "b");
}

// ---- Observers ----

TEST(ZabObserver, AnObserverLearnsCommitsThroughInform) {
  Ensemble ens(3, 1);
  ens.BootAll();
  ASSERT_EQ(ens.Stabilize(), 3);
  EXPECT_EQ(ens.core(4).role(), Role::kObserving);
  ASSERT_EQ(ens.core(3).Propose("x"), Status::kOk);
  ens.Deliver();
  EXPECT_TRUE(ens.Delivered(MessageType::kProposal, 4).empty());
  EXPECT_EQ(ens.Delivered(MessageType::kInform, 4).size(), 1u);
  ASSERT_EQ(ens.server(4).applied.size(), 1u);
  EXPECT_EQ(ens.server(4).applied[0].payload, "x");
}

TEST(ZabObserver, AnObserverNeverCountsTowardsAQuorum) {
  Ensemble ens(3, 1);
  ens.BootAll();
  ASSERT_EQ(ens.Stabilize(), 3);
  ens.server(1).auto_persist = false;
  ens.server(2).auto_persist = false;
  Zxid zxid = 0;
  ASSERT_EQ(ens.core(3).Propose("x", &zxid), Status::kOk);
  ens.Deliver();
  ens.Tick(2);
  EXPECT_LT(ens.core(3).committed(), zxid);
  EXPECT_TRUE(ens.server(4).applied.empty());
}

// ---- Liveness ----

TEST(ZabLiveness, AFollowerGivesUpOnASilentLeader) {
  Ensemble ens(3);
  ens.BootAll();
  ASSERT_EQ(ens.Stabilize(), 3);
  ens.Cut(3);
  ens.Tick(7);  // syncLimit is 5 ticks
  EXPECT_NE(ens.core(1).leader(), 3);
  EXPECT_NE(ens.core(2).leader(), 3);
}

TEST(ZabLiveness, ALeaderWithoutAQuorumStepsDown) {
  Ensemble ens(3);
  ens.BootAll();
  ASSERT_EQ(ens.Stabilize(), 3);
  ens.Crash(1);
  ens.Crash(2);
  ens.Tick(7);
  EXPECT_EQ(ens.core(3).role(), Role::kLooking);
  EXPECT_EQ(ens.core(3).Propose("x"), Status::kNotLeader);
}

TEST(ZabLiveness, TheSurvivorsElectANewLeaderWithAHigherEpoch) {
  Ensemble ens(3);
  ens.BootAll();
  ASSERT_EQ(ens.Stabilize(), 3);
  ASSERT_EQ(ens.core(3).Propose("x"), Status::kOk);
  ens.Deliver();
  Epoch old_epoch = ens.core(3).soft_state().epoch;
  ens.Crash(3);
  ServerId leader = ens.Stabilize();
  ASSERT_EQ(leader, 2);
  EXPECT_GT(ens.core(2).soft_state().epoch, old_epoch);
  EXPECT_EQ(ens.server(1).applied.back().payload, "x");
}

// ---- Sync marker ----

TEST(ZabSyncMarker, AFollowerSyncCompletesAfterItAppliedTheLeadersProposals) {
  Ensemble ens(3);
  ens.BootAll();
  ASSERT_EQ(ens.Stabilize(), 3);
  ens.server(1).auto_persist = false;
  ASSERT_EQ(ens.core(3).Propose("x"), Status::kOk);
  ens.Deliver();  // committed via 2, but 1 has not persisted "x" yet
  ASSERT_EQ(ens.core(1).RequestSync(42), Status::kOk);
  ens.Deliver();
  EXPECT_TRUE(ens.server(1).syncs.empty());
  ens.Persist(1);
  ens.Deliver();
  ASSERT_EQ(ens.server(1).syncs.size(), 1u);
  EXPECT_EQ(ens.server(1).syncs[0].id, 42u);
  EXPECT_TRUE(ens.server(1).syncs[0].ok);
  EXPECT_EQ(ens.server(1).applied.back().payload, "x");
}

TEST(ZabSyncMarker, PendingSyncsFailWhenTheLeaderIsLost) {
  Ensemble ens(3);
  ens.BootAll();
  ASSERT_EQ(ens.Stabilize(), 3);
  ens.Cut(3);
  ASSERT_EQ(ens.core(1).RequestSync(7), Status::kOk);
  ens.Tick(7);
  ASSERT_EQ(ens.server(1).syncs.size(), 1u);
  EXPECT_FALSE(ens.server(1).syncs[0].ok);
}

// ---- Log ----

TEST(ZabLog, EpochEndsSummarizeEachEpochsLastZxid) {
  std::vector<Entry> entries = History(1, 3, 4);
  entries.push_back(E(3, 1));
  entries.push_back(E(3, 2));
  Log log(MakeZxid(1, 2), entries);
  EXPECT_EQ(log.EpochEnds(), (std::vector<Zxid>{MakeZxid(1, 2), MakeZxid(1, 4), MakeZxid(3, 2)}));
  EXPECT_EQ(log.LastInEpoch(1), MakeZxid(1, 4));
  EXPECT_EQ(log.LastInEpoch(2), std::nullopt);
  EXPECT_EQ(log.LastInEpoch(3), MakeZxid(3, 2));
  log.TruncateAfter(MakeZxid(1, 4));
  EXPECT_EQ(log.last_zxid(), MakeZxid(1, 4));
  log.CompactTo(MakeZxid(1, 3));
  EXPECT_EQ(log.base(), MakeZxid(1, 3));
  EXPECT_TRUE(log.HasPoint(MakeZxid(1, 3)));
  EXPECT_FALSE(log.HasPoint(MakeZxid(1, 2)));
}

TEST(ZabLog, ZxidsPackTheEpochAboveTheCounter) {
  EXPECT_EQ(MakeZxid(2, 5), 0x200000005LL);
  EXPECT_EQ(EpochOf(0x200000005LL), 2);
  EXPECT_EQ(CounterOf(0x200000005LL), 5);
  EXPECT_EQ(ZxidToString(0x200000005LL), "0x200000005");
}

}  // namespace
}  // namespace zk::zab
