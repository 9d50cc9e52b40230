#include "server/session/session_tracker.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace zk::session {
namespace {

TEST(SessionTracker, SessionExpiresOnlyAfterItsTimeoutWithoutTouches) {
  SessionTracker tracker(0, 100, 0);
  int64_t id = tracker.NextSessionId();
  tracker.Add(id, 1000, 0);
  EXPECT_TRUE(tracker.TakeExpired(999).empty());
  EXPECT_TRUE(tracker.Touch(id, 900));
  EXPECT_TRUE(tracker.TakeExpired(1500).empty());
  std::vector<int64_t> expired = tracker.TakeExpired(2100);
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0], id);
  EXPECT_FALSE(tracker.IsAlive(id));
  EXPECT_FALSE(tracker.Touch(id, 2100));
}

TEST(SessionTracker, DeadlinesRoundUpToTheNextTick) {
  SessionTracker tracker(0, 100, 0);
  tracker.Add(7, 250, 0);
  EXPECT_TRUE(tracker.TakeExpired(250).empty());
  EXPECT_EQ(tracker.TakeExpired(300).size(), 1u);
}

TEST(SessionTracker, RemovedSessionNeverExpires) {
  SessionTracker tracker(0, 100, 0);
  tracker.Add(7, 200, 0);
  tracker.Remove(7);
  EXPECT_TRUE(tracker.TakeExpired(10000).empty());
  EXPECT_EQ(tracker.Count(), 0u);
}

TEST(SessionTracker, IdsCarryTheServerIdAndAreUnique) {
  SessionTracker tracker(5, 100, 1700000000000);
  int64_t a = tracker.NextSessionId();
  int64_t b = tracker.NextSessionId();
  EXPECT_NE(a, b);
  EXPECT_EQ(static_cast<uint64_t>(a) >> 56, 5u);
}

TEST(SessionTracker, PasswordIsSixteenBytesAndDependsOnTheId) {
  std::string p1 = SessionTracker::PasswordFor(1);
  EXPECT_EQ(p1.size(), 16u);
  EXPECT_EQ(p1, SessionTracker::PasswordFor(1));
  EXPECT_NE(p1, SessionTracker::PasswordFor(2));
}

TEST(SessionTracker, ClosingSessionTakesNoTouches) {
  SessionTracker tracker(0, 100, 0);
  tracker.Add(9, 1000, 0);
  tracker.SetClosing(9);
  EXPECT_FALSE(tracker.Touch(9, 10));
  EXPECT_FALSE(tracker.IsAlive(9));
}

}  // namespace
}  // namespace zk::session
