// Two-phase commit: all commit, one aborts, a participant's session expires.
#include "client/recipes/two_phase_commit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "tests/recipes/recipe_fixture.h"

namespace zk::recipes::testing {
namespace {

using namespace std::chrono_literals;
using TwoPhaseCommitTest = RecipeTest;

// Runs participants that join txn, vote votes[i], and record the outcome
// they learn.
class Participants {
 public:
  Participants(std::vector<std::unique_ptr<SyncClient>> clients, const std::string& root,
               const std::string& txn, std::vector<bool> votes)
      : clients_(std::move(clients)), outcomes_(clients_.size()) {
    for (size_t i = 0; i < clients_.size(); ++i) {
      outcomes_[i] = TxnOutcome::kPending;
      threads_.emplace_back([this, i, root, txn, vote = static_cast<bool>(votes[i])] {
        TwoPhaseParticipant p(*clients_[i], root, txn, "site" + std::to_string(i));
        if (p.Join() != Err::kOk || p.Vote(vote) != Err::kOk) return;
        TxnOutcome outcome = TxnOutcome::kPending;
        if (p.WaitOutcome(&outcome, kWait) == Err::kOk) outcomes_[i] = outcome;
      });
    }
  }
  std::vector<TxnOutcome> Join() {
    for (auto& t : threads_) t.join();
    return {outcomes_.begin(), outcomes_.end()};
  }

 private:
  std::vector<std::unique_ptr<SyncClient>> clients_;
  std::vector<std::atomic<TxnOutcome>> outcomes_;
  std::vector<std::thread> threads_;
};

std::vector<std::string> Sites(int n) {
  std::vector<std::string> sites;
  for (int i = 0; i < n; ++i) sites.push_back("site" + std::to_string(i));
  return sites;
}

TEST_F(TwoPhaseCommitTest, AllCommitVotesCommitAndEveryParticipantLearnsIt) {
  TwoPhaseCoordinator coordinator(*zk_, Path("2pc"));
  ASSERT_EQ(coordinator.Begin("tx1"), Err::kOk);
  std::vector<std::unique_ptr<SyncClient>> clients;
  for (int i = 0; i < 3; ++i) {
    clients.push_back(Connect());
    ASSERT_NE(clients.back(), nullptr);
  }
  Participants participants(std::move(clients), Path("2pc"), "tx1", {true, true, true});
  TxnOutcome outcome = TxnOutcome::kPending;
  ASSERT_EQ(coordinator.Decide("tx1", Sites(3), kWait, &outcome), Err::kOk);
  EXPECT_EQ(outcome, TxnOutcome::kCommit);
  EXPECT_EQ(participants.Join(), std::vector<TxnOutcome>(3, TxnOutcome::kCommit));
  ASSERT_EQ(ReadOutcome(*zk_, Path("2pc"), "tx1", &outcome), Err::kOk);
  EXPECT_EQ(outcome, TxnOutcome::kCommit);
  EXPECT_EQ(coordinator.Remove("tx1"), Err::kOk);
  EXPECT_EQ(zk_->Exists(Path("2pc/tx1")), Err::kNoNode);
}

TEST_F(TwoPhaseCommitTest, OneAbortVoteAbortsForEveryone) {
  TwoPhaseCoordinator coordinator(*zk_, Path("2pc"));
  ASSERT_EQ(coordinator.Begin("tx2"), Err::kOk);
  std::vector<std::unique_ptr<SyncClient>> clients;
  for (int i = 0; i < 3; ++i) {
    clients.push_back(Connect());
    ASSERT_NE(clients.back(), nullptr);
  }
  Participants participants(std::move(clients), Path("2pc"), "tx2", {true, false, true});
  TxnOutcome outcome = TxnOutcome::kPending;
  ASSERT_EQ(coordinator.Decide("tx2", Sites(3), kWait, &outcome), Err::kOk);
  EXPECT_EQ(outcome, TxnOutcome::kAbort);
  EXPECT_EQ(participants.Join(), std::vector<TxnOutcome>(3, TxnOutcome::kAbort));
}

TEST_F(TwoPhaseCommitTest, AParticipantWhoseSessionExpiresBeforeVotingAbortsTheTxn) {
  TwoPhaseCoordinator coordinator(*zk_, Path("2pc"));
  ASSERT_EQ(coordinator.Begin("tx3"), Err::kOk);
  auto live_zk = Connect();
  auto doomed_zk = Connect();
  ASSERT_NE(live_zk, nullptr);
  ASSERT_NE(doomed_zk, nullptr);
  TwoPhaseParticipant live(*live_zk, Path("2pc"), "tx3", "site0");
  TwoPhaseParticipant doomed(*doomed_zk, Path("2pc"), "tx3", "site1");
  ASSERT_EQ(live.Join(), Err::kOk);
  ASSERT_EQ(doomed.Join(), Err::kOk);
  TxnOutcome outcome = TxnOutcome::kPending;
  Err decided = Err::kSystemError;
  // With a local server the test waits until the coordinator has seen the
  // doomed participant (it watches its vote), so the abort must come from
  // the vanished node, well before the deadline.
  const auto deadline = std::chrono::seconds(LocalServer() ? 40 : 8);
  std::thread coordinator_thread(
      [&] { decided = coordinator.Decide("tx3", Sites(2), deadline, &outcome); });
  EXPECT_EQ(live.Vote(true), Err::kOk);
  if (LocalServer()) {
    EXPECT_TRUE(WaitUntil([&] { return WatchersByPath()[Path("2pc/tx3/site1")] == 1; }));
  }
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(ExpireSession(*doomed_zk));
  coordinator_thread.join();
  if (LocalServer()) {
    EXPECT_LT(std::chrono::steady_clock::now() - start, deadline / 2);
  }
  EXPECT_EQ(decided, Err::kOk);
  EXPECT_EQ(outcome, TxnOutcome::kAbort);
  TxnOutcome learned = TxnOutcome::kPending;
  ASSERT_EQ(live.WaitOutcome(&learned, kWait), Err::kOk);
  EXPECT_EQ(learned, TxnOutcome::kAbort);
  EXPECT_EQ(doomed.Vote(true), Err::kSessionExpired);
}

TEST_F(TwoPhaseCommitTest, MissingVotesAbortAtTheDeadline) {
  TwoPhaseCoordinator coordinator(*zk_, Path("2pc"));
  ASSERT_EQ(coordinator.Begin("tx4"), Err::kOk);
  TwoPhaseParticipant only(*zk_, Path("2pc"), "tx4", "site0");
  ASSERT_EQ(only.Join(), Err::kOk);
  ASSERT_EQ(only.Vote(true), Err::kOk);
  TxnOutcome outcome = TxnOutcome::kPending;
  ASSERT_EQ(coordinator.Decide("tx4", Sites(2), 300ms, &outcome), Err::kOk);
  EXPECT_EQ(outcome, TxnOutcome::kAbort);
  // Decided once: a second decision reports the recorded outcome.
  ASSERT_EQ(coordinator.Decide("tx4", Sites(1), kWait, &outcome), Err::kOk);
  EXPECT_EQ(outcome, TxnOutcome::kAbort);
}

}  // namespace
}  // namespace zk::recipes::testing
