// Ephemeral, container and TTL nodes in the data tree.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server/tree/data_tree.h"
#include "tests/unit/tree/tree_test_util.h"

namespace zk::tree {
namespace {

TEST(DataTreeTest, EphemeralsAreTrackedPerSessionInSortedOrder) {
  DataTree tree;
  Create(tree, "/e2", 10, "", 0x10);
  Create(tree, "/e1", 11, "", 0x10);
  Create(tree, "/f", 12, "", 0x20);
  EXPECT_EQ(tree.EphemeralPaths(0x10), (std::vector<std::string>{"/e1", "/e2"}));
  EXPECT_EQ(tree.EphemeralPaths(0x20), (std::vector<std::string>{"/f"}));
  EXPECT_TRUE(tree.EphemeralPaths(0x30).empty());
  EXPECT_EQ(tree.EphemeralCount(), 3u);
  EXPECT_EQ(tree.SessionsWithEphemerals(), (std::vector<int64_t>{0x10, 0x20}));
  EXPECT_EQ(StatOf(tree, "/e1").ephemeralOwner, 0x10);

  tree.DeleteNode("/f", 13);
  EXPECT_EQ(tree.EphemeralCount(), 2u);
  EXPECT_EQ(tree.SessionsWithEphemerals(), (std::vector<int64_t>{0x10}));
}

TEST(DataTreeTest, KillSessionDeletesTheSessionsEphemeralsOnly) {
  DataTree tree;
  Create(tree, "/dir", 1);
  Create(tree, "/dir/a", 10, "", 0x10);
  Create(tree, "/dir/b", 11, "", 0x10);
  Create(tree, "/dir/c", 12, "", 0x20);
  tree.KillSession(0x10, 20);
  EXPECT_FALSE(tree.Exists("/dir/a"));
  EXPECT_FALSE(tree.Exists("/dir/b"));
  EXPECT_TRUE(tree.Exists("/dir/c"));
  EXPECT_EQ(tree.Find("/dir")->pzxid(), 20);
  EXPECT_EQ(tree.EphemeralCount(), 1u);
  EXPECT_TRUE(tree.EphemeralPaths(0x10).empty());
}

TEST(DataTreeTest, KillSessionDeletesTheTxnsPathsAndSkipsMissingOnes) {
  DataTree tree;
  Create(tree, "/a", 10, "", 0x10);
  Create(tree, "/b", 11, "", 0x10);
  tree.KillSession(0x10, 20, {"/a", "/missing"});
  EXPECT_FALSE(tree.Exists("/a"));
  EXPECT_FALSE(tree.Exists("/b"));  // left over in the session: deleted too
  EXPECT_EQ(tree.EphemeralCount(), 0u);
}

TEST(DataTreeTest, DumpEphemeralsListsSessionsInHexWithTheirPaths) {
  DataTree tree;
  Create(tree, "/b", 10, "", 0x1a);
  Create(tree, "/a", 11, "", 0x1a);
  Create(tree, "/c", 12, "", 0x2);
  EXPECT_EQ(tree.DumpEphemerals(),
            "Sessions with Ephemerals (2):\n0x2:\n\t/c\n0x1a:\n\t/a\n\t/b\n");
  EXPECT_EQ(DataTree().DumpEphemerals(), "Sessions with Ephemerals (0):\n");
}

TEST(DataTreeTest, ContainersAreTrackedApartAndShowNoOwnerToClients) {
  DataTree tree;
  Create(tree, "/box", 10, "", kContainerOwner);
  EXPECT_EQ(tree.containers().count("/box"), 1u);
  EXPECT_EQ(tree.EphemeralCount(), 0u);
  EXPECT_EQ(StatOf(tree, "/box").ephemeralOwner, 0);
  EXPECT_EQ(tree.Find("/box")->ephemeral_owner(), kContainerOwner);
  EXPECT_EQ(tree.Find("/box")->ephemeral_kind(), EphemeralKind::kContainer);
  tree.DeleteNode("/box", 11);
  EXPECT_TRUE(tree.containers().empty());
}

TEST(DataTreeTest, TtlNodesAreTrackedWhenExtendedTypesAreEnabled) {
  DataTree tree(DataTreeOptions{.extended_types_enabled = true});
  int64_t owner = TtlOwner(5000);
  Create(tree, "/ttl", 10, "", owner);
  EXPECT_EQ(tree.ttls().count("/ttl"), 1u);
  EXPECT_EQ(tree.EphemeralCount(), 0u);
  EXPECT_EQ(StatOf(tree, "/ttl").ephemeralOwner, 0);
  EXPECT_EQ(TtlOf(tree.Find("/ttl")->ephemeral_owner()), 5000);
  tree.DeleteNode("/ttl", 11);
  EXPECT_TRUE(tree.ttls().empty());
}

TEST(DataTreeTest, WithoutExtendedTypesATtlShapedOwnerIsAnOrdinarySession) {
  DataTree tree;
  int64_t owner = TtlOwner(5000);
  Create(tree, "/x", 10, "", owner);
  EXPECT_TRUE(tree.ttls().empty());
  EXPECT_EQ(tree.EphemeralPaths(owner), (std::vector<std::string>{"/x"}));
  EXPECT_EQ(StatOf(tree, "/x").ephemeralOwner, owner);
}

}  // namespace
}  // namespace zk::tree
