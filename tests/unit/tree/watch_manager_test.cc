#include "server/tree/watch_manager.h"

#include <gtest/gtest.h>

namespace zk::tree {
namespace {

using Watchers = std::vector<int64_t>;

TEST(WatchManagerTest, AStandardWatchFiresOnceThenIsGone) {
  WatchManager m;
  EXPECT_TRUE(m.Add("/a", 1));
  EXPECT_EQ(m.Trigger("/a", EventType::kNodeDataChanged), Watchers{1});
  EXPECT_EQ(m.Trigger("/a", EventType::kNodeDataChanged), Watchers{});
  EXPECT_FALSE(m.Contains("/a", 1));
  EXPECT_EQ(m.size(), 0u);
}

TEST(WatchManagerTest, AddingTheSameWatchTwiceIsOneWatch) {
  WatchManager m;
  EXPECT_TRUE(m.Add("/a", 1));
  EXPECT_FALSE(m.Add("/a", 1));
  EXPECT_EQ(m.size(), 1u);
}

TEST(WatchManagerTest, TriggerOnlyFiresWatchersOfThatPathInAscendingOrder) {
  WatchManager m;
  m.Add("/a", 9);
  m.Add("/a", 2);
  m.Add("/a", 5);
  m.Add("/b", 3);
  m.Add("/a/c", 4);
  EXPECT_EQ(m.Trigger("/a", EventType::kNodeDeleted), (Watchers{2, 5, 9}));
  EXPECT_TRUE(m.Contains("/b", 3));
  EXPECT_TRUE(m.Contains("/a/c", 4));
  EXPECT_EQ(m.size(), 2u);
}

TEST(WatchManagerTest, APersistentWatchFiresEveryTimeAndStays) {
  WatchManager m;
  m.Add("/a", 1, WatchMode::kPersistent);
  EXPECT_EQ(m.Trigger("/a", EventType::kNodeDataChanged), Watchers{1});
  EXPECT_EQ(m.Trigger("/a", EventType::kNodeDeleted), Watchers{1});
  EXPECT_TRUE(m.Contains("/a", 1, WatchMode::kPersistent));
}

TEST(WatchManagerTest, AStandardAndAPersistentWatchOnOnePathFireOnceAndOnlyTheStandardOneIsUsedUp) {
  WatchManager m;
  EXPECT_TRUE(m.Add("/a", 1, WatchMode::kStandard));
  EXPECT_TRUE(m.Add("/a", 1, WatchMode::kPersistent));
  EXPECT_EQ(m.size(), 1u);  // one (path, watcher) pair
  EXPECT_EQ(m.Trigger("/a", EventType::kNodeDataChanged), Watchers{1});
  EXPECT_FALSE(m.Contains("/a", 1, WatchMode::kStandard));
  EXPECT_TRUE(m.Contains("/a", 1, WatchMode::kPersistent));
}

TEST(WatchManagerTest, ARecursiveWatchFiresForTheNodeAndEveryDescendant) {
  WatchManager m;
  m.Add("/a", 1, WatchMode::kPersistentRecursive);
  EXPECT_EQ(m.recursive_count(), 1u);
  EXPECT_EQ(m.Trigger("/a", EventType::kNodeDataChanged), Watchers{1});
  EXPECT_EQ(m.Trigger("/a/b", EventType::kNodeCreated), Watchers{1});
  EXPECT_EQ(m.Trigger("/a/b/c/d", EventType::kNodeDeleted), Watchers{1});
  EXPECT_EQ(m.Trigger("/ab", EventType::kNodeCreated), Watchers{});
  EXPECT_EQ(m.Trigger("/", EventType::kNodeDataChanged), Watchers{});
  EXPECT_TRUE(m.Contains("/a", 1, WatchMode::kPersistentRecursive));
}

TEST(WatchManagerTest, ARecursiveWatchOnTheRootSeesEverything) {
  WatchManager m;
  m.Add("/", 1, WatchMode::kPersistentRecursive);
  EXPECT_EQ(m.Trigger("/x/y", EventType::kNodeCreated), Watchers{1});
  EXPECT_EQ(m.Trigger("/", EventType::kNodeDataChanged), Watchers{1});
}

TEST(WatchManagerTest, RecursiveWatchesIgnoreChildListChangesBelowThem) {
  WatchManager m;
  m.Add("/a", 1, WatchMode::kPersistentRecursive);
  EXPECT_EQ(m.Trigger("/a/b", EventType::kNodeChildrenChanged), Watchers{});
}

TEST(WatchManagerTest, AncestorsOnlyFireTheirRecursiveWatchers) {
  WatchManager m;
  m.Add("/a", 1, WatchMode::kStandard);
  m.Add("/a", 2, WatchMode::kPersistent);
  m.Add("/a", 3, WatchMode::kPersistentRecursive);
  EXPECT_EQ(m.Trigger("/a/b", EventType::kNodeCreated), Watchers{3});
  EXPECT_TRUE(m.Contains("/a", 1, WatchMode::kStandard));
}

TEST(WatchManagerTest, AWatcherMatchedTwiceIsReportedOnce) {
  WatchManager m;
  m.Add("/a", 1, WatchMode::kPersistentRecursive);
  m.Add("/a/b", 1, WatchMode::kStandard);
  m.Add("/", 1, WatchMode::kPersistentRecursive);
  EXPECT_EQ(m.Trigger("/a/b", EventType::kNodeDataChanged), Watchers{1});
}

TEST(WatchManagerTest, ContainsWithoutAModeMatchesAnyMode) {
  WatchManager m;
  m.Add("/a", 1, WatchMode::kPersistent);
  EXPECT_TRUE(m.Contains("/a", 1));
  EXPECT_FALSE(m.Contains("/a", 1, WatchMode::kStandard));
  EXPECT_FALSE(m.Contains("/a", 2));
  EXPECT_FALSE(m.Contains("/b", 1));
}

TEST(WatchManagerTest, RemoveWithAModeDropsOnlyThatMode) {
  WatchManager m;
  m.Add("/a", 1, WatchMode::kStandard);
  m.Add("/a", 1, WatchMode::kPersistentRecursive);
  EXPECT_FALSE(m.Remove("/a", 1, WatchMode::kPersistent));
  EXPECT_TRUE(m.Remove("/a", 1, WatchMode::kPersistentRecursive));
  EXPECT_EQ(m.recursive_count(), 0u);
  EXPECT_TRUE(m.Contains("/a", 1, WatchMode::kStandard));
  EXPECT_TRUE(m.Remove("/a", 1, WatchMode::kStandard));
  EXPECT_FALSE(m.Contains("/a", 1));
  EXPECT_EQ(m.size(), 0u);
  EXPECT_EQ(m.Summary(), (WatchesSummary{0, 0, 0}));
}

TEST(WatchManagerTest, RemoveWithoutAModeDropsEveryMode) {
  WatchManager m;
  m.Add("/a", 1, WatchMode::kStandard);
  m.Add("/a", 1, WatchMode::kPersistentRecursive);
  EXPECT_TRUE(m.Remove("/a", 1));
  EXPECT_FALSE(m.Remove("/a", 1));
  EXPECT_EQ(m.recursive_count(), 0u);
  EXPECT_EQ(m.Trigger("/a/b", EventType::kNodeCreated), Watchers{});
}

TEST(WatchManagerTest, RemoveWatcherDropsAllOfASessionsWatchesAndNoOneElses) {
  WatchManager m;
  m.Add("/a", 1);
  m.Add("/b", 1, WatchMode::kPersistentRecursive);
  m.Add("/a", 2);
  m.RemoveWatcher(1);
  EXPECT_FALSE(m.Contains("/a", 1));
  EXPECT_FALSE(m.Contains("/b", 1));
  EXPECT_TRUE(m.Contains("/a", 2));
  EXPECT_EQ(m.recursive_count(), 0u);
  EXPECT_EQ(m.Summary(), (WatchesSummary{1, 1, 1}));
  m.RemoveWatcher(3);  // unknown: nothing happens
  EXPECT_EQ(m.size(), 1u);
}

TEST(WatchManagerTest, SummaryCountsWatchersPathsAndPairs) {
  WatchManager m;
  m.Add("/a", 1);
  m.Add("/b", 1);
  m.Add("/a", 2);
  EXPECT_EQ(m.Summary(), (WatchesSummary{2, 2, 3}));
  EXPECT_EQ(m.SummaryText(), "2 connections watching 2 paths\nTotal watches:3");
}

TEST(WatchManagerTest, AWatcherWhoseWatchesAllFiredStillCountsAsAConnectionLikeZooKeeper) {
  WatchManager m;
  m.Add("/a", 1);
  m.Trigger("/a", EventType::kNodeDeleted);
  EXPECT_EQ(m.Summary(), (WatchesSummary{1, 0, 0}));
  m.RemoveWatcher(1);
  EXPECT_EQ(m.Summary(), (WatchesSummary{0, 0, 0}));
}

TEST(WatchManagerTest, ReportsBySessionAndByPathAreSorted) {
  WatchManager m;
  m.Add("/b", 2);
  m.Add("/a", 2);
  m.Add("/a", 1);
  auto by_session = m.BySession();
  EXPECT_EQ(by_session.size(), 2u);
  EXPECT_EQ(by_session[1], (std::vector<std::string>{"/a"}));
  EXPECT_EQ(by_session[2], (std::vector<std::string>{"/a", "/b"}));
  auto by_path = m.ByPath();
  EXPECT_EQ(by_path["/a"], (Watchers{1, 2}));
  EXPECT_EQ(by_path["/b"], (Watchers{2}));
}

TEST(WatchManagerTest, DumpTextsUseZooKeepersLayoutWithHexSessionIds) {
  WatchManager m;
  m.Add("/a", 0x100);
  m.Add("/b", -1);
  EXPECT_EQ(m.DumpText(/*by_path=*/false), "0xffffffffffffffff\n\t/b\n0x100\n\t/a\n");
  EXPECT_EQ(m.DumpText(/*by_path=*/true), "/a\n\t0x100\n/b\n\t0xffffffffffffffff\n");
}

TEST(WatchManagerTest, ManyWatchersOnOnePathAllFire) {
  WatchManager m;
  Watchers expected;
  for (int64_t w = 0; w < 5000; ++w) {
    m.Add("/hot", w);
    expected.push_back(w);
  }
  EXPECT_EQ(m.Trigger("/hot", EventType::kNodeDataChanged), expected);
  EXPECT_EQ(m.size(), 0u);
}

}  // namespace
}  // namespace zk::tree
