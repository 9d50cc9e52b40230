#include "server/auth/host_address.h"

#include <gtest/gtest.h>
#include <net/if.h>

#include <string>

namespace zk::auth {
namespace {

TEST(JavaHostAddress, WritesIpv4AsDottedDecimal) {
  EXPECT_EQ(JavaHostAddress(std::array<uint8_t, 4>{127, 0, 0, 1}), "127.0.0.1");
  EXPECT_EQ(*JavaHostAddress("10.20.30.40"), "10.20.30.40");
}

TEST(JavaHostAddress, WritesIpv6AsEightUncompressedLowerCaseGroups) {
  EXPECT_EQ(*JavaHostAddress("::1"), "0:0:0:0:0:0:0:1");
  EXPECT_EQ(*JavaHostAddress("::"), "0:0:0:0:0:0:0:0");
  EXPECT_EQ(*JavaHostAddress("2001:DB8::0001"), "2001:db8:0:0:0:0:0:1");
  EXPECT_EQ(*JavaHostAddress("1:2:3:4:5:6:7:8"), "1:2:3:4:5:6:7:8");
}

TEST(JavaHostAddress, WritesIpv4MappedAddressesAsIpv4) {
  EXPECT_EQ(*JavaHostAddress("::ffff:10.0.0.1"), "10.0.0.1");
  EXPECT_EQ(*JavaHostAddress("::ffff:7f00:1"), "127.0.0.1");
}

TEST(JavaHostAddress, KeepsIpv4CompatibleAddressesAsIpv6) {
  EXPECT_EQ(*JavaHostAddress("::10.0.0.1"), "0:0:0:0:0:0:a00:1");
}

TEST(JavaHostAddress, AppendsANonZeroScopeIdAsANumber) {
  std::array<uint8_t, 16> v6{};
  v6[0] = 0xfe;
  v6[1] = 0x80;
  v6[15] = 1;
  EXPECT_EQ(JavaHostAddress(v6, 0), "fe80:0:0:0:0:0:0:1");
  EXPECT_EQ(JavaHostAddress(v6, 3), "fe80:0:0:0:0:0:0:1%3");
  EXPECT_EQ(*JavaHostAddress("fe80::1%2"), "fe80:0:0:0:0:0:0:1%2");
}

TEST(JavaHostAddress, TurnsANamedZoneIntoItsInterfaceIndex) {
  const unsigned index = if_nametoindex("lo");
  if (index == 0) GTEST_SKIP() << "no loopback interface named lo";
  EXPECT_EQ(*JavaHostAddress("fe80::1%lo"), "fe80:0:0:0:0:0:0:1%" + std::to_string(index));
}

TEST(JavaHostAddress, RejectsTextThatIsNoAddress) {
  for (const char* bad :
       {"", "localhost", "1.2.3", "::1%", "fe80::1%no-such-interface", "1.2.3.4%1", "[::1]"}) {
    EXPECT_FALSE(JavaHostAddress(std::string_view(bad))) << bad;
  }
}

}  // namespace
}  // namespace zk::auth
