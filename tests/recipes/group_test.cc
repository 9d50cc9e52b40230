// Group membership: joins and leaves seen by watchers, expiry removes the
// member and tells it.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <vector>

#include "client/recipes/group_membership.h"
#include "tests/recipes/recipe_fixture.h"

namespace zk::recipes::testing {
namespace {

using GroupTest = RecipeTest;
using Members = std::vector<std::string>;

class MemberLog {
 public:
  GroupWatcher::Callback AsCallback() {
    return [this](const Members& m) {
      std::lock_guard<std::mutex> lock(mu_);
      lists_.push_back(m);
    };
  }
  Members Last() {
    std::lock_guard<std::mutex> lock(mu_);
    return lists_.empty() ? Members{"<none>"} : lists_.back();
  }

 private:
  std::mutex mu_;
  std::vector<Members> lists_;
};

TEST_F(GroupTest, WatcherSeesMembersJoinAndLeave) {
  MemberLog log;
  GroupWatcher watcher(*zk_, Path("group"), log.AsCallback());
  ASSERT_EQ(watcher.Start(), Err::kOk);
  EXPECT_TRUE(WaitUntil([&] { return log.Last() == Members{}; }));
  auto a_zk = Connect();
  auto b_zk = Connect();
  ASSERT_NE(a_zk, nullptr);
  ASSERT_NE(b_zk, nullptr);
  GroupMember a(*a_zk, Path("group"), "a", "10.0.0.1:9092");
  GroupMember b(*b_zk, Path("group"), "b", "10.0.0.2:9092");
  ASSERT_EQ(a.Join(), Err::kOk);
  ASSERT_EQ(b.Join(), Err::kOk);
  EXPECT_TRUE(WaitUntil([&] { return log.Last() == (Members{"a", "b"}); }));
  EXPECT_EQ(watcher.Members(), (Members{"a", "b"}));
  Members ids, data;
  ASSERT_EQ(ListMembers(*zk_, Path("group"), &ids, &data), Err::kOk);
  EXPECT_EQ(data, (Members{"10.0.0.1:9092", "10.0.0.2:9092"}));
  ASSERT_EQ(a.Leave(), Err::kOk);
  EXPECT_TRUE(WaitUntil([&] { return log.Last() == Members{"b"}; }));
}

TEST_F(GroupTest, ASecondSessionCannotTakeALiveMembersId) {
  auto other = Connect();
  ASSERT_NE(other, nullptr);
  GroupMember a(*zk_, Path("group"), "a");
  GroupMember impostor(*other, Path("group"), "a");
  ASSERT_EQ(a.Join(), Err::kOk);
  EXPECT_EQ(impostor.Join(), Err::kNodeExists);
}

TEST_F(GroupTest, AnExpiredMemberDisappearsAndIsTold) {
  MemberLog log;
  GroupWatcher watcher(*zk_, Path("group"), log.AsCallback());
  ASSERT_EQ(watcher.Start(), Err::kOk);
  auto a_zk = Connect();
  auto b_zk = Connect();
  ASSERT_NE(a_zk, nullptr);
  ASSERT_NE(b_zk, nullptr);
  GroupMember a(*a_zk, Path("group"), "a"), b(*b_zk, Path("group"), "b");
  std::atomic<int> a_lost{0}, b_lost{0};
  a.SetLostListener([&] { a_lost++; });
  b.SetLostListener([&] { b_lost++; });
  ASSERT_EQ(a.Join(), Err::kOk);
  ASSERT_EQ(b.Join(), Err::kOk);
  ASSERT_TRUE(WaitUntil([&] { return log.Last() == (Members{"a", "b"}); }));
  ASSERT_TRUE(ExpireSession(*a_zk));
  EXPECT_TRUE(WaitUntil([&] { return log.Last() == Members{"b"}; }));
  EXPECT_TRUE(WaitUntil([&] { return a_lost.load() == 1; }));
  EXPECT_EQ(b_lost.load(), 0);
  EXPECT_EQ(b.Update("still here"), Err::kOk);
}

}  // namespace
}  // namespace zk::recipes::testing
