#include "server/storage/crc32c.h"

#include <gtest/gtest.h>

#include <string>

namespace zk::storage {
namespace {

TEST(Crc32c, MatchesTheStandardCheckValue) {
  EXPECT_EQ(crc32c::Value("123456789"), 0xe3069283u);
  EXPECT_EQ(crc32c::Value(""), 0u);
  EXPECT_EQ(crc32c::Value(std::string(32, '\0')), 0x8a9136aau);
}

TEST(Crc32c, ExtendingPiecewiseEqualsTheWhole) {
  std::string data;
  for (int i = 0; i < 1000; ++i) data.push_back(static_cast<char>(i * 7));
  uint32_t whole = crc32c::Value(data);
  for (size_t cut : {0, 1, 7, 8, 9, 500, 999, 1000}) {
    uint32_t crc = crc32c::Extend(0, data.data(), cut);
    crc = crc32c::Extend(crc, data.data() + cut, data.size() - cut);
    EXPECT_EQ(crc, whole) << "cut at " << cut;
  }
}

}  // namespace
}  // namespace zk::storage
