// Watches fired by DataTree writes, and the watch requests it serves.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "server/tree/data_tree.h"
#include "tests/unit/tree/tree_test_util.h"

namespace zk::tree {
namespace {

struct Event {
  int64_t watcher;
  EventType type;
  std::string path;
  int64_t zxid;
  std::optional<std::vector<data::ACL>> acl;
  bool operator==(const Event&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Event& e) {
  return os << "{" << e.watcher << " " << static_cast<int>(e.type) << " " << e.path << " " << e.zxid
            << (e.acl ? " acl" : " no-acl") << "}";
}

class DataTreeWatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tree_.SetWatchListener([this](const WatchEvent& e) {
      std::optional<std::vector<data::ACL>> acl;
      if (e.acl != nullptr) acl = *e.acl;
      events_.push_back({e.watcher, e.type, std::string(e.path), e.zxid, acl});
    });
  }

  Err Create(std::string_view path, int64_t zxid, const std::vector<data::ACL>& acl = kOpen) {
    return tree_.CreateNode(path, "", acl, 0, -1, zxid, 0);
  }

  std::vector<Event> TakeEvents() { return std::exchange(events_, {}); }

  DataTree tree_;
  std::vector<Event> events_;
};

TEST_F(DataTreeWatchTest, CreateFiresNodeCreatedOnThePathAndChildrenChangedOnTheParent) {
  Create("/p", 1, kReadOnly);
  tree_.AddWatch("/p/c", 7, WatchKind::kData);  // exists() on a missing node
  tree_.AddWatch("/p", 8, WatchKind::kChild);
  tree_.AddWatch("/p", 9, WatchKind::kData);  // a data watch on the parent does not fire
  ASSERT_EQ(Create("/p/c", 2), Err::kOk);
  EXPECT_EQ(TakeEvents(),
            (std::vector<Event>{{7, EventType::kNodeCreated, "/p/c", 2, kOpen},
                                {8, EventType::kNodeChildrenChanged, "/p", 2, kReadOnly}}));
  EXPECT_TRUE(tree_.ContainsWatch("/p", 9, WatcherType::kData));
}

TEST_F(DataTreeWatchTest, ChildrenChangedOnTheRootIsReportedAtSlash) {
  tree_.AddWatch("/", 1, WatchKind::kChild);
  Create("/a", 5);
  EXPECT_EQ(TakeEvents(),
            (std::vector<Event>{{1, EventType::kNodeChildrenChanged, "/", 5, kOpen}}));
}

TEST_F(DataTreeWatchTest, WatchesAreOneShot) {
  Create("/a", 1);
  tree_.AddWatch("/a", 1, WatchKind::kData);
  tree_.SetData("/a", "x", 1, 2, 0);
  tree_.SetData("/a", "y", 2, 3, 0);
  EXPECT_EQ(TakeEvents(), (std::vector<Event>{{1, EventType::kNodeDataChanged, "/a", 2, kOpen}}));
  EXPECT_EQ(tree_.WatchCount(), 0u);
}

TEST_F(DataTreeWatchTest, DeleteFiresNodeDeletedOnceForAWatcherWithDataAndChildWatches) {
  Create("/p", 1);
  Create("/p/c", 2, kReadOnly);
  tree_.AddWatch("/p/c", 1, WatchKind::kData);
  tree_.AddWatch("/p/c", 1, WatchKind::kChild);
  tree_.AddWatch("/p/c", 2, WatchKind::kChild);
  tree_.AddWatch("/p", 3, WatchKind::kChild);
  ASSERT_EQ(tree_.DeleteNode("/p/c", 3), Err::kOk);
  EXPECT_EQ(TakeEvents(),
            (std::vector<Event>{{1, EventType::kNodeDeleted, "/p/c", 3, kReadOnly},
                                {2, EventType::kNodeDeleted, "/p/c", 3, kReadOnly},
                                {3, EventType::kNodeChildrenChanged, "/p", 3, kOpen}}));
  EXPECT_EQ(tree_.WatchCount(), 0u);  // the suppressed child watch was consumed too
}

TEST_F(DataTreeWatchTest, SetAclFiresNothing) {
  Create("/a", 1);
  tree_.AddWatch("/a", 1, WatchKind::kData);
  tree_.AddWatch("/a", 2, WatchKind::kChild);
  tree_.SetAcl("/a", kReadOnly, 1);
  EXPECT_TRUE(TakeEvents().empty());
  EXPECT_EQ(tree_.WatchCount(), 2u);
}

TEST_F(DataTreeWatchTest, FailedWritesFireNothing) {
  Create("/a", 1);
  tree_.AddWatch("/a", 1, WatchKind::kData);
  tree_.AddWatch("/", 1, WatchKind::kChild);
  EXPECT_EQ(Create("/a", 2), Err::kNodeExists);
  EXPECT_EQ(tree_.DeleteNode("/a/x", 3), Err::kNoNode);
  EXPECT_EQ(tree_.SetData("/b", "", 1, 4, 0), Err::kNoNode);
  EXPECT_TRUE(TakeEvents().empty());
}

TEST_F(DataTreeWatchTest, KillSessionFiresTheDeletesOfItsEphemerals) {
  tree_.CreateNode("/e", "", kOpen, 0x10, -1, 1, 0);
  tree_.AddWatch("/e", 2, WatchKind::kData);
  tree_.AddWatch("/", 3, WatchKind::kChild);
  tree_.KillSession(0x10, 5);
  EXPECT_EQ(TakeEvents(),
            (std::vector<Event>{{2, EventType::kNodeDeleted, "/e", 5, kOpen},
                                {3, EventType::kNodeChildrenChanged, "/", 5, kOpen}}));
}

TEST_F(DataTreeWatchTest, APersistentWatchSeesDataAndChildEventsAndStays) {
  Create("/p", 1);
  EXPECT_TRUE(tree_.AddWatch("/p", 1, WatchKind::kPersistent));
  EXPECT_FALSE(tree_.AddWatch("/p", 1, WatchKind::kPersistent));
  Create("/p/c", 2);
  tree_.SetData("/p", "x", 1, 3, 0);
  tree_.SetData("/p/c", "x", 1, 4, 0);  // not the watched path
  EXPECT_EQ(TakeEvents(), (std::vector<Event>{{1, EventType::kNodeChildrenChanged, "/p", 2, kOpen},
                                              {1, EventType::kNodeDataChanged, "/p", 3, kOpen}}));
  EXPECT_TRUE(tree_.ContainsWatch("/p", 1, WatcherType::kPersistent));
}

TEST_F(DataTreeWatchTest, ARecursiveWatchSeesDataEventsOfTheWholeSubtreeButNoChildLists) {
  Create("/p", 1);
  tree_.AddWatch("/p", 1, WatchKind::kPersistentRecursive);
  Create("/p/c", 2);
  Create("/p/c/d", 3);
  tree_.SetData("/p/c/d", "x", 1, 4, 0);
  tree_.DeleteNode("/p/c/d", 5);
  EXPECT_EQ(TakeEvents(), (std::vector<Event>{{1, EventType::kNodeCreated, "/p/c", 2, kOpen},
                                              {1, EventType::kNodeCreated, "/p/c/d", 3, kOpen},
                                              {1, EventType::kNodeDataChanged, "/p/c/d", 4, kOpen},
                                              {1, EventType::kNodeDeleted, "/p/c/d", 5, kOpen}}));
  EXPECT_EQ(tree_.child_watches().size(), 0u);
}

TEST_F(DataTreeWatchTest, ContainsAndRemoveFollowTheWatcherType) {
  Create("/a", 1);
  tree_.AddWatch("/a", 1, WatchKind::kData);
  tree_.AddWatch("/a", 1, WatchKind::kChild);
  tree_.AddWatch("/b", 2, WatchKind::kPersistentRecursive);
  tree_.AddWatch("/c", 3, WatchKind::kPersistent);

  EXPECT_TRUE(tree_.ContainsWatch("/a", 1, WatcherType::kData));
  EXPECT_TRUE(tree_.ContainsWatch("/a", 1, WatcherType::kChildren));
  EXPECT_TRUE(tree_.ContainsWatch("/a", 1, WatcherType::kAny));
  EXPECT_FALSE(tree_.ContainsWatch("/a", 2, WatcherType::kAny));
  EXPECT_TRUE(tree_.ContainsWatch("/b", 2, WatcherType::kPersistentRecursive));
  EXPECT_FALSE(tree_.ContainsWatch("/b", 2, WatcherType::kData));
  EXPECT_TRUE(tree_.ContainsWatch("/c", 3, WatcherType::kPersistent));
  EXPECT_FALSE(tree_.ContainsWatch("/c", 3, WatcherType::kChildren));

  EXPECT_TRUE(tree_.RemoveWatch("/a", 1, WatcherType::kData));
  EXPECT_FALSE(tree_.RemoveWatch("/a", 1, WatcherType::kData));
  EXPECT_TRUE(tree_.ContainsWatch("/a", 1, WatcherType::kChildren));
  EXPECT_TRUE(tree_.RemoveWatch("/a", 1, WatcherType::kAny));
  EXPECT_FALSE(tree_.ContainsWatch("/a", 1, WatcherType::kAny));
  EXPECT_TRUE(tree_.RemoveWatch("/c", 3, WatcherType::kPersistent));
  EXPECT_FALSE(tree_.ContainsWatch("/c", 3, WatcherType::kAny));
  EXPECT_TRUE(tree_.RemoveWatch("/b", 2, WatcherType::kPersistentRecursive));
  EXPECT_EQ(tree_.WatchCount(), 0u);
}

TEST_F(DataTreeWatchTest, RemoveWatchesForgetsASessionsWatchesInBothManagers) {
  Create("/a", 1);
  tree_.AddWatch("/a", 1, WatchKind::kData);
  tree_.AddWatch("/a", 1, WatchKind::kChild);
  tree_.AddWatch("/a", 2, WatchKind::kData);
  tree_.RemoveWatches(1);
  tree_.SetData("/a", "x", 1, 2, 0);
  Create("/a/b", 3);
  EXPECT_EQ(TakeEvents(), (std::vector<Event>{{2, EventType::kNodeDataChanged, "/a", 2, kOpen}}));
}

TEST_F(DataTreeWatchTest, WatchCountAndTheFourLetterViewsCoverTheRightManagers) {
  tree_.AddWatch("/a", 1, WatchKind::kData);
  tree_.AddWatch("/b", 1, WatchKind::kChild);
  tree_.AddWatch("/c", 2, WatchKind::kPersistent);
  EXPECT_EQ(tree_.WatchCount(), 4u);
  EXPECT_EQ(tree_.data_watches().Summary(), (WatchesSummary{2, 2, 2}));
  EXPECT_EQ(tree_.child_watches().Summary(), (WatchesSummary{2, 2, 2}));
}

TEST_F(DataTreeWatchTest, SetWatchesFiresWhatChangedAndReregistersTheRest) {
  Create("/same", 5);
  Create("/changed", 5);
  tree_.SetData("/changed", "x", 1, 20, 0);
  Create("/kids", 5);
  Create("/kids/new", 21);
  Create("/born", 22);

  tree_.SetWatches(/*relative_zxid=*/10, /*data=*/{"/same", "/changed", "/gone"},
                   /*exist=*/{"/born", "/unborn"}, /*child=*/{"/kids", "/same", "/gone2"},
                   /*persistent=*/{"/p"}, /*recursive=*/{"/r"}, /*watcher=*/9);
  EXPECT_EQ(TakeEvents(),
            (std::vector<Event>{{9, EventType::kNodeDataChanged, "/changed", -1, kOpen},
                                {9, EventType::kNodeDeleted, "/gone", -1, std::nullopt},
                                {9, EventType::kNodeCreated, "/born", -1, kOpen},
                                {9, EventType::kNodeChildrenChanged, "/kids", -1, kOpen},
                                {9, EventType::kNodeDeleted, "/gone2", -1, std::nullopt}}));
  EXPECT_TRUE(tree_.ContainsWatch("/same", 9, WatcherType::kData));
  EXPECT_TRUE(tree_.ContainsWatch("/unborn", 9, WatcherType::kData));
  EXPECT_TRUE(tree_.ContainsWatch("/same", 9, WatcherType::kChildren));
  EXPECT_FALSE(tree_.ContainsWatch("/changed", 9, WatcherType::kAny));
  EXPECT_TRUE(tree_.ContainsWatch("/p", 9, WatcherType::kPersistent));
  EXPECT_TRUE(tree_.child_watches().Contains("/p", 9, WatchMode::kPersistent));
  EXPECT_TRUE(tree_.ContainsWatch("/r", 9, WatcherType::kPersistentRecursive));
}

TEST_F(DataTreeWatchTest, NotifyCarriesTheNodesAclWhenItExists) {
  Create("/a", 1, kReadOnly);
  tree_.Notify(4, EventType::kNodeCreated, "/a");
  tree_.Notify(4, EventType::kNodeDeleted, "/b");
  EXPECT_EQ(TakeEvents(),
            (std::vector<Event>{{4, EventType::kNodeCreated, "/a", -1, kReadOnly},
                                {4, EventType::kNodeDeleted, "/b", -1, std::nullopt}}));
}

TEST_F(DataTreeWatchTest, WithoutAListenerWatchesAreStillConsumed) {
  DataTree tree;
  tree.CreateNode("/a", "", kOpen, 0, -1, 1, 0);
  tree.AddWatch("/a", 1, WatchKind::kData);
  tree.SetData("/a", "x", 1, 2, 0);
  EXPECT_EQ(tree.WatchCount(), 0u);
}

TEST(WatchKindFromAddWatchModeTest, MapsZooKeepersAddWatchModes) {
  EXPECT_EQ(WatchKindFromAddWatchMode(0), WatchKind::kPersistent);
  EXPECT_EQ(WatchKindFromAddWatchMode(1), WatchKind::kPersistentRecursive);
  EXPECT_EQ(WatchKindFromAddWatchMode(2), std::nullopt);
  EXPECT_EQ(WatchKindFromAddWatchMode(-1), std::nullopt);
}

}  // namespace
}  // namespace zk::tree
