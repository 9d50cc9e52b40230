// Walking a data tree and restoring one from its nodes.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server/tree/data_tree.h"
#include "tests/unit/tree/tree_test_util.h"

namespace zk::tree {
namespace {

struct Dumped {
  std::string path;
  std::string data;
  std::vector<data::ACL> acl;
  data::StatPersisted stat;
  bool operator==(const Dumped&) const = default;
};

std::vector<Dumped> DumpAll(const DataTree& tree) {
  std::vector<Dumped> out;
  tree.ForEachNode([&](const NodeView& n) {
    out.push_back({std::string(n.path()), std::string(n.data()), n.acl(), n.persisted_stat()});
  });
  return out;
}

TEST(DataTreeTest, ForEachNodeVisitsParentsBeforeChildren) {
  DataTree tree;
  Create(tree, "/a", 1);
  Create(tree, "/a/b", 2);
  Create(tree, "/c", 3);
  Create(tree, "/a/b/d", 4);
  Create(tree, "/a/e", 5);
  std::vector<std::string> paths;
  for (const Dumped& d : DumpAll(tree)) paths.push_back(d.path);
  EXPECT_EQ(paths,
            (std::vector<std::string>{"/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config",
                                      "/a", "/a/b", "/a/b/d", "/a/e", "/c"}));
}

TEST(DataTreeTest, RestoringEveryNodeIntoAFreshTreeReproducesIt) {
  DataTree tree;
  Create(tree, "/a", 10, "alpha");
  Create(tree, "/a/b", 11, "", 0x77);
  tree.CreateNode("/a/c", "", kReadOnly, kContainerOwner, -1, 12, 1);
  Create(tree, "/d", 13);
  tree.DeleteNode("/d", 14);
  tree.SetData("/a", "beta!", 4, 15, 2);
  tree.SetAcl("/a", kReadOnly, 1);
  tree.SetData("/zookeeper/config", "server.1=x", -1, 16, 3);

  DataTree copy;
  for (const Dumped& d : DumpAll(tree)) {
    ASSERT_EQ(copy.RestoreNode(d.path, d.data, d.acl, d.stat), Err::kOk) << d.path;
  }
  EXPECT_EQ(DumpAll(copy), DumpAll(tree));
  EXPECT_EQ(copy.NodeCount(), tree.NodeCount());
  EXPECT_EQ(copy.ApproximateDataSize(), tree.ApproximateDataSize());
  EXPECT_EQ(copy.EphemeralPaths(0x77), (std::vector<std::string>{"/a/b"}));
  EXPECT_EQ(copy.containers().count("/a/c"), 1u);
  EXPECT_EQ(copy.AclCount(), tree.AclCount());
  for (const char* path : {"/", "/a", "/a/b", "/zookeeper"}) {
    EXPECT_EQ(StatOf(copy, path), StatOf(tree, path)) << path;
  }
}

TEST(DataTreeTest, RestoreNodeKeepsNullDataApartFromEmptyData) {
  DataTree tree;
  data::StatPersisted stat;
  stat.czxid = stat.mzxid = stat.pzxid = 5;
  ASSERT_EQ(tree.RestoreNode("/null", "", kOpen, stat, /*data_null=*/true), Err::kOk);
  ASSERT_EQ(tree.RestoreNode("/empty", "", kOpen, stat), Err::kOk);
  // Restoring over an existing node replaces its null flag too.
  ASSERT_EQ(tree.RestoreNode("/was-null", "", kOpen, stat, /*data_null=*/true), Err::kOk);
  ASSERT_EQ(tree.RestoreNode("/was-null", "v", kOpen, stat), Err::kOk);
  ASSERT_EQ(tree.RestoreNode("/empty", "", kOpen, stat, /*data_null=*/true), Err::kOk);

  std::string data = "stale";
  bool data_null = false;
  ASSERT_EQ(tree.GetData("/null", &data, nullptr, &data_null), Err::kOk);
  EXPECT_TRUE(data_null);
  EXPECT_EQ(data, "");
  ASSERT_EQ(tree.GetData("/empty", &data, nullptr, &data_null), Err::kOk);
  EXPECT_TRUE(data_null);
  ASSERT_EQ(tree.GetData("/was-null", &data, nullptr, &data_null), Err::kOk);
  EXPECT_FALSE(data_null);
  EXPECT_EQ(data, "v");
  // Null only makes sense for empty data; non-empty data is never null.
  ASSERT_EQ(tree.RestoreNode("/odd", "x", kOpen, stat, /*data_null=*/true), Err::kOk);
  ASSERT_EQ(tree.GetData("/odd", &data, nullptr, &data_null), Err::kOk);
  EXPECT_FALSE(data_null);
}

TEST(DataTreeTest, RestoreNeedsTheParentFirst) {
  DataTree tree;
  EXPECT_EQ(tree.RestoreNode("/a/b", "", kOpen, {}), Err::kNoNode);
  EXPECT_EQ(tree.RestoreNode("a", "", kOpen, {}), Err::kBadArguments);
}

TEST(DataTreeTest, ResetReturnsToTheInitialTree) {
  DataTree tree;
  Create(tree, "/a", 10, "x", 0x5);
  tree.CreateNode("/b", "", kReadOnly, 0, -1, 11, 0);
  tree.Reset();
  EXPECT_EQ(tree.NodeCount(), 4u);
  EXPECT_EQ(tree.ApproximateDataSize(), 44);
  EXPECT_EQ(tree.AclCount(), 2u);
  EXPECT_EQ(tree.EphemeralCount(), 0u);
  EXPECT_FALSE(tree.Exists("/a"));
  EXPECT_EQ(StatOf(tree, "/").cversion, -1);
  EXPECT_EQ(Create(tree, "/a", 12), Err::kOk);
}

}  // namespace
}  // namespace zk::tree
