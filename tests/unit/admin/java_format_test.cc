#include "server/admin/java_format.h"

#include <gtest/gtest.h>

namespace zk::admin {
namespace {

TEST(JavaDoubleTest, PrintsWholeNumbersWithATrailingPointZero) {
  EXPECT_EQ(JavaDouble(0), "0.0");
  EXPECT_EQ(JavaDouble(2), "2.0");
  EXPECT_EQ(JavaDouble(13), "13.0");
  EXPECT_EQ(JavaDouble(-1), "-1.0");
}

TEST(JavaDoubleTest, PrintsTheShortestDigitsThatRoundTrip) {
  EXPECT_EQ(JavaDouble(7.6667), "7.6667");
  EXPECT_EQ(JavaDouble(0.3333), "0.3333");
  EXPECT_EQ(JavaDouble(72.25), "72.25");
  EXPECT_EQ(JavaDouble(0.001), "0.001");
}

TEST(JavaDoubleTest, SwitchesToScientificNotationOutsideTheDecimalRange) {
  EXPECT_EQ(JavaDouble(1e7), "1.0E7");
  EXPECT_EQ(JavaDouble(12345678.5), "1.23456785E7");
  EXPECT_EQ(JavaDouble(0.0001), "1.0E-4");
}

TEST(JavaHexTest, MatchesLongToHexString) {
  EXPECT_EQ(JavaHex(0), "0");
  EXPECT_EQ(JavaHex(6), "6");
  EXPECT_EQ(JavaHex(0x1000005b3ee0001), "1000005b3ee0001");
  EXPECT_EQ(JavaHex(-1), "ffffffffffffffff");
}

TEST(JavaSocketAddressTest, PrintsIpv4WithALeadingSlash) {
  EXPECT_EQ(JavaSocketAddress("127.0.0.1", 54532), "/127.0.0.1:54532");
}

TEST(JavaSocketAddressTest, PrintsIpv6UncompressedInBrackets) {
  EXPECT_EQ(JavaSocketAddress("::1", 2181), "/[0:0:0:0:0:0:0:1]:2181");
  EXPECT_EQ(JavaSocketAddress("fe80::a:b", 1), "/[fe80:0:0:0:0:0:a:b]:1");
}

TEST(JavaSocketAddressTest, PrintsIpv4MappedAddressesAsIpv4) {
  EXPECT_EQ(JavaSocketAddress("::ffff:10.1.2.3", 2181), "/10.1.2.3:2181");
}

TEST(JavaDateTest, MatchesDateToStringInUtc) {
  EXPECT_EQ(JavaDate(1795669326000), "Thu Nov 26 05:02:06 UTC 2026");
  EXPECT_EQ(JavaDate(0), "Thu Jan 01 00:00:00 UTC 1970");
}

TEST(AverageOfTest, RoundsHalfUpToFourDecimals) {
  EXPECT_EQ(AverageOf(23, 3), 7.6667);
  EXPECT_EQ(AverageOf(1, 3), 0.3333);
  EXPECT_EQ(AverageOf(12, 6), 2.0);
  EXPECT_EQ(AverageOf(5, 0), 0.0);
  EXPECT_EQ(JavaDouble(AverageOf(103, 6)), "17.1667");
}

}  // namespace
}  // namespace zk::admin
