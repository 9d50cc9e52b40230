// LeaderElection: one leader, hand-over on close and on session expiry,
// and listeners told both ways.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

#include "client/recipes/leader_election.h"
#include "tests/recipes/recipe_fixture.h"

namespace zk::recipes::testing {
namespace {

using namespace std::chrono_literals;
using ElectionTest = RecipeTest;

struct Participant {
  std::unique_ptr<SyncClient> zk;
  std::unique_ptr<LeaderElection> election;
  std::atomic<int> gained{0}, lost{0};
};

class ElectionGroup {
 public:
  ElectionGroup(const std::function<std::unique_ptr<SyncClient>()>& connect, const std::string& dir,
                int n) {
    for (int i = 0; i < n; ++i) {
      auto p = std::make_unique<Participant>();
      p->zk = connect();
      if (p->zk == nullptr) continue;
      Participant* raw = p.get();
      p->election = std::make_unique<LeaderElection>(
          *p->zk, dir, "p" + std::to_string(i),
          [raw](bool leader) { (leader ? raw->gained : raw->lost)++; });
      p->election->Start();
      members.push_back(std::move(p));
    }
  }

  int Leaders() {
    int n = 0;
    for (auto& p : members) n += p->election->IsLeader() ? 1 : 0;
    return n;
  }

  int LeaderIndex() {
    for (size_t i = 0; i < members.size(); ++i) {
      if (members[i]->election->IsLeader()) return static_cast<int>(i);
    }
    return -1;
  }

  std::vector<std::unique_ptr<Participant>> members;
};

TEST_F(ElectionTest, ExactlyOneParticipantLeadsAndEveryoneAgreesWho) {
  ElectionGroup group([this] { return Connect(); }, Path("election"), 3);
  ASSERT_EQ(group.members.size(), 3u);
  ASSERT_TRUE(WaitUntil([&] { return group.Leaders() == 1; }));
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(group.Leaders(), 1);
  int leader = group.LeaderIndex();
  std::string id;
  ASSERT_EQ(group.members[1]->election->CurrentLeader(&id), Err::kOk);
  EXPECT_EQ(id, "p" + std::to_string(leader));
  std::vector<std::string> ids;
  ASSERT_EQ(group.members[0]->election->Participants(&ids), Err::kOk);
  EXPECT_EQ(ids.size(), 3u);
  EXPECT_EQ(group.members[leader]->gained.load(), 1);
}

TEST_F(ElectionTest, AnotherParticipantLeadsWhenTheLeadersHandleCloses) {
  ElectionGroup group([this] { return Connect(); }, Path("election"), 3);
  ASSERT_EQ(group.members.size(), 3u);
  ASSERT_TRUE(WaitUntil([&] { return group.Leaders() == 1; }));
  int old_leader = group.LeaderIndex();
  ASSERT_EQ(group.members[old_leader]->zk->Close(), Err::kOk);
  ASSERT_TRUE(WaitUntil([&] {
    int l = group.LeaderIndex();
    return l >= 0 && l != old_leader;
  }));
  EXPECT_EQ(group.Leaders(), 1);
  EXPECT_TRUE(WaitUntil([&] { return group.members[old_leader]->lost.load() == 1; }));
  EXPECT_FALSE(group.members[old_leader]->election->IsLeader());
}

TEST_F(ElectionTest, ALeaderWhoseSessionExpiresIsToldAndReplaced) {
  ElectionGroup group([this] { return Connect(); }, Path("election"), 3);
  ASSERT_EQ(group.members.size(), 3u);
  ASSERT_TRUE(WaitUntil([&] { return group.Leaders() == 1; }));
  int old_leader = group.LeaderIndex();
  ASSERT_TRUE(ExpireSession(*group.members[old_leader]->zk));
  ASSERT_TRUE(WaitUntil([&] { return group.members[old_leader]->lost.load() == 1; }));
  ASSERT_TRUE(WaitUntil([&] {
    int l = group.LeaderIndex();
    return l >= 0 && l != old_leader;
  }));
  EXPECT_EQ(group.Leaders(), 1);
  std::string id;
  int new_leader = group.LeaderIndex();
  ASSERT_EQ(group.members[new_leader]->election->CurrentLeader(&id), Err::kOk);
  EXPECT_EQ(id, "p" + std::to_string(new_leader));
}

TEST_F(ElectionTest, CloseHandsLeadershipOverAndTellsTheListener) {
  ElectionGroup group([this] { return Connect(); }, Path("election"), 2);
  ASSERT_EQ(group.members.size(), 2u);
  ASSERT_TRUE(WaitUntil([&] { return group.Leaders() == 1; }));
  int old_leader = group.LeaderIndex();
  int other = 1 - old_leader;
  EXPECT_FALSE(group.members[other]->election->AwaitLeadership(100ms));
  group.members[old_leader]->election->Close();
  EXPECT_EQ(group.members[old_leader]->lost.load(), 1);
  EXPECT_TRUE(group.members[other]->election->AwaitLeadership(kWait));
}

}  // namespace
}  // namespace zk::recipes::testing
