#include "server/auth/auth_info.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server/auth/digest.h"

namespace zk::auth {
namespace {

data::Id Digest(const std::string& user_password) {
  return data::Id{"digest", *GenerateDigest(user_password)};
}

// The part of each id before ':' (the user name for digest ids).
std::vector<std::string> Names(const AuthInfo& info) {
  std::vector<std::string> out;
  for (const data::Id& id : info.ids()) out.push_back(id.id.substr(0, id.id.find(':')));
  return out;
}

TEST(AuthInfo, StartsAConnectionWithItsIpIdentity) {
  const AuthInfo info = AuthInfo::ForConnection("127.0.0.1");
  ASSERT_EQ(info.size(), 1u);
  EXPECT_EQ(info.ids()[0], (data::Id{"ip", "127.0.0.1"}));
  EXPECT_TRUE(info.HasScheme("ip"));
  EXPECT_FALSE(info.HasScheme("digest"));
}

TEST(AuthInfo, IgnoresAnIdItAlreadyHolds) {
  AuthInfo info = AuthInfo::ForConnection("127.0.0.1");
  EXPECT_TRUE(info.Add(Digest("u1:p1")));
  EXPECT_FALSE(info.Add(Digest("u1:p1")));
  EXPECT_FALSE(info.Add(data::Id{"ip", "127.0.0.1"}));
  EXPECT_EQ(info.size(), 2u);
  EXPECT_TRUE(info.Contains(Digest("u1:p1")));
  EXPECT_FALSE(info.Contains(Digest("u1:p2")));
}

TEST(AuthInfo, HashesIdsAsTheJavaRecordDoes) {
  EXPECT_EQ(AuthInfo::JavaHash(data::Id{"ip", "127.0.0.1"}), 1506146057);
  EXPECT_EQ(AuthInfo::JavaHash(data::Id{"super", ""}), -232294480);
}

// Orders below are what Apache ZooKeeper 3.8 answered to whoAmI after the same
// auth packets on a connection from 127.0.0.1.
TEST(AuthInfo, ListsIdsInTheJavaServersOrderNotInsertionOrder) {
  AuthInfo info = AuthInfo::ForConnection("127.0.0.1");
  for (const char* up : {"u1:p1", "u2:p2", "alice:pw", "bob:pw", "zed:x", "a:b"}) {
    info.Add(Digest(up));
  }
  EXPECT_EQ(Names(info),
            (std::vector<std::string>{"bob", "zed", "a", "u2", "u1", "127.0.0.1", "alice"}));
  info.Add(Digest("nocolon"));
  EXPECT_EQ(Names(info), (std::vector<std::string>{"bob", "zed", "a", "u2", "nocolon", "u1",
                                                   "127.0.0.1", "alice"}));
}

TEST(AuthInfo, KeepsTheJavaOrderAcrossTableResizes) {
  AuthInfo info = AuthInfo::ForConnection("127.0.0.1");
  for (int i = 0; i <= 9; ++i) info.Add(Digest("user" + std::to_string(i) + ":pw"));
  EXPECT_EQ(Names(info),
            (std::vector<std::string>{"user5", "user2", "user7", "user8", "user1", "user9", "user3",
                                      "127.0.0.1", "user0", "user4", "user6"}));
  for (int i = 10; i <= 12; ++i) info.Add(Digest("user" + std::to_string(i) + ":pw"));
  EXPECT_EQ(Names(info), (std::vector<std::string>{"user5", "user2", "user8", "user9", "user12",
                                                   "user3", "user10", "127.0.0.1", "user7",
                                                   "user11", "user1", "user0", "user4", "user6"}));
  for (int i = 13; i <= 39; ++i) info.Add(Digest("user" + std::to_string(i) + ":pw"));
  EXPECT_EQ(Names(info),
            (std::vector<std::string>{"user27", "user25", "user2",  "user26", "user10", "127.0.0.1",
                                      "user29", "user18", "user33", "user32", "user11", "user13",
                                      "user15", "user22", "user36", "user19", "user39", "user4",
                                      "user6",  "user30", "user23", "user5",  "user28", "user8",
                                      "user9",  "user24", "user35", "user12", "user3",  "user14",
                                      "user20", "user21", "user7",  "user16", "user34", "user1",
                                      "user31", "user17", "user0",  "user37", "user38"}));
}

// Ids whose hashes share their low eight bits pile into one bucket until the
// map turns it into a tree bin, which puts new ids first (order taken from a
// java.util.concurrent.ConcurrentHashMap holding the same Id records).
TEST(AuthInfo, PutsNewIdsFirstInABucketThatBecameATree) {
  AuthInfo info;
  const std::vector<std::string> ids = {"k194",  "k590",  "k1816", "k1937", "k2509", "k2905",
                                        "k3719", "k4809", "k6019", "k6415", "k6536", "k6657"};
  for (const std::string& id : ids) info.Add(data::Id{"digest", id});
  EXPECT_EQ(Names(info),
            (std::vector<std::string>{"k6657", "k6536", "k194", "k590", "k1816", "k1937", "k2509",
                                      "k2905", "k3719", "k4809", "k6019", "k6415"}));
}

}  // namespace
}  // namespace zk::auth
