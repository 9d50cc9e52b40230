#include "server/auth/digest.h"

#include <gtest/gtest.h>

namespace zk::auth {
namespace {

std::string Hex(const std::string& bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

TEST(Base64Encode, MatchesRfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode(std::string("\xFB\xFF", 2)), "+/8=");
}

TEST(Sha1, MatchesFips180Vectors) {
  EXPECT_EQ(Hex(*Sha1("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(Hex(*Sha1("")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
}

// Expected values computed independently with Python's hashlib and base64, and
// checked against what Apache ZooKeeper 3.8 stores for the same credentials.
TEST(GenerateDigest, HashesUserColonPasswordAndKeepsTheUserName) {
  EXPECT_EQ(*GenerateDigest("user:password"), "user:tpUq/4Pn5A64fVZyQ0gOJ8ZWqkY=");
  EXPECT_EQ(*GenerateDigest("super:secret"), "super:lK75jTNcA+U9vtVEw5vB51mj/w4=");
  EXPECT_EQ(*GenerateDigest("u1:p1"), "u1:fpT/y03U+EjItKZOSLGvjnJlyng=");
  EXPECT_EQ(*GenerateDigest("alice:pw"), "alice:V55/p2T0OpjQ+low3NVAH4aLvm0=");
}

TEST(GenerateDigest, UsesTheWholeTextAsUserNameWhenThereIsNoColon) {
  EXPECT_EQ(*GenerateDigest("nocolon"), "nocolon:Ra+cHr2ZoHvBjtNArFGNGlVie4g=");
  EXPECT_EQ(*GenerateDigest(""), ":2jmj7l5rSw0yVb/vlWAYkK/YBwk=");
}

TEST(GenerateDigest, SplitsTheUserNameAtTheFirstColonOnly) {
  const std::string digest = *GenerateDigest("a:b:c");
  EXPECT_EQ(digest.substr(0, 2), "a:");
  EXPECT_EQ(digest.substr(2), Base64Encode(*Sha1("a:b:c")));
}

TEST(DigestIsValid, WantsExactlyTwoPartsAfterDroppingTrailingEmptyOnes) {
  // Each verdict agrees with Apache ZooKeeper 3.8 creating a node with that id.
  EXPECT_TRUE(DigestIsValid("user:tpUq/4Pn5A64fVZyQ0gOJ8ZWqkY="));
  EXPECT_TRUE(DigestIsValid("a:b:"));
  EXPECT_TRUE(DigestIsValid(":b"));
  EXPECT_TRUE(DigestIsValid("x:y\nz"));
  EXPECT_FALSE(DigestIsValid("a:b:c"));
  EXPECT_FALSE(DigestIsValid("ab"));
  EXPECT_FALSE(DigestIsValid("a:"));
  EXPECT_FALSE(DigestIsValid("a::"));
  EXPECT_FALSE(DigestIsValid("a::b"));
  EXPECT_FALSE(DigestIsValid(":"));
  EXPECT_FALSE(DigestIsValid(""));
}

TEST(DigestUserName, IsTheTextBeforeTheFirstColon) {
  EXPECT_EQ(DigestUserName("user:tpUq/4Pn5A64fVZyQ0gOJ8ZWqkY="), "user");
  EXPECT_EQ(DigestUserName(":2jmj7l5rSw0yVb/vlWAYkK/YBwk="), "");
  EXPECT_EQ(DigestUserName("nocolon"), "nocolon");
}

}  // namespace
}  // namespace zk::auth
