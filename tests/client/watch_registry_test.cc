#include "client/lib/watch_registry.h"

#include <gtest/gtest.h>

namespace zk::client {
namespace {

using Kind = WatchRegistry::Kind;

// A watcher that counts its calls into *count.
Watcher Counter(int* count) {
  return [count](const WatchedEvent&) { ++*count; };
}

void FireAll(const std::vector<Watcher>& watchers) {
  for (const auto& w : watchers) w(WatchedEvent{});
}

TEST(WatchRegistryTest, OneShotDataWatchFiresOnceOnChange) {
  WatchRegistry r;
  int n = 0;
  r.Add(Kind::kData, "/a", Counter(&n));
  FireAll(r.Materialize(EventType::kNodeDataChanged, "/a"));
  FireAll(r.Materialize(EventType::kNodeDataChanged, "/a"));
  EXPECT_EQ(n, 1);
  EXPECT_TRUE(r.Empty());
}

TEST(WatchRegistryTest, ChildEventsFireOnlyChildWatches) {
  WatchRegistry r;
  int data = 0, child = 0;
  r.Add(Kind::kData, "/a", Counter(&data));
  r.Add(Kind::kChild, "/a", Counter(&child));
  FireAll(r.Materialize(EventType::kNodeChildrenChanged, "/a"));
  EXPECT_EQ(data, 0);
  EXPECT_EQ(child, 1);
}

TEST(WatchRegistryTest, DeletionFiresDataExistAndChildWatches) {
  WatchRegistry r;
  int n = 0;
  r.Add(Kind::kData, "/a", Counter(&n));
  r.Add(Kind::kExist, "/a", Counter(&n));
  r.Add(Kind::kChild, "/a", Counter(&n));
  FireAll(r.Materialize(EventType::kNodeDeleted, "/a"));
  EXPECT_EQ(n, 3);
}

TEST(WatchRegistryTest, PersistentWatchStaysAfterFiring) {
  WatchRegistry r;
  int n = 0;
  r.Add(Kind::kPersistent, "/a", Counter(&n));
  FireAll(r.Materialize(EventType::kNodeDataChanged, "/a"));
  FireAll(r.Materialize(EventType::kNodeChildrenChanged, "/a"));
  EXPECT_EQ(n, 2);
  EXPECT_EQ(r.Paths(Kind::kPersistent), std::vector<std::string>{"/a"});
}

TEST(WatchRegistryTest, RecursiveWatchSeesDescendantsButNotChildEvents) {
  WatchRegistry r;
  int n = 0;
  r.Add(Kind::kPersistentRecursive, "/a", Counter(&n));
  FireAll(r.Materialize(EventType::kNodeCreated, "/a/b/c"));
  FireAll(r.Materialize(EventType::kNodeChildrenChanged, "/a/b"));
  FireAll(r.Materialize(EventType::kNodeDataChanged, "/ab"));
  EXPECT_EQ(n, 1);
}

TEST(WatchRegistryTest, RecursiveWatchOnRootSeesEverything) {
  WatchRegistry r;
  int n = 0;
  r.Add(Kind::kPersistentRecursive, "/", Counter(&n));
  FireAll(r.Materialize(EventType::kNodeDeleted, "/x/y"));
  EXPECT_EQ(n, 1);
}

TEST(WatchRegistryTest, RemoveByTypeTakesOnlyThatTypeAndNamesTheEvent) {
  WatchRegistry r;
  int n = 0;
  r.Add(Kind::kData, "/a", Counter(&n));
  r.Add(Kind::kChild, "/a", Counter(&n));
  auto removed = r.Remove("/a", WatcherType::kData);
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0].second, EventType::kDataWatchRemoved);
  EXPECT_EQ(r.Paths(Kind::kChild), std::vector<std::string>{"/a"});
  r.Add(Kind::kPersistent, "/a", Counter(&n));
  removed = r.Remove("/a", WatcherType::kAny);
  EXPECT_EQ(removed.size(), 2u);
  EXPECT_TRUE(r.Empty());
}

}  // namespace
}  // namespace zk::client
