// The quota bookkeeping the tree does for zookeeper_stats nodes.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server/tree/data_tree.h"

namespace zk::tree {
namespace {

std::vector<data::ACL> Open() {
  data::ACL acl;
  acl.perms = perms::kAll;
  acl.id.scheme = "world";
  acl.id.id = "anyone";
  return {acl};
}

class QuotaTest : public ::testing::Test {
 protected:
  void Create(std::string_view path, std::string_view data = "") {
    ASSERT_EQ(tree_.CreateNode(path, data, Open(), 0, -1, zxid_++, 0), Err::kOk) << path;
  }

  // What zkCli's setquota does: the quota node, its limits, then its stats.
  void SetQuota(const std::string& path, std::string_view limits = "count=10,bytes=-1") {
    std::string node = "/zookeeper/quota";
    size_t pos = 1;
    while (pos <= path.size()) {
      size_t next = path.find('/', pos);
      if (next == std::string::npos) next = path.size();
      node += path.substr(pos - 1, next - pos + 1);
      if (!tree_.Exists(node)) Create(node);
      pos = next + 1;
    }
    Create(node + "/zookeeper_limits", limits);
    Create(node + "/zookeeper_stats", "count=0,bytes=0");
  }

  std::string Stats(const std::string& path) {
    std::string data;
    EXPECT_EQ(tree_.GetData("/zookeeper/quota" + path + "/zookeeper_stats", &data, nullptr),
              Err::kOk);
    return data;
  }

  // Enforcement only changes CheckQuota, never the bookkeeping.
  DataTree tree_{DataTreeOptions{.extended_types_enabled = false, .enforce_quota = true}};
  int64_t zxid_ = 1;
};

TEST_F(QuotaTest, CreatingTheStatNodeCountsTheSubtreeThatIsAlreadyThere) {
  Create("/a", "12");
  Create("/a/b", "345");
  SetQuota("/a");
  EXPECT_EQ(Stats("/a"), "count=2,bytes=5");
  EXPECT_EQ(tree_.QuotaPrefix("/a/b"), "/a");
}

TEST_F(QuotaTest, CreatesDeletesAndDataChangesBelowTheQuotaUpdateTheStats) {
  Create("/a");
  SetQuota("/a");
  EXPECT_EQ(Stats("/a"), "count=1,bytes=0");
  Create("/a/b", "abc");
  Create("/a/b/c", "de");
  EXPECT_EQ(Stats("/a"), "count=3,bytes=5");
  ASSERT_EQ(tree_.SetData("/a/b", "abcdefgh", 1, zxid_++, 0), Err::kOk);
  EXPECT_EQ(Stats("/a"), "count=3,bytes=10");
  ASSERT_EQ(tree_.DeleteNode("/a/b/c", zxid_++), Err::kOk);
  EXPECT_EQ(Stats("/a"), "count=2,bytes=8");
}

TEST_F(QuotaTest, NodesOutsideTheQuotaLeaveItAlone) {
  Create("/a");
  SetQuota("/a");
  Create("/ab", "xyz");
  Create("/b", "xyz");
  EXPECT_EQ(Stats("/a"), "count=1,bytes=0");
  EXPECT_EQ(tree_.QuotaPrefix("/ab"), std::nullopt);
  EXPECT_EQ(tree_.QuotaPrefix("/"), std::nullopt);
}

TEST_F(QuotaTest, TheDeepestQuotaCountsANode) {
  Create("/a");
  Create("/a/b");
  SetQuota("/a");
  SetQuota("/a/b");
  Create("/a/b/c", "1234");
  EXPECT_EQ(tree_.QuotaPrefix("/a/b/c"), "/a/b");
  EXPECT_EQ(Stats("/a/b"), "count=2,bytes=4");
  EXPECT_EQ(Stats("/a"), "count=2,bytes=0");
}

TEST_F(QuotaTest, UpdatingTheStatsLeavesTheStatNodesStatAlone) {
  Create("/a");
  SetQuota("/a");
  data::Stat before;
  tree_.GetStat("/zookeeper/quota/a/zookeeper_stats", &before);
  Create("/a/b", "xyz");
  data::Stat after;
  tree_.GetStat("/zookeeper/quota/a/zookeeper_stats", &after);
  EXPECT_EQ(after.version, before.version);
  EXPECT_EQ(after.mzxid, before.mzxid);
  EXPECT_EQ(after.dataLength, static_cast<int32_t>(Stats("/a").size()));
}

TEST_F(QuotaTest, HardLimitKeysSurviveUpdatesInZooKeepersLayout) {
  Create("/a");
  SetQuota("/a");
  std::string stat_path = "/zookeeper/quota/a/zookeeper_stats";
  tree_.SetData(stat_path, "count=1,bytes=0=;countHardLimit=5;byteHardLimit=100", 1, zxid_++, 0);
  Create("/a/b", "xy");
  EXPECT_EQ(Stats("/a"), "count=2,bytes=2=;byteHardLimit=100;countHardLimit=5");
}

TEST_F(QuotaTest, DeletingTheLimitNodeEndsTheQuota) {
  Create("/a");
  SetQuota("/a");
  ASSERT_EQ(tree_.DeleteNode("/zookeeper/quota/a/zookeeper_limits", zxid_++), Err::kOk);
  EXPECT_EQ(tree_.QuotaPrefix("/a"), std::nullopt);
  Create("/a/b", "xyz");
  EXPECT_EQ(Stats("/a"), "count=1,bytes=0");
}

TEST_F(QuotaTest, ALimitNodeDirectlyUnderTheQuotaRootIsIgnored) {
  Create("/zookeeper/quota/zookeeper_limits", "count=1");
  Create("/x", "abc");
  EXPECT_EQ(tree_.QuotaPrefix("/x"), std::nullopt);
}

TEST_F(QuotaTest, FinishRestoreRebuildsQuotasAndRecountsTheirStats) {
  Create("/a", "12");
  SetQuota("/a");
  Create("/a/b", "345");
  DataTree copy;
  tree_.ForEachNode([&](const NodeView& n) {
    std::string data(n.data());
    if (n.path() == "/zookeeper/quota/a/zookeeper_stats") data = "count=0,bytes=0";  // stale
    ASSERT_EQ(copy.RestoreNode(n.path(), data, n.acl(), n.persisted_stat()), Err::kOk);
  });
  copy.FinishRestore();
  EXPECT_EQ(copy.QuotaPrefix("/a/b"), "/a");
  std::string stats;
  copy.GetData("/zookeeper/quota/a/zookeeper_stats", &stats, nullptr);
  EXPECT_EQ(stats, "count=2,bytes=5");
  EXPECT_EQ(copy.ApproximateDataSize(), tree_.ApproximateDataSize());
}

TEST_F(QuotaTest, ResetForgetsQuotas) {
  Create("/a");
  SetQuota("/a");
  tree_.Reset();
  EXPECT_EQ(tree_.QuotaPrefix("/a"), std::nullopt);
}

TEST_F(QuotaTest, ACreatePastTheHardCountLimitIsQuotaExceeded) {
  Create("/a");
  SetQuota("/a", "count=-1,bytes=-1=;byteHardLimit=-1;countHardLimit=2");
  EXPECT_EQ(tree_.CheckQuota("/a/b", 0, 1), Err::kOk);  // the second node of two
  Create("/a/b");
  EXPECT_EQ(tree_.CheckQuota("/a/c", 0, 1), Err::kQuotaExceeded);
  EXPECT_EQ(tree_.CheckQuota("/a/b/c", 0, 1), Err::kQuotaExceeded);
  // A data change adds no node.
  EXPECT_EQ(tree_.CheckQuota("/a/b", 100, 0), Err::kOk);
}

TEST_F(QuotaTest, DataPastTheHardByteLimitIsQuotaExceededAndShrinkingIsFine) {
  Create("/a", "12345");
  SetQuota("/a", "count=-1,bytes=-1=;byteHardLimit=10;countHardLimit=-1");
  EXPECT_EQ(tree_.CheckQuota("/a/b", 5, 1), Err::kOk);
  EXPECT_EQ(tree_.CheckQuota("/a/b", 6, 1), Err::kQuotaExceeded);
  EXPECT_EQ(tree_.CheckQuota("/a", 6, 0), Err::kQuotaExceeded);
  EXPECT_EQ(tree_.CheckQuota("/a", -5, 0), Err::kOk);
}

TEST_F(QuotaTest, SoftLimitsAloneNeverRefuse) {
  Create("/a", "12345");
  SetQuota("/a", "count=1,bytes=2");
  EXPECT_EQ(tree_.CheckQuota("/a/b", 100, 1), Err::kOk);
}

TEST_F(QuotaTest, AHardLimitWinsOverTheSoftOne) {
  Create("/a");
  SetQuota("/a", "count=1,bytes=-1=;byteHardLimit=-1;countHardLimit=3");
  Create("/a/b");
  EXPECT_EQ(tree_.CheckQuota("/a/c", 0, 1), Err::kOk);  // past soft 1, within hard 3
}

TEST_F(QuotaTest, OnlyTheDeepestQuotaIsChecked) {
  Create("/a");
  Create("/a/b");
  SetQuota("/a", "count=-1,bytes=-1=;byteHardLimit=-1;countHardLimit=3");  // /a and /a/b
  SetQuota("/a/b", "count=-1,bytes=-1=;byteHardLimit=-1;countHardLimit=10");
  EXPECT_EQ(tree_.CheckQuota("/a/x", 0, 1), Err::kOk);
  Create("/a/x");
  EXPECT_EQ(tree_.CheckQuota("/a/y", 0, 1), Err::kQuotaExceeded);
  EXPECT_EQ(tree_.CheckQuota("/a/b/y", 0, 1), Err::kOk);
}

TEST_F(QuotaTest, PathsWithoutAQuotaAreNeverRefused) {
  Create("/a");
  SetQuota("/a", "count=-1,bytes=-1=;byteHardLimit=0;countHardLimit=0");
  EXPECT_EQ(tree_.CheckQuota("/b", 1000, 1), Err::kOk);
  EXPECT_EQ(tree_.CheckQuota("/a/b", 0, 1), Err::kQuotaExceeded);
}

TEST(QuotaEnforcement, IsOffUnlessConfigured) {
  DataTree tree;
  std::vector<data::ACL> acl = Open();
  int64_t zxid = 1;
  for (std::string path : {"/a", "/zookeeper/quota/a"}) {
    ASSERT_EQ(tree.CreateNode(path, "", acl, 0, -1, zxid++, 0), Err::kOk);
  }
  ASSERT_EQ(
      tree.CreateNode("/zookeeper/quota/a/zookeeper_limits",
                      "count=-1,bytes=-1=;byteHardLimit=0;countHardLimit=0", acl, 0, -1, zxid++, 0),
      Err::kOk);
  ASSERT_EQ(tree.CreateNode("/zookeeper/quota/a/zookeeper_stats", "", acl, 0, -1, zxid++, 0),
            Err::kOk);
  EXPECT_EQ(tree.CheckQuota("/a/b", 10, 1), Err::kOk);
}

}  // namespace
}  // namespace zk::tree
