#include "client/lib/connect_string.h"

#include <gtest/gtest.h>

namespace zk::client {
namespace {

TEST(ConnectStringTest, ParsesHostsPortsAndChroot) {
  ConnectString cs;
  std::string error;
  ASSERT_TRUE(ParseConnectString("127.0.0.1:2181,example.org:2182/app/x", &cs, &error)) << error;
  ASSERT_EQ(cs.hosts.size(), 2u);
  EXPECT_EQ(cs.hosts[0].host, "127.0.0.1");
  EXPECT_EQ(cs.hosts[0].port, 2181);
  EXPECT_EQ(cs.hosts[1].host, "example.org");
  EXPECT_EQ(cs.hosts[1].port, 2182);
  EXPECT_EQ(cs.chroot, "/app/x");
}

TEST(ConnectStringTest, HostWithoutPortUsesTheDefaultPort) {
  ConnectString cs;
  std::string error;
  ASSERT_TRUE(ParseConnectString("localhost", &cs, &error));
  EXPECT_EQ(cs.hosts[0].port, 2181);
  EXPECT_EQ(cs.chroot, "");
}

TEST(ConnectStringTest, BracketedIpv6HostKeepsItsColons) {
  ConnectString cs;
  std::string error;
  ASSERT_TRUE(ParseConnectString("[::1]:2185", &cs, &error)) << error;
  EXPECT_EQ(cs.hosts[0].host, "::1");
  EXPECT_EQ(cs.hosts[0].port, 2185);
}

TEST(ConnectStringTest, SlashAloneMeansNoChroot) {
  ConnectString cs;
  std::string error;
  ASSERT_TRUE(ParseConnectString("h:1/", &cs, &error));
  EXPECT_EQ(cs.chroot, "");
}

TEST(ConnectStringTest, RejectsBadPortsEmptyListsAndBadChroots) {
  ConnectString cs;
  std::string error;
  EXPECT_FALSE(ParseConnectString("", &cs, &error));
  EXPECT_FALSE(ParseConnectString("h:0", &cs, &error));
  EXPECT_FALSE(ParseConnectString("h:70000", &cs, &error));
  EXPECT_FALSE(ParseConnectString("h:12x", &cs, &error));
  EXPECT_FALSE(ParseConnectString("h:1/a/", &cs, &error));
  EXPECT_FALSE(ParseConnectString("h:1/a//b", &cs, &error));
}

TEST(ConnectStringTest, ChrootIsAddedAndStrippedSymmetrically) {
  EXPECT_EQ(PrependChroot("/app", "/"), "/app");
  EXPECT_EQ(PrependChroot("/app", "/x/y"), "/app/x/y");
  EXPECT_EQ(PrependChroot("", "/x"), "/x");
  EXPECT_EQ(StripChroot("/app", "/app"), "/");
  EXPECT_EQ(StripChroot("/app", "/app/x/y"), "/x/y");
  EXPECT_EQ(StripChroot("/app", "/apple"), "/apple");
  EXPECT_EQ(StripChroot("", "/x"), "/x");
}

}  // namespace
}  // namespace zk::client
