#include "server/tree/data_tree.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server/tree/sequential_name.h"
#include "tests/unit/tree/tree_test_util.h"

namespace zk::tree {
namespace {

// ---- The initial tree ----

TEST(DataTreeTest, StartsWithTheRootAndZooKeepersSystemNodes) {
  DataTree tree;
  EXPECT_EQ(tree.NodeCount(), 4u);
  EXPECT_EQ(tree.ReportedNodeCount(), 5u);
  EXPECT_EQ(ChildrenOf(tree, "/"), (std::vector<std::string>{"zookeeper"}));
  EXPECT_EQ(ChildrenOf(tree, "/zookeeper"), (std::vector<std::string>{"quota", "config"}));
  EXPECT_TRUE(ChildrenOf(tree, "/zookeeper/quota").empty());
  // "/" + "/zookeeper" + "/zookeeper/quota" + "/zookeeper/config", all without data.
  EXPECT_EQ(tree.ApproximateDataSize(), 44);
  EXPECT_EQ(tree.AclCount(), 2u);
  EXPECT_EQ(tree.EphemeralCount(), 0u);
}

TEST(DataTreeTest, SystemNodesHaveZeroStatsWithCversionTranslatedFromCreations) {
  DataTree tree;
  data::Stat root = StatOf(tree, "/");
  EXPECT_EQ(root.czxid, 0);
  EXPECT_EQ(root.pzxid, 0);
  EXPECT_EQ(root.ctime, 0);
  EXPECT_EQ(root.numChildren, 1);
  EXPECT_EQ(root.cversion, -1);  // 2 * 0 creations - 1 child, as ZooKeeper shows it
  EXPECT_EQ(StatOf(tree, "/zookeeper").cversion, -2);
  EXPECT_EQ(StatOf(tree, "/zookeeper/quota"), data::Stat{});
}

TEST(DataTreeTest, TheConfigNodeIsWorldReadableOnlyWithAversionMinusOne) {
  DataTree tree;
  std::vector<data::ACL> acl;
  data::Stat stat;
  ASSERT_EQ(tree.GetAcl("/zookeeper/config", &acl, &stat), Err::kOk);
  EXPECT_EQ(acl, kReadOnly);
  EXPECT_EQ(stat.aversion, -1);
  ASSERT_EQ(tree.GetAcl("/", &acl, nullptr), Err::kOk);
  EXPECT_EQ(acl, kOpen);
}

// ---- CreateNode ----

TEST(DataTreeTest, CreateFillsTheNewNodesStat) {
  DataTree tree;
  data::Stat out;
  ASSERT_EQ(tree.CreateNode("/a", "hello", kOpen, 0, -1, 0x100000005, 1234, &out), Err::kOk);
  data::Stat expected;
  expected.czxid = expected.mzxid = expected.pzxid = 0x100000005;
  expected.ctime = expected.mtime = 1234;
  expected.dataLength = 5;
  EXPECT_EQ(out, expected);
  EXPECT_EQ(StatOf(tree, "/a"), expected);
  std::string data;
  ASSERT_EQ(tree.GetData("/a", &data, nullptr), Err::kOk);
  EXPECT_EQ(data, "hello");
}

TEST(DataTreeTest, CreateBumpsTheParentsCversionAndPzxid) {
  DataTree tree;
  ASSERT_EQ(Create(tree, "/a", 10), Err::kOk);
  ASSERT_EQ(Create(tree, "/a/x", 11), Err::kOk);
  auto parent = tree.Find("/a");
  ASSERT_TRUE(parent);
  EXPECT_EQ(parent->cversion(), 1);  // raw: creations
  EXPECT_EQ(parent->pzxid(), 11);
  EXPECT_EQ(parent->mzxid(), 10);  // data untouched
  data::Stat stat = parent->stat();
  EXPECT_EQ(stat.cversion, 1);
  EXPECT_EQ(stat.numChildren, 1);
  EXPECT_EQ(stat.pzxid, 11);
}

TEST(DataTreeTest, CreateUsesAnExplicitParentCversion) {
  DataTree tree;
  Create(tree, "/a", 10);
  ASSERT_EQ(tree.CreateNode("/a/x", "", kOpen, 0, 7, 11, 0), Err::kOk);
  EXPECT_EQ(tree.Find("/a")->cversion(), 7);
  EXPECT_EQ(tree.Find("/a")->pzxid(), 11);
}

TEST(DataTreeTest, CreateNeverLowersTheParentsCversionOrMovesItsPzxid) {
  DataTree tree;
  Create(tree, "/a", 10);
  ASSERT_EQ(tree.CreateNode("/a/x", "", kOpen, 0, 5, 11, 0), Err::kOk);
  ASSERT_EQ(tree.CreateNode("/a/y", "", kOpen, 0, 5, 12, 0), Err::kOk);
  ASSERT_EQ(tree.CreateNode("/a/z", "", kOpen, 0, 3, 13, 0), Err::kOk);
  auto parent = tree.Find("/a");
  EXPECT_EQ(parent->cversion(), 5);
  EXPECT_EQ(parent->pzxid(), 11);
  EXPECT_EQ(parent->num_children(), 3);
}

TEST(DataTreeTest, CreateFailsWithNoNodeWhenTheParentIsMissing) {
  DataTree tree;
  EXPECT_EQ(Create(tree, "/a/b", 10), Err::kNoNode);
  EXPECT_EQ(tree.NodeCount(), 4u);
  EXPECT_EQ(StatOf(tree, "/").pzxid, 0);
}

TEST(DataTreeTest, CreateFailsWithNodeExistsAndChangesNothing) {
  DataTree tree;
  Create(tree, "/a", 10, "first");
  data::Stat root_before = StatOf(tree, "/");
  EXPECT_EQ(Create(tree, "/a", 11, "second"), Err::kNodeExists);
  EXPECT_EQ(StatOf(tree, "/"), root_before);
  std::string data;
  tree.GetData("/a", &data, nullptr);
  EXPECT_EQ(data, "first");
  EXPECT_EQ(Create(tree, "/", 12), Err::kNodeExists);
}

TEST(DataTreeTest, CreateRejectsMalformedPathsWithoutCrashing) {
  DataTree tree;
  EXPECT_EQ(Create(tree, "", 1), Err::kBadArguments);
  EXPECT_EQ(Create(tree, "a", 1), Err::kBadArguments);
  EXPECT_EQ(Create(tree, "/a/", 1), Err::kBadArguments);
  EXPECT_EQ(Create(tree, "/zookeeper//x", 1), Err::kNoNode);
  EXPECT_EQ(tree.NodeCount(), 4u);
}

TEST(DataTreeTest, CreateAddsThePathAndDataToTheApproximateSize) {
  DataTree tree;
  Create(tree, "/abc", 10, "12345");
  EXPECT_EQ(tree.ApproximateDataSize(), 44 + 4 + 5);
}

// ---- DeleteNode ----

TEST(DataTreeTest, DeleteRemovesTheNodeAndRaisesTheParentsPzxid) {
  DataTree tree;
  Create(tree, "/a", 10);
  Create(tree, "/a/x", 11, "data");
  ASSERT_EQ(tree.DeleteNode("/a/x", 12), Err::kOk);
  EXPECT_FALSE(tree.Exists("/a/x"));
  auto parent = tree.Find("/a");
  EXPECT_EQ(parent->pzxid(), 12);
  EXPECT_EQ(parent->cversion(), 1);       // raw cversion counts creations only
  EXPECT_EQ(parent->stat().cversion, 2);  // clients see one create plus one delete
  EXPECT_EQ(parent->num_children(), 0);
  EXPECT_EQ(tree.ApproximateDataSize(), 44 + 2);
  EXPECT_EQ(tree.NodeCount(), 5u);
}

TEST(DataTreeTest, VisibleCversionGrowsByOneForEveryCreateAndDelete) {
  DataTree tree;
  Create(tree, "/p", 1);
  int64_t zxid = 2;
  for (int round = 1; round <= 5; ++round) {
    Create(tree, "/p/c", zxid++);
    EXPECT_EQ(StatOf(tree, "/p").cversion, 2 * round - 1);
    tree.DeleteNode("/p/c", zxid++);
    EXPECT_EQ(StatOf(tree, "/p").cversion, 2 * round);
  }
}

TEST(DataTreeTest, DeleteOfAMissingChildStillRaisesTheParentsPzxidAsInZooKeeper) {
  DataTree tree;
  Create(tree, "/a", 10);
  EXPECT_EQ(tree.DeleteNode("/a/gone", 20), Err::kNoNode);
  EXPECT_EQ(tree.Find("/a")->pzxid(), 20);
  EXPECT_EQ(tree.DeleteNode("/a/gone", 15), Err::kNoNode);
  EXPECT_EQ(tree.Find("/a")->pzxid(), 20);
}

TEST(DataTreeTest, DeleteNeverLowersThePzxid) {
  DataTree tree;
  Create(tree, "/a", 10);
  Create(tree, "/a/x", 30);
  ASSERT_EQ(tree.DeleteNode("/a/x", 25), Err::kOk);
  EXPECT_EQ(tree.Find("/a")->pzxid(), 30);
}

TEST(DataTreeTest, DeleteFailsWithNoNodeWhenTheParentIsMissing) {
  DataTree tree;
  EXPECT_EQ(tree.DeleteNode("/x/y", 5), Err::kNoNode);
}

TEST(DataTreeTest, DeleteRefusesANodeWithChildren) {
  DataTree tree;
  Create(tree, "/a", 10);
  Create(tree, "/a/x", 11);
  EXPECT_EQ(tree.DeleteNode("/a", 12), Err::kNotEmpty);
  EXPECT_TRUE(tree.Exists("/a"));
  EXPECT_EQ(StatOf(tree, "/").pzxid, 10);
  EXPECT_EQ(tree.DeleteNode("/zookeeper", 12), Err::kNotEmpty);
}

TEST(DataTreeTest, DeleteRefusesTheRootAndMalformedPaths) {
  DataTree tree;
  EXPECT_EQ(tree.DeleteNode("/", 1), Err::kBadArguments);
  EXPECT_EQ(tree.DeleteNode("", 1), Err::kBadArguments);
  EXPECT_EQ(tree.DeleteNode("/a/", 1), Err::kBadArguments);
}

TEST(DataTreeTest, DeleteAcceptsAPathThatIsAViewIntoTheTree) {
  DataTree tree;
  Create(tree, "/a", 10);
  std::string_view path = tree.Find("/a")->path();
  EXPECT_EQ(tree.DeleteNode(path, 11), Err::kOk);
  EXPECT_FALSE(tree.Exists("/a"));
}

TEST(DataTreeTest, ANodeCanBeRecreatedAfterDelete) {
  DataTree tree;
  Create(tree, "/a", 10, "one");
  tree.DeleteNode("/a", 11);
  ASSERT_EQ(Create(tree, "/a", 12, "two"), Err::kOk);
  EXPECT_EQ(StatOf(tree, "/a").czxid, 12);
  EXPECT_EQ(ChildrenOf(tree, "/"), (std::vector<std::string>{"zookeeper", "a"}));
}

// ---- SetData / SetAcl ----

TEST(DataTreeTest, SetDataReplacesDataAndUpdatesVersionMzxidAndMtime) {
  DataTree tree;
  Create(tree, "/a", 10, "short");
  data::Stat out;
  ASSERT_EQ(tree.SetData("/a", "a much longer value", 1, 11, 5000, &out), Err::kOk);
  EXPECT_EQ(out.version, 1);
  EXPECT_EQ(out.mzxid, 11);
  EXPECT_EQ(out.mtime, 5000);
  EXPECT_EQ(out.czxid, 10);
  EXPECT_EQ(out.ctime, 1000);
  EXPECT_EQ(out.pzxid, 10);
  EXPECT_EQ(out.dataLength, 19);
  EXPECT_EQ(StatOf(tree, "/a"), out);
  std::string data;
  tree.GetData("/a", &data, nullptr);
  EXPECT_EQ(data, "a much longer value");
  EXPECT_EQ(tree.ApproximateDataSize(), 44 + 2 + 19);
}

TEST(DataTreeTest, SetDataTakesTheVersionItIsGivenAndCanEmptyTheData) {
  DataTree tree;
  Create(tree, "/a", 10, "x");
  ASSERT_EQ(tree.SetData("/a", "", 41, 11, 0, nullptr), Err::kOk);
  EXPECT_EQ(StatOf(tree, "/a").version, 41);
  EXPECT_EQ(StatOf(tree, "/a").dataLength, 0);
}

TEST(DataTreeTest, SetDataOnAMissingNodeFailsWithNoNode) {
  DataTree tree;
  EXPECT_EQ(tree.SetData("/nope", "x", 1, 2, 3, nullptr), Err::kNoNode);
}

TEST(DataTreeTest, SetDataOnAParentKeepsItsChildren) {
  DataTree tree;
  Create(tree, "/a", 10);
  Create(tree, "/a/x", 11);
  Create(tree, "/a/y", 12);
  tree.SetData("/a", std::string(1000, 'z'), 1, 13, 0, nullptr);
  EXPECT_EQ(ChildrenOf(tree, "/a"), (std::vector<std::string>{"x", "y"}));
  ASSERT_EQ(tree.DeleteNode("/a/x", 14), Err::kOk);
  EXPECT_EQ(ChildrenOf(tree, "/a"), (std::vector<std::string>{"y"}));
}

TEST(DataTreeTest, SetAclReplacesTheAclAndSetsAversionOnly) {
  DataTree tree;
  Create(tree, "/a", 10);
  data::Stat before = StatOf(tree, "/a");
  data::Stat out;
  ASSERT_EQ(tree.SetAcl("/a", kReadOnly, 3, &out), Err::kOk);
  before.aversion = 3;
  EXPECT_EQ(out, before);
  std::vector<data::ACL> acl;
  tree.GetAcl("/a", &acl, nullptr);
  EXPECT_EQ(acl, kReadOnly);
  EXPECT_EQ(tree.SetAcl("/nope", kOpen, 1, nullptr), Err::kNoNode);
}

TEST(DataTreeTest, AclListsAreSharedAndReferenceCounted) {
  DataTree tree;
  std::vector<data::ACL> digest = {kOpen[0]};
  digest[0].id.scheme = "digest";
  digest[0].id.id = "u:hash";
  tree.CreateNode("/a", "", digest, 0, -1, 10, 0);
  tree.CreateNode("/b", "", digest, 0, -1, 11, 0);
  EXPECT_EQ(tree.AclCount(), 3u);
  EXPECT_EQ(tree.Find("/a")->acl_id(), tree.Find("/b")->acl_id());
  tree.DeleteNode("/a", 12);
  EXPECT_EQ(tree.AclCount(), 3u);
  tree.SetAcl("/b", kOpen, 1, nullptr);
  EXPECT_EQ(tree.AclCount(), 2u);  // the digest list lost its last user
  EXPECT_EQ(tree.Find("/b")->acl_id(), tree.Find("/")->acl_id());
}

TEST(DataTreeTest, SetCversionPzxidOnlyRaisesTheCversion) {
  DataTree tree;
  Create(tree, "/a", 10);
  ASSERT_EQ(tree.SetCversionPzxid("/a/", 4, 20), Err::kOk);
  EXPECT_EQ(tree.Find("/a")->cversion(), 4);
  EXPECT_EQ(tree.Find("/a")->pzxid(), 20);
  tree.SetCversionPzxid("/a", 2, 30);
  EXPECT_EQ(tree.Find("/a")->cversion(), 4);
  EXPECT_EQ(tree.Find("/a")->pzxid(), 20);
  tree.SetCversionPzxid("/a", -1, 31);
  EXPECT_EQ(tree.Find("/a")->cversion(), 5);
  EXPECT_EQ(tree.Find("/a")->pzxid(), 31);
  EXPECT_EQ(tree.SetCversionPzxid("/b", 1, 1), Err::kNoNode);
}

// ---- Reads ----

TEST(DataTreeTest, ReadsOfAMissingNodeFailWithNoNode) {
  DataTree tree;
  data::Stat stat;
  std::string data;
  std::vector<data::ACL> acl;
  std::vector<std::string> names;
  int32_t count = 0;
  EXPECT_EQ(tree.GetStat("/x", &stat), Err::kNoNode);
  EXPECT_EQ(tree.GetData("/x", &data, &stat), Err::kNoNode);
  EXPECT_EQ(tree.GetAcl("/x", &acl, &stat), Err::kNoNode);
  EXPECT_EQ(tree.GetChildren("/x", &names, &stat), Err::kNoNode);
  EXPECT_EQ(tree.CountDescendants("/x", &count), Err::kNoNode);
  EXPECT_EQ(tree.ForEachChild("/x", [](std::string_view) {}), Err::kNoNode);
  EXPECT_FALSE(tree.Find("/x"));
  EXPECT_FALSE(tree.Exists("/x"));
}

TEST(DataTreeTest, GetChildrenReturnsNamesInCreationOrderWithTheParentsStat) {
  DataTree tree;
  Create(tree, "/a", 10);
  Create(tree, "/a/b", 11);
  Create(tree, "/a/c", 12);
  Create(tree, "/a/c/d", 13);
  std::vector<std::string> names = {"stale"};
  data::Stat stat;
  ASSERT_EQ(tree.GetChildren("/a", &names, &stat), Err::kOk);
  EXPECT_EQ(names, (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(stat.numChildren, 2);
  EXPECT_EQ(stat.pzxid, 12);
  std::vector<std::string> seen;
  tree.ForEachChild("/a", [&](std::string_view name) { seen.emplace_back(name); });
  EXPECT_EQ(seen, names);
}

TEST(DataTreeTest, CountDescendantsCountsTheWholeSubtree) {
  DataTree tree;
  Create(tree, "/a", 10);
  Create(tree, "/a/b", 11);
  Create(tree, "/a/b/c", 12);
  Create(tree, "/a/d", 13);
  Create(tree, "/ab", 14);
  int32_t count = -1;
  ASSERT_EQ(tree.CountDescendants("/a", &count), Err::kOk);
  EXPECT_EQ(count, 3);
  tree.CountDescendants("/a/b/c", &count);
  EXPECT_EQ(count, 0);
  tree.CountDescendants("/", &count);
  EXPECT_EQ(count, 3 + 5);  // system nodes plus everything created
}

TEST(DataTreeTest, NodeViewExposesWhatThePrepStageNeeds) {
  DataTree tree;
  tree.CreateNode("/e", "xy", kReadOnly, 0x42, -1, 10, 99);
  Create(tree, "/p", 11);
  Create(tree, "/p/c", 12);
  tree.SetData("/p", "d", 3, 13, 100);
  tree.SetAcl("/p", kOpen, 2);
  auto e = tree.Find("/e");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->path(), "/e");
  EXPECT_EQ(e->data(), "xy");
  EXPECT_EQ(e->ephemeral_owner(), 0x42);
  EXPECT_EQ(e->ephemeral_kind(), EphemeralKind::kNormal);
  EXPECT_EQ(e->acl(), kReadOnly);
  auto p = tree.Find("/p");
  EXPECT_EQ(p->version(), 3);
  EXPECT_EQ(p->cversion(), 1);
  EXPECT_EQ(p->aversion(), 2);
  EXPECT_EQ(p->num_children(), 1);
  EXPECT_EQ(p->ephemeral_kind(), EphemeralKind::kVoid);
  data::StatPersisted persisted = p->persisted_stat();
  EXPECT_EQ(persisted.czxid, 11);
  EXPECT_EQ(persisted.mzxid, 13);
  EXPECT_EQ(persisted.pzxid, 12);
  EXPECT_EQ(persisted.ctime, 1100);
  EXPECT_EQ(persisted.mtime, 100);
  EXPECT_EQ(persisted.cversion, 1);
}

// ---- Sequential names ----

TEST(DataTreeTest, SequentialChildrenAreNamedAfterTheParentsRawCversion) {
  DataTree tree;
  Create(tree, "/q", 1);
  int64_t zxid = 2;
  std::vector<std::string> made;
  for (int i = 0; i < 3; ++i) {
    auto parent = tree.Find("/q");
    std::string path = SequentialPath("/q/item-", parent->cversion());
    int32_t next = parent->cversion() + 1;
    ASSERT_EQ(tree.CreateNode(path, "", kOpen, 0, next, zxid++, 0), Err::kOk);
    made.push_back(path);
    if (i == 0) tree.DeleteNode(path, zxid++);  // deletes do not reuse numbers
  }
  EXPECT_EQ(made, (std::vector<std::string>{"/q/item-0000000000", "/q/item-0000000001",
                                            "/q/item-0000000002"}));
}

// ---- A big parent ----

TEST(DataTreeTest, ABigParentListsAndDeletesChildrenCorrectly) {
  DataTree tree;
  Create(tree, "/big", 1);
  const int kChildren = 100000;
  for (int i = 0; i < kChildren; ++i) {
    ASSERT_EQ(Create(tree, "/big/n" + std::to_string(i), 2 + i), Err::kOk);
  }
  EXPECT_EQ(StatOf(tree, "/big").numChildren, kChildren);
  // Remove the first, the last and one in the middle.
  ASSERT_EQ(tree.DeleteNode("/big/n0", 200000), Err::kOk);
  ASSERT_EQ(tree.DeleteNode("/big/n99999", 200001), Err::kOk);
  ASSERT_EQ(tree.DeleteNode("/big/n50000", 200002), Err::kOk);
  std::vector<std::string> names = ChildrenOf(tree, "/big");
  ASSERT_EQ(names.size(), static_cast<size_t>(kChildren - 3));
  EXPECT_EQ(names.front(), "n1");
  EXPECT_EQ(names.back(), "n99998");
  EXPECT_EQ(names[49998], "n49999");
  EXPECT_EQ(names[49999], "n50001");
  Create(tree, "/big/n0", 200003);
  EXPECT_EQ(ChildrenOf(tree, "/big").back(), "n0");
  EXPECT_EQ(tree.NodeCount(), 4u + 1 + kChildren - 2);
}

TEST(SplitPathTest, SplitsIntoParentAndName) {
  std::string_view parent, name;
  ASSERT_TRUE(SplitPath("/a/b/c", &parent, &name));
  EXPECT_EQ(parent, "/a/b");
  EXPECT_EQ(name, "c");
  ASSERT_TRUE(SplitPath("/a", &parent, &name));
  EXPECT_EQ(parent, "/");
  EXPECT_EQ(name, "a");
  EXPECT_FALSE(SplitPath("/", &parent, &name));
  EXPECT_FALSE(SplitPath("", &parent, &name));
  EXPECT_FALSE(SplitPath("a/b", &parent, &name));
  EXPECT_FALSE(SplitPath("/a/", &parent, &name));
}

}  // namespace
}  // namespace zk::tree
