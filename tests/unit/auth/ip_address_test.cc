#include "server/auth/ip_address.h"

#include <gtest/gtest.h>

namespace zk::auth {
namespace {

TEST(ParseIpAddress, ReadsIpv4AsFourBytes) {
  const auto ip = ParseIpAddress("10.1.2.255");
  ASSERT_TRUE(ip);
  EXPECT_EQ(ip->length, 4);
  EXPECT_EQ(ip->bytes[0], 10);
  EXPECT_EQ(ip->bytes[3], 255);
}

TEST(ParseIpAddress, ReadsIpv6AsSixteenBytes) {
  const auto ip = ParseIpAddress("2001:db8::ff");
  ASSERT_TRUE(ip);
  EXPECT_EQ(ip->length, 16);
  EXPECT_EQ(ip->bytes[0], 0x20);
  EXPECT_EQ(ip->bytes[1], 0x01);
  EXPECT_EQ(ip->bytes[3], 0xb8);
  EXPECT_EQ(ip->bytes[15], 0xff);
}

TEST(ParseIpAddress, RejectsTextThatIsNeitherForm) {
  EXPECT_FALSE(ParseIpAddress(""));
  EXPECT_FALSE(ParseIpAddress("localhost"));
  EXPECT_FALSE(ParseIpAddress("12345"));
}

TEST(IpIsValid, AcceptsIpv4AddressesAndBlocks) {
  for (const char* ok :
       {"127.0.0.1", "0.0.0.0", "255.255.255.255", "10.0.0.0/8", "1.2.3.4/0", "1.2.3.4/32",
        "010.0.0.1", "+1.2.3.4", "-0.0.0.0", "1.2.3.4/+8", "1.2.3.4/08"}) {
    EXPECT_TRUE(IpIsValid(ok)) << ok;
  }
}

TEST(IpIsValid, RejectsMalformedIpv4) {
  // "1.2.3", "1.2.3.4/33" and the like are InvalidACL on Apache ZooKeeper too.
  for (const char* bad : {"1.2.3", "1.2.3.4.5", "1..2.3", "1.2.3.", "256.0.0.1", "-1.0.0.0",
                          "1.2.3.4/33", "1.2.3.4/-1", "1.2.3.4/", "1.2.3.4/a", "1.2.3.4/8/9", "/8",
                          "a.b.c.d", " 1.2.3.4", "1.2.3.4 "}) {
    EXPECT_FALSE(IpIsValid(bad)) << bad;
  }
}

TEST(IpIsValid, AcceptsIpv6AddressesAndBlocks) {
  for (const char* ok : {"::1", "::", "1::", "0:0:0:0:0:0:0:1", "2001:db8::/32", "fe80::/10",
                         "::/0", "::1/128", "1:2:3:4:5:6:7:8", "1:2:3::6:7:8", "ABCD::ef"}) {
    EXPECT_TRUE(IpIsValid(ok)) << ok;
  }
}

TEST(IpIsValid, RejectsMalformedIpv6) {
  for (const char* bad : {":::", "1::2::3", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9",
                          "1:2:3:4::5:6:7:8", "12345::", "g::", "::1/129", "::ffff:1.2.3.4",
                          "fe80::1%eth0", "1:2:3:4:5:6:7:", ":1:2:3:4:5:6:7", "1:::2"}) {
    EXPECT_FALSE(IpIsValid(bad)) << bad;
  }
}

TEST(IpMatches, MatchesAnExactIpv4Address) {
  EXPECT_TRUE(IpMatches("127.0.0.1", "127.0.0.1"));
  EXPECT_FALSE(IpMatches("127.0.0.2", "127.0.0.1"));
}

TEST(IpMatches, MatchesIpv4BlocksOnWholeAndPartialBytes) {
  EXPECT_TRUE(IpMatches("10.200.3.4", "10.0.0.0/8"));
  EXPECT_FALSE(IpMatches("11.0.0.1", "10.0.0.0/8"));
  EXPECT_TRUE(IpMatches("192.168.15.255", "192.168.0.0/20"));
  EXPECT_FALSE(IpMatches("192.168.16.0", "192.168.0.0/20"));
  EXPECT_TRUE(IpMatches("1.2.3.5", "1.2.3.4/31"));
  EXPECT_FALSE(IpMatches("1.2.3.6", "1.2.3.4/31"));
  EXPECT_TRUE(IpMatches("200.9.9.9", "255.0.0.0/1"));
  EXPECT_FALSE(IpMatches("128.0.0.0", "0.0.0.0/1"));
}

TEST(IpMatches, IgnoresHostBitsOfTheAclExpression) {
  EXPECT_TRUE(IpMatches("10.9.9.9", "10.1.2.3/8"));
}

TEST(IpMatches, MatchesEveryIpv4AddressWithPrefixZero) {
  EXPECT_TRUE(IpMatches("8.8.8.8", "0.0.0.0/0"));
  EXPECT_TRUE(IpMatches("8.8.8.8", "1.2.3.4/0"));
}

TEST(IpMatches, ReadsFieldsAsIntegerParseIntDoes) {
  EXPECT_TRUE(IpMatches("10.0.0.1", "010.0.0.1"));
  EXPECT_TRUE(IpMatches("1.2.3.4", "+1.2.3.4"));
  EXPECT_TRUE(IpMatches("1.9.9.9", "1.2.3.4/+8"));
}

TEST(IpMatches, MatchesIpv6ClientsInTheFormJavaPrintsThem) {
  EXPECT_TRUE(IpMatches("0:0:0:0:0:0:0:1", "::1"));
  EXPECT_TRUE(IpMatches("2001:db8:1:0:0:0:0:1", "2001:db8::/32"));
  EXPECT_FALSE(IpMatches("2001:db9:0:0:0:0:0:1", "2001:db8::/32"));
  EXPECT_TRUE(IpMatches("fe80:0:0:0:1:2:3:4", "fe80::/10"));
  EXPECT_TRUE(IpMatches("febf:0:0:0:0:0:0:1", "fe80::/10"));
  EXPECT_FALSE(IpMatches("fec0:0:0:0:0:0:0:1", "fe80::/10"));
  EXPECT_TRUE(IpMatches("1:2:3:4:5:6:7:8", "::/0"));
}

TEST(IpMatches, TakesSignedHexGroupsAsJavaDoes) {
  // parseInt("-1", 16) is -1, whose low 16 bits are ffff.
  EXPECT_TRUE(IpMatches("ffff:0:0:0:0:0:0:0", "-1::"));
}

TEST(IpMatches, NeverMatchesAcrossAddressFamilies) {
  EXPECT_FALSE(IpMatches("127.0.0.1", "::/0"));
  EXPECT_FALSE(IpMatches("0:0:0:0:0:0:0:1", "0.0.0.0/0"));
  EXPECT_FALSE(IpMatches("0:0:0:0:0:ffff:7f00:1", "127.0.0.1"));
}

TEST(IpMatches, NeverMatchesAnInvalidExpressionOrClientId) {
  EXPECT_FALSE(IpMatches("1.2.3.4", "1.2.3.4/33"));
  EXPECT_FALSE(IpMatches("1.2.3.4", "garbage"));
  EXPECT_FALSE(IpMatches("garbage", "0.0.0.0/0"));
  EXPECT_FALSE(IpMatches("fe80:0:0:0:0:0:0:1%2", "fe80::/10"));  // a zone never parses
}

}  // namespace
}  // namespace zk::auth
