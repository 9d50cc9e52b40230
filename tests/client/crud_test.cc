// Every single-node call against a real server, with its errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <thread>

#include "tests/client/client_fixture.h"

namespace zk::client::testing {
namespace {

class CrudTest : public ClientTest {
 protected:
  std::map<std::string, std::string> ServerConfig() override {
    return {{"extendedTypesEnabled", "true"}};
  }
};

TEST_F(CrudTest, CreateReturnsThePathAndStatOfTheNewNode) {
  std::string path;
  Stat stat;
  ASSERT_EQ(zk_->Create("/a", "hello", OpenAclUnsafe(), CreateMode::kPersistent, &path, &stat),
            Err::kOk);
  EXPECT_EQ(path, "/a");
  EXPECT_EQ(stat.dataLength, 5);
  EXPECT_EQ(stat.version, 0);
  EXPECT_GT(stat.czxid, 0);
  EXPECT_EQ(stat.czxid, stat.mzxid);
  std::string data;
  Stat read;
  ASSERT_EQ(zk_->GetData("/a", &data, &read), Err::kOk);
  EXPECT_EQ(data, "hello");
  EXPECT_EQ(read, stat);
}

TEST_F(CrudTest, CreateReportsNodeExistsAndNoNodeForAMissingParent) {
  ASSERT_EQ(zk_->Create("/a", "", OpenAclUnsafe(), CreateMode::kPersistent), Err::kOk);
  EXPECT_EQ(zk_->Create("/a", "", OpenAclUnsafe(), CreateMode::kPersistent), Err::kNodeExists);
  EXPECT_EQ(zk_->Create("/x/y", "", OpenAclUnsafe(), CreateMode::kPersistent), Err::kNoNode);
}

TEST_F(CrudTest, SequentialCreatesGetIncreasingTenDigitSuffixes) {
  ASSERT_EQ(zk_->Create("/q", "", OpenAclUnsafe(), CreateMode::kPersistent), Err::kOk);
  std::string first, second;
  ASSERT_EQ(zk_->Create("/q/n-", "", OpenAclUnsafe(), CreateMode::kPersistentSequential, &first),
            Err::kOk);
  ASSERT_EQ(zk_->Create("/q/n-", "", OpenAclUnsafe(), CreateMode::kEphemeralSequential, &second),
            Err::kOk);
  EXPECT_EQ(first, "/q/n-0000000000");
  EXPECT_EQ(second, "/q/n-0000000001");
}

TEST_F(CrudTest, EphemeralNodeBelongsToTheSessionAndDiesWithIt) {
  auto other = Connect();
  ASSERT_TRUE(other->WaitConnected(kWait));
  Stat stat;
  ASSERT_EQ(other->Create("/e", "", OpenAclUnsafe(), CreateMode::kEphemeral, nullptr, &stat),
            Err::kOk);
  EXPECT_EQ(stat.ephemeralOwner, other->Async().SessionId());
  std::vector<std::string> ephemerals;
  ASSERT_EQ(other->GetEphemerals("/", &ephemerals), Err::kOk);
  EXPECT_EQ(ephemerals, std::vector<std::string>{"/e"});
  EXPECT_EQ(zk_->Create("/e/child", "", OpenAclUnsafe(), CreateMode::kPersistent),
            Err::kNoChildrenForEphemerals);
  ASSERT_EQ(other->Close(), Err::kOk);
  EXPECT_EQ(zk_->Exists("/e"), Err::kNoNode);
}

TEST_F(CrudTest, ContainerAndTtlNodesAreCreatedWithTheirOwnOpcodes) {
  std::string path;
  ASSERT_EQ(zk_->Create("/c", "", OpenAclUnsafe(), CreateMode::kContainer, &path), Err::kOk);
  EXPECT_EQ(path, "/c");
  Stat stat;
  ASSERT_EQ(
      zk_->Create("/t", "", OpenAclUnsafe(), CreateMode::kPersistentWithTtl, &path, &stat, 60000),
      Err::kOk);
  EXPECT_EQ(path, "/t");
  EXPECT_EQ(zk_->Exists("/t"), Err::kOk);
  ASSERT_EQ(zk_->Create("/ts-", "", OpenAclUnsafe(), CreateMode::kPersistentSequentialWithTtl,
                        &path, nullptr, 60000),
            Err::kOk);
  EXPECT_EQ(path.rfind("/ts-", 0), 0u);
  EXPECT_EQ(path.size(), 14u);
}

TEST_F(CrudTest, TtlModesRequireAPositiveTtlAndOthersRefuseOne) {
  EXPECT_EQ(
      zk_->Create("/t", "", OpenAclUnsafe(), CreateMode::kPersistentWithTtl, nullptr, nullptr, -1),
      Err::kBadArguments);
  EXPECT_EQ(zk_->Create("/t", "", OpenAclUnsafe(), CreateMode::kPersistent, nullptr, nullptr, 5),
            Err::kBadArguments);
}

TEST_F(CrudTest, InvalidPathsFailWithBadArgumentsWithoutReachingTheServer) {
  EXPECT_EQ(zk_->Create("a", "", OpenAclUnsafe(), CreateMode::kPersistent), Err::kBadArguments);
  EXPECT_EQ(zk_->Create("/a/", "", OpenAclUnsafe(), CreateMode::kPersistent), Err::kBadArguments);
  EXPECT_EQ(zk_->Exists("/a//b"), Err::kBadArguments);
  EXPECT_EQ(zk_->Delete(""), Err::kBadArguments);
}

TEST_F(CrudTest, SetDataChecksTheVersion) {
  ASSERT_EQ(zk_->Create("/v", "0", OpenAclUnsafe(), CreateMode::kPersistent), Err::kOk);
  Stat stat;
  ASSERT_EQ(zk_->SetData("/v", "1", 0, &stat), Err::kOk);
  EXPECT_EQ(stat.version, 1);
  EXPECT_EQ(zk_->SetData("/v", "2", 0), Err::kBadVersion);
  ASSERT_EQ(zk_->SetData("/v", "3", -1, &stat), Err::kOk);
  EXPECT_EQ(stat.version, 2);
  EXPECT_EQ(zk_->SetData("/missing", "x"), Err::kNoNode);
}

TEST_F(CrudTest, DeleteChecksVersionAndChildren) {
  ASSERT_EQ(zk_->Create("/d", "", OpenAclUnsafe(), CreateMode::kPersistent), Err::kOk);
  ASSERT_EQ(zk_->Create("/d/c", "", OpenAclUnsafe(), CreateMode::kPersistent), Err::kOk);
  EXPECT_EQ(zk_->Delete("/d"), Err::kNotEmpty);
  EXPECT_EQ(zk_->Delete("/d/c", 5), Err::kBadVersion);
  EXPECT_EQ(zk_->Delete("/d/c", 0), Err::kOk);
  EXPECT_EQ(zk_->Delete("/d"), Err::kOk);
  EXPECT_EQ(zk_->Delete("/d"), Err::kNoNode);
}

TEST_F(CrudTest, ExistsReportsTheStatOrNoNode) {
  Stat stat;
  EXPECT_EQ(zk_->Exists("/n", &stat), Err::kNoNode);
  ASSERT_EQ(zk_->Create("/n", "abc", OpenAclUnsafe(), CreateMode::kPersistent), Err::kOk);
  ASSERT_EQ(zk_->Exists("/n", &stat), Err::kOk);
  EXPECT_EQ(stat.dataLength, 3);
}

TEST_F(CrudTest, ChildrenAreListedWithAndWithoutTheParentStat) {
  ASSERT_EQ(zk_->Create("/p", "", OpenAclUnsafe(), CreateMode::kPersistent), Err::kOk);
  for (const char* name : {"/p/a", "/p/b", "/p/b/deep"}) {
    ASSERT_EQ(zk_->Create(name, "", OpenAclUnsafe(), CreateMode::kPersistent), Err::kOk);
  }
  std::vector<std::string> children;
  ASSERT_EQ(zk_->GetChildren("/p", &children), Err::kOk);
  std::sort(children.begin(), children.end());
  EXPECT_EQ(children, (std::vector<std::string>{"a", "b"}));
  Stat stat;
  ASSERT_EQ(zk_->GetChildren2("/p", &children, &stat), Err::kOk);
  EXPECT_EQ(stat.numChildren, 2);
  EXPECT_EQ(stat.cversion, 2);
  int32_t count = 0;
  ASSERT_EQ(zk_->GetAllChildrenNumber("/p", &count), Err::kOk);
  EXPECT_EQ(count, 3);
  EXPECT_EQ(zk_->GetChildren("/none", &children), Err::kNoNode);
}

TEST_F(CrudTest, SyncAnswersForAPath) { EXPECT_EQ(zk_->Sync("/"), Err::kOk); }

TEST_F(CrudTest, NullAndBinaryDataRoundTrip) {
  std::string binary("\0\x01\xff", 3);
  ASSERT_EQ(zk_->Create("/b", binary, OpenAclUnsafe(), CreateMode::kPersistent), Err::kOk);
  std::string data;
  ASSERT_EQ(zk_->GetData("/b", &data), Err::kOk);
  EXPECT_EQ(data, binary);
}

TEST_F(CrudTest, NullDataIsSentAndReportedApartFromEmptyData) {
  ASSERT_EQ(zk_->Create("/null", nullptr, OpenAclUnsafe(), CreateMode::kPersistent), Err::kOk);
  ASSERT_EQ(zk_->Create("/empty", "", OpenAclUnsafe(), CreateMode::kPersistent), Err::kOk);
  std::string data = "stale";
  bool data_null = false;
  ASSERT_EQ(zk_->GetData("/null", &data, nullptr, nullptr, &data_null), Err::kOk);
  EXPECT_TRUE(data_null);
  EXPECT_EQ(data, "");
  ASSERT_EQ(zk_->GetData("/empty", &data, nullptr, nullptr, &data_null), Err::kOk);
  EXPECT_FALSE(data_null);

  // setData can make data null again, and the asynchronous call reports it.
  std::string value = "v";
  ASSERT_EQ(zk_->SetData("/empty", &value), Err::kOk);
  ASSERT_EQ(zk_->GetData("/empty", &data, nullptr, nullptr, &data_null), Err::kOk);
  EXPECT_FALSE(data_null);
  EXPECT_EQ(data, "v");
  ASSERT_EQ(zk_->SetData("/empty", nullptr), Err::kOk);
  std::promise<bool> got_null;
  zk_->Async().GetData(
      "/empty", NullableDataCallback([&](Err err, const std::string& d, bool null, const Stat&) {
        got_null.set_value(err == Err::kOk && d.empty() && null);
      }));
  auto answer = got_null.get_future();
  ASSERT_EQ(answer.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_TRUE(answer.get());
}

TEST_F(CrudTest, ManyThreadsShareOneBlockingClient) {
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        std::string path = "/t" + std::to_string(t) + "-" + std::to_string(i);
        if (zk_->Create(path, "x", OpenAclUnsafe(), CreateMode::kPersistent) == Err::kOk &&
            zk_->Exists(path) == Err::kOk) {
          ok++;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 400);
  int32_t count = 0;
  ASSERT_EQ(zk_->GetAllChildrenNumber("/", &count), Err::kOk);
  EXPECT_GE(count, 400);
}

TEST_F(CrudTest, AsyncCallsAnswerInTheOrderTheyWereIssued) {
  std::mutex mu;
  std::vector<int> order;
  std::promise<void> done;
  const int n = 200;
  for (int i = 0; i < n; ++i) {
    zk_->Async().Create("/o" + std::to_string(i), "", OpenAclUnsafe(), CreateMode::kPersistent,
                        [&, i](Err err, const std::string&, const Stat&) {
                          std::lock_guard<std::mutex> lock(mu);
                          if (err == Err::kOk) order.push_back(i);
                          if (i == n - 1) done.set_value();
                        });
  }
  ASSERT_EQ(done.get_future().wait_for(kWait), std::future_status::ready);
  std::lock_guard<std::mutex> lock(mu);
  ASSERT_EQ(order.size(), static_cast<size_t>(n));
  EXPECT_TRUE(std::is_sorted(order.begin(), order.end()));
}

TEST_F(CrudTest, ChrootAppliesToEveryPathInAndOut) {
  ASSERT_EQ(zk_->Create("/app", "", OpenAclUnsafe(), CreateMode::kPersistent), Err::kOk);
  auto rooted = Connect("/app");
  ASSERT_TRUE(rooted->WaitConnected(kWait));
  std::string path;
  ASSERT_EQ(rooted->Create("/x", "1", OpenAclUnsafe(), CreateMode::kPersistent, &path), Err::kOk);
  EXPECT_EQ(path, "/x");
  ASSERT_EQ(rooted->Create("/s-", "", OpenAclUnsafe(), CreateMode::kEphemeralSequential, &path),
            Err::kOk);
  EXPECT_EQ(path, "/s-0000000001");
  EXPECT_EQ(zk_->Exists("/app/x"), Err::kOk);
  std::vector<std::string> children;
  ASSERT_EQ(rooted->GetChildren("/", &children), Err::kOk);
  EXPECT_EQ(children.size(), 2u);
  std::vector<std::string> ephemerals;
  ASSERT_EQ(rooted->GetEphemerals("/", &ephemerals), Err::kOk);
  EXPECT_EQ(ephemerals, std::vector<std::string>{"/s-0000000001"});
  std::vector<OpResult> results;
  ASSERT_EQ(rooted->Multi({Op::Create("/m", "", OpenAclUnsafe())}, &results), Err::kOk);
  EXPECT_EQ(results[0].path, "/m");
  EXPECT_EQ(zk_->Exists("/app/m"), Err::kOk);
}

}  // namespace
}  // namespace zk::client::testing
