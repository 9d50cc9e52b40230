// The ZAB shell with real leveldb logs: one voter (a standalone server) and
// three voters joined by an in-memory network.
#include "server/replication/replicated_orderer.h"

#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <memory>

#include "server/replication/hard_state_file.h"
#include "tests/unit/storage/fault_env.h"
#include "tests/unit/storage/test_util.h"

namespace zk::replication {
namespace {

using storage::testing::FaultLevelDbEnv;
using storage::testing::ScratchDir;
using storage::testing::TaskQueue;

// One server: its log, its orderer, and what it committed.
struct Node {
  std::unique_ptr<storage::TxnLog> log;
  std::unique_ptr<ReplicatedOrderer> orderer;
  std::vector<pipeline::Txn> committed;
  std::vector<std::string> forwarded;
  std::vector<zab::SoftState> roles;
  int failures = 0;
};

class ReplicatedOrdererTest : public ::testing::Test {
 protected:
  // Opens node `id` of an ensemble of `voters`, resuming from what its
  // directory holds (the log after no snapshot, and the epoch file).
  void Open(zab::ServerId id, std::vector<zab::ServerId> voters) {
    Node& node = nodes_[id];
    node.orderer.reset();
    node.log.reset();
    storage::TxnLogOptions log_options;
    log_options.dir = dir_.Sub("log" + std::to_string(id));
    log_options.env = &env_;
    ASSERT_TRUE(storage::TxnLog::Open(log_options, &node.log).ok());
    ReplicatedOrdererOptions options;
    options.config.id = id;
    options.config.voters = voters;
    options.config.seed = 1000 + id + 10 * ++boots_;
    options.snap_dir = dir_.Sub("snap" + std::to_string(id));
    ASSERT_TRUE(storage::FileEnv::Default()->CreateDirs(options.snap_dir).ok());
    ASSERT_TRUE(
        LoadHardState(storage::FileEnv::Default(), options.snap_dir, &options.state.hard_state)
            .ok());
    ASSERT_TRUE(node.log
                    ->Read(1, INT64_MAX,
                           [&](int64_t zxid, std::string_view txn) {
                             options.state.entries.push_back({zxid, std::string(txn)});
                             return true;
                           })
                    .ok());
    node.committed.clear();
    node.orderer = std::make_unique<ReplicatedOrderer>(
        options, node.log.get(), queue_.Poster(), nullptr,
        [this](zab::Message m) { network_.push_back(std::move(m)); },
        [](const zab::Snapshot&) { return false; },
        [&node](const zab::SoftState& soft) { node.roles.push_back(soft); },
        [&node](const storage::Status&) { node.failures++; });
    node.orderer->OnCommit([&node](pipeline::Txn txn) { node.committed.push_back(txn); });
    node.orderer->OnForwarded([&node](const std::string& b) { node.forwarded.push_back(b); });
  }

  // Delivers messages and log reports, ticking every node now and then,
  // until `done` holds. False when it never does.
  bool RunUntil(const std::function<bool()>& done) {
    for (int round = 0; round < 2000; round++) {
      if (done()) return true;
      while (!network_.empty()) {
        zab::Message m = std::move(network_.front());
        network_.pop_front();
        auto it = nodes_.find(m.to);
        if (it != nodes_.end() && it->second.orderer) it->second.orderer->Step(std::move(m));
      }
      queue_.RunUntil([] { return true; }, std::chrono::milliseconds(0));
      if (done()) return true;
      queue_.RunUntil(done, std::chrono::milliseconds(2));
      for (auto& [id, node] : nodes_) {
        if (node.orderer) node.orderer->Tick();
      }
    }
    return done();
  }

  pipeline::Txn NextTxn(Node& leader) {
    zab::Epoch epoch = leader.orderer->soft_state().epoch;
    return storage::testing::CreateSession(zab::MakeZxid(epoch, ++counter_[epoch]), 100 + counter_[epoch]);
  }

  ScratchDir dir_;
  FaultLevelDbEnv env_;
  TaskQueue queue_;
  std::deque<zab::Message> network_;
  std::map<zab::ServerId, Node> nodes_;
  std::map<zab::Epoch, int64_t> counter_;
  int boots_ = 0;
};

TEST_F(ReplicatedOrdererTest, AStandaloneServerLeadsAndCommitsOnceItsLogSynced) {
  Open(1, {1});
  Node& n = nodes_[1];
  ASSERT_TRUE(RunUntil([&] { return n.orderer->Leading(); }));
  EXPECT_EQ(n.orderer->soft_state().epoch, 1);
  n.orderer->Propose(NextTxn(n));
  n.orderer->Propose(NextTxn(n));
  EXPECT_TRUE(n.committed.empty());  // not before the log synced it
  ASSERT_TRUE(RunUntil([&] { return n.committed.size() == 2; }));
  EXPECT_EQ(n.committed[0].header.zxid, zab::MakeZxid(1, 1));
  EXPECT_EQ(n.committed[1].header.zxid, zab::MakeZxid(1, 2));
  EXPECT_EQ(n.log->DurableZxid(), zab::MakeZxid(1, 2));
}

TEST_F(ReplicatedOrdererTest, ARestartedServerRecommitsItsLogInANewEpoch) {
  Open(1, {1});
  ASSERT_TRUE(RunUntil([&] { return nodes_[1].orderer->Leading(); }));
  nodes_[1].orderer->Propose(NextTxn(nodes_[1]));
  ASSERT_TRUE(RunUntil([&] { return nodes_[1].committed.size() == 1; }));
  Open(1, {1});
  Node& n = nodes_[1];
  ASSERT_TRUE(RunUntil([&] { return n.orderer->Leading() && n.committed.size() == 1; }));
  EXPECT_EQ(n.committed[0].header.zxid, zab::MakeZxid(1, 1));
  EXPECT_EQ(n.orderer->soft_state().epoch, 2);
  zab::HardState hs;
  ASSERT_TRUE(LoadHardState(storage::FileEnv::Default(), dir_.Sub("snap1"), &hs).ok());
  EXPECT_EQ(hs.current_epoch, 2);
}

TEST_F(ReplicatedOrdererTest, ThreeVotersElectOneLeaderAndCommitEverywhere) {
  for (zab::ServerId id : {1, 2, 3}) Open(id, {1, 2, 3});
  auto leader = [&]() -> Node* {
    for (auto& [id, node] : nodes_) {
      if (node.orderer->Leading()) return &node;
    }
    return nullptr;
  };
  auto all_serving = [&] {
    for (auto& [id, node] : nodes_) {
      if (!node.orderer->serving()) return false;
    }
    return leader() != nullptr;
  };
  ASSERT_TRUE(RunUntil(all_serving));
  Node* l = leader();
  for (int i = 0; i < 5; i++) l->orderer->Propose(NextTxn(*l));
  ASSERT_TRUE(RunUntil([&] {
    for (auto& [id, node] : nodes_) {
      if (node.committed.size() != 5) return false;
    }
    return true;
  }));
  for (auto& [id, node] : nodes_) {
    EXPECT_EQ(node.committed.back().header.zxid, l->committed.back().header.zxid);
  }
  // A learner's forwarded bytes reach the leader's pipeline.
  Node* learner = nullptr;
  for (auto& [id, node] : nodes_) {
    if (&node != l) learner = &node;
  }
  EXPECT_FALSE(learner->orderer->Leading());
  learner->orderer->Forward("hello");
  ASSERT_TRUE(RunUntil([&] { return l->forwarded.size() == 1; }));
  EXPECT_EQ(l->forwarded[0], "hello");
  // A sync on a learner completes once it caught up with the leader.
  bool synced = false;
  learner->orderer->Sync([&] { synced = true; });
  ASSERT_TRUE(RunUntil([&] { return synced; }));
}

TEST_F(ReplicatedOrdererTest, ALogFailureStopsCommitsAndIsReportedOnce) {
  Open(1, {1});
  Node& n = nodes_[1];
  ASSERT_TRUE(RunUntil([&] { return n.orderer->Leading(); }));
  env_.SetFailWrites(true);
  n.orderer->Propose(NextTxn(n));
  ASSERT_TRUE(RunUntil([&] { return n.failures > 0; }));
  n.orderer->Propose(NextTxn(n));
  RunUntil([] { return false; });
  EXPECT_EQ(n.failures, 1);
  EXPECT_TRUE(n.committed.empty());
  EXPECT_FALSE(n.orderer->serving());
}

}  // namespace
}  // namespace zk::replication
