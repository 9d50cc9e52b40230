#include "server/tree/sequential_name.h"

#include <gtest/gtest.h>

#include <limits>

namespace zk::tree {
namespace {

TEST(SequentialPathTest, AppendsTenZeroPaddedDigits) {
  EXPECT_EQ(SequentialPath("/q/item-", 0), "/q/item-0000000000");
  EXPECT_EQ(SequentialPath("/q/item-", 42), "/q/item-0000000042");
  EXPECT_EQ(SequentialPath("/q/", 2147483647), "/q/2147483647");
}

TEST(SequentialPathTest, NegativeCountersKeepTheSignInsideTheWidthAsJavaDoes) {
  EXPECT_EQ(SequentialPath("/q/x", -5), "/q/x-000000005");
  EXPECT_EQ(SequentialPath("/q/x", std::numeric_limits<int32_t>::min()), "/q/x-2147483648");
}

}  // namespace
}  // namespace zk::tree
