#include "server/auth/authenticate.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server/auth/digest.h"

namespace zk::auth {
namespace {

using Infos = std::vector<data::ClientInfo>;

const AuthSettings kDefaults;

AuthSettings WithSuper(const std::string& user_password) {
  AuthSettings settings;
  settings.super_digest = *GenerateDigest(user_password);
  return settings;
}

TEST(HandleAddAuth, AddsTheDigestIdOfUserAndPassword) {
  AuthInfo info = AuthInfo::ForConnection("127.0.0.1");
  EXPECT_EQ(HandleAddAuth("digest", "user:password", "127.0.0.1", kDefaults, &info), Err::kOk);
  EXPECT_TRUE(info.Contains(data::Id{"digest", "user:tpUq/4Pn5A64fVZyQ0gOJ8ZWqkY="}));
  EXPECT_EQ(info.size(), 2u);
}

TEST(HandleAddAuth, AcceptsAnyBytesForDigest) {
  AuthInfo info = AuthInfo::ForConnection("127.0.0.1");
  EXPECT_EQ(HandleAddAuth("digest", "", "127.0.0.1", kDefaults, &info), Err::kOk);
  EXPECT_EQ(HandleAddAuth("digest", "nocolon", "127.0.0.1", kDefaults, &info), Err::kOk);
  EXPECT_TRUE(info.Contains(data::Id{"digest", ":2jmj7l5rSw0yVb/vlWAYkK/YBwk="}));
  EXPECT_TRUE(info.Contains(data::Id{"digest", "nocolon:Ra+cHr2ZoHvBjtNArFGNGlVie4g="}));
}

TEST(HandleAddAuth, HashesInvalidUtf8AsTheJavaServerDecodesIt) {
  // Apache ZooKeeper 3.8 stored this id for these auth bytes.
  AuthInfo info = AuthInfo::ForConnection("127.0.0.1");
  ASSERT_EQ(HandleAddAuth("digest", "\xFF\xFEu:\xC3(p", "127.0.0.1", kDefaults, &info), Err::kOk);
  EXPECT_TRUE(
      info.Contains(data::Id{"digest", "\xEF\xBF\xBD\xEF\xBF\xBDu:XHIKKdUAcmQUMh6LWrlXq/pCqNc="}));
}

TEST(HandleAddAuth, MakesTheSuperDigestUserSuper) {
  AuthInfo info = AuthInfo::ForConnection("127.0.0.1");
  ASSERT_EQ(HandleAddAuth("digest", "super:secret", "127.0.0.1", WithSuper("super:secret"), &info),
            Err::kOk);
  EXPECT_TRUE(info.Contains(data::Id{"super", ""}));
  EXPECT_TRUE(info.Contains(data::Id{"digest", "super:lK75jTNcA+U9vtVEw5vB51mj/w4="}));
}

TEST(HandleAddAuth, DoesNotMakeOtherUsersSuper) {
  AuthInfo info = AuthInfo::ForConnection("127.0.0.1");
  ASSERT_EQ(HandleAddAuth("digest", "super:guess", "127.0.0.1", WithSuper("super:secret"), &info),
            Err::kOk);
  EXPECT_FALSE(info.HasScheme("super"));
  ASSERT_EQ(HandleAddAuth("digest", "super:secret", "127.0.0.1", kDefaults, &info), Err::kOk);
  EXPECT_FALSE(info.HasScheme("super"));
}

TEST(HandleAddAuth, TakesAnyUserNameForTheSuperDigest) {
  AuthInfo info = AuthInfo::ForConnection("127.0.0.1");
  ASSERT_EQ(HandleAddAuth("digest", "admin:pw", "127.0.0.1", WithSuper("admin:pw"), &info),
            Err::kOk);
  EXPECT_TRUE(info.HasScheme("super"));
}

TEST(HandleAddAuth, AddsOnlyTheConnectionsOwnAddressForIp) {
  AuthInfo info = AuthInfo::ForConnection("127.0.0.1");
  EXPECT_EQ(HandleAddAuth("ip", "10.0.0.1", "127.0.0.1", kDefaults, &info), Err::kOk);
  EXPECT_EQ(info.ids(), (std::vector<data::Id>{{"ip", "127.0.0.1"}}));
}

TEST(HandleAddAuth, FailsForSchemesWithoutAProvider) {
  AuthInfo info = AuthInfo::ForConnection("127.0.0.1");
  for (const char* scheme : {"foo", "world", "auth", "super", "sasl", "x509", "", "Digest"}) {
    EXPECT_EQ(HandleAddAuth(scheme, "u:p", "127.0.0.1", kDefaults, &info), Err::kAuthFailed)
        << scheme;
  }
  EXPECT_EQ(info.size(), 1u);
}

TEST(HandleAddAuth, FailsForDigestWhenDisabled) {
  AuthSettings settings;
  settings.digest_enabled = false;
  AuthInfo info = AuthInfo::ForConnection("127.0.0.1");
  EXPECT_EQ(HandleAddAuth("digest", "u:p", "127.0.0.1", settings, &info), Err::kAuthFailed);
  EXPECT_EQ(info.size(), 1u);
}

TEST(WhoAmI, ListsTheIpIdentityOfAFreshConnection) {
  EXPECT_EQ(WhoAmI(AuthInfo::ForConnection("127.0.0.1"), kDefaults), (Infos{{"ip", "127.0.0.1"}}));
}

TEST(WhoAmI, ListsDigestUsersByNameInTheJavaServersOrder) {
  AuthInfo info = AuthInfo::ForConnection("127.0.0.1");
  for (const char* up : {"u1:p1", "u2:p2", "alice:pw", "bob:pw", "zed:x", "a:b"}) {
    HandleAddAuth("digest", up, "127.0.0.1", kDefaults, &info);
  }
  EXPECT_EQ(WhoAmI(info, kDefaults), (Infos{{"digest", "bob"},
                                            {"digest", "zed"},
                                            {"digest", "a"},
                                            {"digest", "u2"},
                                            {"digest", "u1"},
                                            {"ip", "127.0.0.1"},
                                            {"digest", "alice"}}));
}

TEST(WhoAmI, ListsSuperWithAnEmptyUserName) {
  // As Apache ZooKeeper 3.8 answered.
  AuthInfo info = AuthInfo::ForConnection("127.0.0.1");
  HandleAddAuth("digest", "super:secret", "127.0.0.1", WithSuper("super:secret"), &info);
  EXPECT_EQ(WhoAmI(info, kDefaults),
            (Infos{{"super", ""}, {"digest", "super"}, {"ip", "127.0.0.1"}}));
}

TEST(WhoAmI, ShowsAnEmptyNameForAnEmptyDigestUser) {
  AuthInfo info = AuthInfo::ForConnection("127.0.0.1");
  HandleAddAuth("digest", ":pw", "127.0.0.1", kDefaults, &info);
  const Infos infos = WhoAmI(info, kDefaults);
  EXPECT_NE(std::find(infos.begin(), infos.end(), data::ClientInfo{"digest", ""}), infos.end());
}

}  // namespace
}  // namespace zk::auth
