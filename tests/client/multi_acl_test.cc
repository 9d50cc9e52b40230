// multi, multiRead, ACLs, auth and whoAmI against a real server.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/client/client_fixture.h"

namespace zk::client::testing {
namespace {

using MultiTest = ClientTest;
using AclTest = ClientTest;

TEST_F(MultiTest, SuccessfulMultiReportsEveryOperation) {
  ASSERT_EQ(zk_->Create("/m", "v", OpenAclUnsafe(), CreateMode::kPersistent), Err::kOk);
  std::vector<OpResult> results;
  ASSERT_EQ(zk_->Multi({Op::Create("/m/a", "1", OpenAclUnsafe()), Op::Check("/m", 0),
                        Op::SetData("/m", "w", 0), Op::Delete("/m/a", 0)},
                       &results),
            Err::kOk);
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(results[0].type, OpCode::kCreate);
  EXPECT_EQ(results[0].path, "/m/a");
  EXPECT_EQ(results[1].type, OpCode::kCheck);
  EXPECT_EQ(results[2].type, OpCode::kSetData);
  EXPECT_EQ(results[2].stat.version, 1);
  EXPECT_EQ(results[3].type, OpCode::kDelete);
  for (const auto& r : results) EXPECT_EQ(r.err, Err::kOk);
}

TEST_F(MultiTest, FailedMultiChangesNothingAndReportsPerOperationErrors) {
  ASSERT_EQ(zk_->Create("/m", "v", OpenAclUnsafe(), CreateMode::kPersistent), Err::kOk);
  std::vector<OpResult> results;
  EXPECT_EQ(zk_->Multi({Op::Create("/m/a", "", OpenAclUnsafe()), Op::Check("/m", 7),
                        Op::SetData("/m", "w")},
                       &results),
            Err::kBadVersion);
  ASSERT_EQ(results.size(), 3u);
  for (const auto& r : results) EXPECT_EQ(r.type, OpCode::kError);
  EXPECT_EQ(results[0].err, Err::kOk);
  EXPECT_EQ(results[1].err, Err::kBadVersion);
  EXPECT_EQ(results[2].err, Err::kRuntimeInconsistency);
  EXPECT_EQ(zk_->Exists("/m/a"), Err::kNoNode);
  std::string data;
  ASSERT_EQ(zk_->GetData("/m", &data), Err::kOk);
  EXPECT_EQ(data, "v");
}

TEST_F(MultiTest, MultiCreateOfAnExistingNodeFailsWithNodeExists) {
  ASSERT_EQ(zk_->Create("/m", "", OpenAclUnsafe(), CreateMode::kPersistent), Err::kOk);
  std::vector<OpResult> results;
  EXPECT_EQ(zk_->Multi({Op::Create("/m", "", OpenAclUnsafe())}, &results), Err::kNodeExists);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].err, Err::kNodeExists);
}

TEST_F(MultiTest, MultiRefusesReadOperationsAndMultiReadRefusesWrites) {
  EXPECT_EQ(zk_->Multi({Op::GetData("/")}), Err::kBadArguments);
  std::vector<OpResult> results;
  EXPECT_EQ(zk_->MultiRead({Op::Delete("/x")}, &results), Err::kBadArguments);
}

TEST_F(MultiTest, MultiReadAnswersEachReadOnItsOwn) {
  ASSERT_EQ(zk_->Create("/r", "data", OpenAclUnsafe(), CreateMode::kPersistent), Err::kOk);
  ASSERT_EQ(zk_->Create("/r/c", "", OpenAclUnsafe(), CreateMode::kPersistent), Err::kOk);
  std::vector<OpResult> results;
  ASSERT_EQ(
      zk_->MultiRead({Op::GetData("/r"), Op::GetChildren("/r"), Op::GetData("/missing")}, &results),
      Err::kOk);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].type, OpCode::kGetData);
  EXPECT_EQ(results[0].data, "data");
  EXPECT_EQ(results[0].stat.numChildren, 1);
  EXPECT_EQ(results[1].type, OpCode::kGetChildren);
  EXPECT_EQ(results[1].children, std::vector<std::string>{"c"});
  EXPECT_EQ(results[2].type, OpCode::kError);
  EXPECT_EQ(results[2].err, Err::kNoNode);
}

TEST_F(AclTest, DigestAuthGrantsAccessToCreatorOnlyNodes) {
  ASSERT_EQ(zk_->AddAuth("digest", "alice:secret"), Err::kOk);
  ASSERT_EQ(zk_->Create("/private", "s", CreatorAllAcl(), CreateMode::kPersistent), Err::kOk);
  AclList acl;
  Stat stat;
  ASSERT_EQ(zk_->GetAcl("/private", &acl, &stat), Err::kOk);
  ASSERT_EQ(acl.size(), 1u);
  EXPECT_EQ(acl[0].id.scheme, "digest");
  EXPECT_EQ(acl[0].id.id.rfind("alice:", 0), 0u);

  auto stranger = Connect();
  ASSERT_TRUE(stranger->WaitConnected(kWait));
  std::string data;
  EXPECT_EQ(stranger->GetData("/private", &data), Err::kNoAuth);
  EXPECT_EQ(stranger->SetData("/private", "x"), Err::kNoAuth);
  ASSERT_EQ(stranger->AddAuth("digest", "alice:secret"), Err::kOk);
  EXPECT_EQ(stranger->GetData("/private", &data), Err::kOk);
  EXPECT_EQ(data, "s");
}

TEST_F(AclTest, CreatorAclWithoutAuthIsInvalid) {
  EXPECT_EQ(zk_->Create("/p", "", CreatorAllAcl(), CreateMode::kPersistent), Err::kInvalidAcl);
}

TEST_F(AclTest, SetAclChecksTheAclVersionAndTakesEffect) {
  ASSERT_EQ(zk_->Create("/a", "", OpenAclUnsafe(), CreateMode::kPersistent), Err::kOk);
  EXPECT_EQ(zk_->SetAcl("/a", ReadAclUnsafe(), 3), Err::kBadVersion);
  Stat stat;
  ASSERT_EQ(zk_->SetAcl("/a", ReadAclUnsafe(), 0, &stat), Err::kOk);
  EXPECT_EQ(stat.aversion, 1);
  EXPECT_EQ(zk_->SetData("/a", "x"), Err::kNoAuth);
  EXPECT_EQ(zk_->GetAcl("/missing", nullptr), Err::kNoNode);
}

TEST_F(AclTest, WhoAmIListsTheSessionIdentities) {
  std::vector<ClientInfo> ids;
  ASSERT_EQ(zk_->WhoAmI(&ids), Err::kOk);
  ASSERT_EQ(ids.size(), 1u);
  EXPECT_EQ(ids[0].authScheme, "ip");
  EXPECT_EQ(ids[0].user, "127.0.0.1");
  ASSERT_EQ(zk_->AddAuth("digest", "bob:pw"), Err::kOk);
  ASSERT_EQ(zk_->WhoAmI(&ids), Err::kOk);
  ASSERT_EQ(ids.size(), 2u);
  std::vector<std::pair<std::string, std::string>> found;
  for (const auto& id : ids) found.emplace_back(id.authScheme, id.user);
  std::sort(found.begin(), found.end());
  EXPECT_EQ(found, (std::vector<std::pair<std::string, std::string>>{{"digest", "bob"},
                                                                     {"ip", "127.0.0.1"}}));
}

TEST_F(AclTest, AuthWithAnUnknownSchemeFailsAndEndsTheSession) {
  EventQueue events;
  ClientOptions options = Options();
  options.default_watcher = events.AsWatcher();
  SyncClient client(options);
  ASSERT_TRUE(client.WaitConnected(kWait));
  EXPECT_EQ(client.AddAuth("nosuchscheme", "x"), Err::kAuthFailed);
  EXPECT_TRUE(events.WaitState(KeeperState::kAuthFailed));
  EXPECT_EQ(client.Async().State(), KeeperState::kAuthFailed);
  EXPECT_EQ(client.Exists("/"), Err::kAuthFailed);
}

}  // namespace
}  // namespace zk::client::testing
