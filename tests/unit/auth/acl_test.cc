#include "server/auth/acl.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "protocol/opcodes.h"
#include "server/auth/digest.h"

namespace zk::auth {
namespace {

using Acl = std::vector<data::ACL>;

data::ACL Entry(int32_t perms, std::string scheme, std::string id) {
  return data::ACL{perms, data::Id{std::move(scheme), std::move(id)}};
}

std::string DigestId(const std::string& user_password) { return *GenerateDigest(user_password); }

data::Id Digest(const std::string& user_password) {
  return data::Id{"digest", DigestId(user_password)};
}

AuthInfo Client(const std::vector<std::string>& user_passwords = {},
                const std::string& ip = "127.0.0.1") {
  AuthInfo info = AuthInfo::ForConnection(ip);
  for (const std::string& up : user_passwords) info.Add(Digest(up));
  return info;
}

const AuthSettings kDefaults;

// CheckAcl ------------------------------------------------------------------

TEST(CheckAcl, PassesAnEmptyAcl) {
  EXPECT_EQ(CheckAcl({}, perms::kAll, Client(), kDefaults), Err::kOk);
}

TEST(CheckAcl, PassesWorldAnyoneHoldingTheRequestedPermission) {
  const Acl acl = {Entry(perms::kRead, "world", "anyone")};
  EXPECT_EQ(CheckAcl(acl, perms::kRead, Client(), kDefaults), Err::kOk);
  EXPECT_EQ(CheckAcl(acl, perms::kWrite, Client(), kDefaults), Err::kNoAuth);
}

TEST(CheckAcl, PassesWhenAnyRequestedBitIsGranted) {
  // getACL asks for READ|ADMIN and is satisfied by either.
  const Acl acl = {Entry(perms::kAdmin, "world", "anyone")};
  EXPECT_EQ(CheckAcl(acl, perms::kRead | perms::kAdmin, Client(), kDefaults), Err::kOk);
}

TEST(CheckAcl, MatchesWorldOnlyWithTheExactIdAnyone) {
  const Acl acl = {Entry(perms::kAll, "world", "Anyone"), Entry(perms::kAll, "World", "anyone")};
  EXPECT_EQ(CheckAcl(acl, perms::kRead, Client(), kDefaults), Err::kNoAuth);
}

TEST(CheckAcl, PassesTheDigestUserNamedInTheAcl) {
  const Acl acl = {Entry(perms::kAll, "digest", DigestId("u1:p1"))};
  EXPECT_EQ(CheckAcl(acl, perms::kWrite, Client({"u1:p1"}), kDefaults), Err::kOk);
  EXPECT_EQ(CheckAcl(acl, perms::kWrite, Client({"u1:wrong"}), kDefaults), Err::kNoAuth);
  EXPECT_EQ(CheckAcl(acl, perms::kWrite, Client({"u2:p1"}), kDefaults), Err::kNoAuth);
  EXPECT_EQ(CheckAcl(acl, perms::kWrite, Client(), kDefaults), Err::kNoAuth);
}

TEST(CheckAcl, PassesAnyOfSeveralIdsTheClientHolds) {
  const Acl acl = {Entry(perms::kAll, "digest", DigestId("u2:p2"))};
  EXPECT_EQ(CheckAcl(acl, perms::kRead, Client({"u1:p1", "u2:p2", "u3:p3"}), kDefaults), Err::kOk);
}

TEST(CheckAcl, PassesClientsInsideAnIpBlock) {
  const Acl acl = {Entry(perms::kRead, "ip", "10.0.0.0/8")};
  EXPECT_EQ(CheckAcl(acl, perms::kRead, Client({}, "10.1.2.3"), kDefaults), Err::kOk);
  EXPECT_EQ(CheckAcl(acl, perms::kRead, Client({}, "11.1.2.3"), kDefaults), Err::kNoAuth);
}

TEST(CheckAcl, SkipsEntriesWithoutTheRequestedPermission) {
  const Acl acl = {Entry(perms::kRead, "ip", "127.0.0.1"), Entry(perms::kWrite, "ip", "10.0.0.1")};
  EXPECT_EQ(CheckAcl(acl, perms::kWrite, Client(), kDefaults), Err::kNoAuth);
  EXPECT_EQ(CheckAcl(acl, perms::kRead, Client(), kDefaults), Err::kOk);
}

TEST(CheckAcl, NeverMatchesAcrossSchemes) {
  // An ip id never satisfies a digest entry that happens to spell it, and back.
  AuthInfo client = Client();
  client.Add(data::Id{"digest", "127.0.0.1"});
  EXPECT_EQ(CheckAcl({Entry(perms::kAll, "digest", "10.0.0.1")}, perms::kRead, client, kDefaults),
            Err::kNoAuth);
  EXPECT_EQ(CheckAcl({Entry(perms::kAll, "ip", "10.0.0.1")}, perms::kRead, client, kDefaults),
            Err::kNoAuth);
}

TEST(CheckAcl, NeverMatchesSchemesWithoutAProvider) {
  AuthInfo client = Client();
  client.Add(data::Id{"foo", "bar"});
  client.Add(data::Id{"auth", ""});
  const Acl acl = {Entry(perms::kAll, "foo", "bar"), Entry(perms::kAll, "auth", ""),
                   Entry(perms::kAll, "super", "")};
  EXPECT_EQ(CheckAcl(acl, perms::kRead, client, kDefaults), Err::kNoAuth);
}

TEST(CheckAcl, PassesASuperSessionWhateverTheAcl) {
  AuthInfo client = Client();
  client.Add(data::Id{"super", ""});
  EXPECT_EQ(CheckAcl({Entry(perms::kRead, "ip", "10.0.0.1")}, perms::kAdmin, client, kDefaults),
            Err::kOk);
  EXPECT_EQ(CheckAcl({Entry(0, "digest", "x:y")}, perms::kAll, client, kDefaults), Err::kOk);
}

TEST(CheckAcl, PassesEverythingWhenSkipAclIsSet) {
  AuthSettings settings;
  settings.skip_acl = true;
  EXPECT_EQ(CheckAcl({Entry(perms::kRead, "ip", "10.0.0.1")}, perms::kAdmin, Client(), settings),
            Err::kOk);
}

TEST(CheckAcl, IgnoresDigestEntriesWhenDigestIsDisabled) {
  AuthSettings settings;
  settings.digest_enabled = false;
  const Acl acl = {Entry(perms::kAll, "digest", DigestId("u1:p1"))};
  EXPECT_EQ(CheckAcl(acl, perms::kRead, Client({"u1:p1"}), settings), Err::kNoAuth);
}

// FixupAcl ------------------------------------------------------------------

TEST(FixupAcl, RejectsAnEmptyAcl) {
  Acl acl;
  EXPECT_EQ(FixupAcl("/n", Client(), kDefaults, &acl), Err::kInvalidAcl);
}

TEST(FixupAcl, KeepsValidEntriesInOrder) {
  Acl acl = {Entry(perms::kRead, "ip", "10.0.0.0/8"), Entry(perms::kAll, "world", "anyone"),
             Entry(perms::kAdmin, "digest", DigestId("u1:p1"))};
  const Acl before = acl;
  EXPECT_EQ(FixupAcl("/n", Client(), kDefaults, &acl), Err::kOk);
  EXPECT_EQ(acl, before);
}

TEST(FixupAcl, DropsExactDuplicatesKeepingTheFirst) {
  Acl acl = {Entry(1, "world", "anyone"), Entry(31, "ip", "1.2.3.4"), Entry(1, "world", "anyone"),
             Entry(2, "world", "anyone"), Entry(31, "ip", "1.2.3.4")};
  EXPECT_EQ(FixupAcl("/n", Client(), kDefaults, &acl), Err::kOk);
  EXPECT_EQ(acl, (Acl{Entry(1, "world", "anyone"), Entry(31, "ip", "1.2.3.4"),
                      Entry(2, "world", "anyone")}));
}

TEST(FixupAcl, AcceptsAnyPermissionBits) {
  Acl acl = {Entry(0, "world", "anyone"), Entry(-1, "ip", "1.2.3.4")};
  EXPECT_EQ(FixupAcl("/n", Client(), kDefaults, &acl), Err::kOk);
}

TEST(FixupAcl, RejectsIdsTheirProviderFindsInvalid) {
  // Each of these is InvalidACL on Apache ZooKeeper 3.8 as well.
  for (const data::ACL& bad :
       {Entry(31, "ip", "1.2.3"), Entry(31, "ip", "1.2.3.4/33"), Entry(31, "digest", "a:b:c"),
        Entry(31, "digest", "ab"), Entry(31, "world", "foo"), Entry(31, "World", "anyone"),
        Entry(31, "super", ""), Entry(31, "foo", "bar")}) {
    Acl acl = {Entry(31, "world", "anyone"), bad};
    const Acl before = acl;
    EXPECT_EQ(FixupAcl("/n", Client(), kDefaults, &acl), Err::kInvalidAcl) << bad.id.scheme;
    EXPECT_EQ(acl, before);
  }
}

TEST(FixupAcl, AcceptsIdsInTheLooseFormsJavaAccepts) {
  for (const data::ACL& ok :
       {Entry(31, "ip", "+1.2.3.4"), Entry(31, "ip", "1.2.3.4/+8"), Entry(31, "digest", "a:b:"),
        Entry(31, "digest", ":b"), Entry(31, "ip", "::1"), Entry(31, "ip", "2001:db8::/32")}) {
    Acl acl = {ok};
    EXPECT_EQ(FixupAcl("/n", Client(), kDefaults, &acl), Err::kOk) << ok.id.id;
  }
}

TEST(FixupAcl, ExpandsAuthIntoEachAuthenticatedIdInTheClientsOrder) {
  // The same request on Apache ZooKeeper 3.8 stored exactly this ACL.
  AuthInfo client = Client({"u1:p1", "u2:p2", "alice:pw", "bob:pw", "zed:x", "a:b", "nocolon"});
  Acl acl = {Entry(31, "auth", ""), Entry(1, "world", "anyone"), Entry(1, "world", "anyone"),
             Entry(31, "auth", "zzz")};
  ASSERT_EQ(FixupAcl("/a", client, kDefaults, &acl), Err::kOk);
  Acl expanded;
  for (const char* up : {"bob:pw", "zed:x", "a:b", "u2:p2", "nocolon", "u1:p1", "alice:pw"}) {
    expanded.push_back(Entry(31, "digest", DigestId(up)));
  }
  Acl expected = expanded;
  expected.push_back(Entry(1, "world", "anyone"));
  expected.insert(expected.end(), expanded.begin(), expanded.end());
  EXPECT_EQ(acl, expected);
}

TEST(FixupAcl, DoesNotDeduplicateWhatAuthExpandsTo) {
  Acl acl = {Entry(31, "auth", ""), Entry(31, "digest", DigestId("u1:p1"))};
  ASSERT_EQ(FixupAcl("/a", Client({"u1:p1"}), kDefaults, &acl), Err::kOk);
  EXPECT_EQ(acl,
            (Acl{Entry(31, "digest", DigestId("u1:p1")), Entry(31, "digest", DigestId("u1:p1"))}));
}

TEST(FixupAcl, RejectsAuthWhenTheClientHasOnlyItsIpIdentity) {
  Acl acl = {Entry(31, "auth", "")};
  EXPECT_EQ(FixupAcl("/a", Client(), kDefaults, &acl), Err::kInvalidAcl);
}

TEST(FixupAcl, NeverExpandsAuthIntoIpOrSuperIds) {
  AuthInfo client = Client({"super:secret"});
  client.Add(data::Id{"super", ""});
  Acl acl = {Entry(31, "auth", "")};
  ASSERT_EQ(FixupAcl("/a", client, kDefaults, &acl), Err::kOk);
  EXPECT_EQ(acl, (Acl{Entry(31, "digest", DigestId("super:secret"))}));
}

TEST(FixupAcl, TreatsDigestAsUnknownWhenDisabled) {
  AuthSettings settings;
  settings.digest_enabled = false;
  Acl digest = {Entry(31, "digest", DigestId("u1:p1"))};
  EXPECT_EQ(FixupAcl("/a", Client(), settings, &digest), Err::kInvalidAcl);
  Acl auth = {Entry(31, "auth", "")};
  EXPECT_EQ(FixupAcl("/a", Client({"u1:p1"}), settings, &auth), Err::kInvalidAcl);
}

// RedactDigests -------------------------------------------------------------

TEST(RedactDigests, HidesTheHashOfDigestIds) {
  const Acl acl = {Entry(1, "digest", DigestId("u1:p1")), Entry(1, "world", "anyone"),
                   Entry(16, "ip", "1.2.3.4")};
  EXPECT_EQ(RedactDigests(acl), (Acl{Entry(1, "digest", "u1:x"), Entry(1, "world", "anyone"),
                                     Entry(16, "ip", "1.2.3.4")}));
}

TEST(RedactDigests, ReplacesFromTheFirstColonToTheEndOfTheLine) {
  // Java's replaceAll(":.*", ":x"): '.' stops at line terminators. The first
  // case is what Apache ZooKeeper 3.8 returned for that id.
  EXPECT_EQ(RedactDigests({Entry(1, "digest", "x:y\nz")})[0].id.id, "x:x\nz");
  EXPECT_EQ(RedactDigests({Entry(1, "digest", "a:b:c")})[0].id.id, "a:x");
  EXPECT_EQ(RedactDigests({Entry(1, "digest", "x:y\nz:w")})[0].id.id, "x:x\nz:x");
  EXPECT_EQ(RedactDigests({Entry(1, "digest", "x:y\rz:w")})[0].id.id, "x:x\rz:x");
  EXPECT_EQ(RedactDigests({Entry(1, "digest", "x:y\xE2\x80\xA8z:w")})[0].id.id,
            "x:x\xE2\x80\xA8z:x");
  EXPECT_EQ(RedactDigests({Entry(1, "digest", "x:\n")})[0].id.id, "x:x\n");
  EXPECT_EQ(RedactDigests({Entry(1, "digest", "nocolon")})[0].id.id, "nocolon");
}

}  // namespace
}  // namespace zk::auth
