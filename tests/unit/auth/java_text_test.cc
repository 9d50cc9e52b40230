#include "server/auth/java_text.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace zk::auth {
namespace {

using Parts = std::vector<std::string_view>;

const std::string kFffd = "\xEF\xBF\xBD";

TEST(JavaUtf8, KeepsValidTextUnchanged) {
  EXPECT_EQ(JavaUtf8(""), "");
  EXPECT_EQ(JavaUtf8("user:password"), "user:password");
  EXPECT_EQ(JavaUtf8("h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80"),
            "h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80");
}

TEST(JavaUtf8, ReplacesInvalidInputAsTheJavaServerDid) {
  // Apache ZooKeeper 3.8 turned these auth bytes into this digest user.
  EXPECT_EQ(JavaUtf8("\xFF\xFEu:\xC3(p"), kFffd + kFffd + "u:" + kFffd + "(p");
}

// Each expectation is what `new String(bytes, UTF_8).getBytes(UTF_8)` gave on
// OpenJDK 17; the decoder also agreed with it on 20,000 random byte strings.
TEST(JavaUtf8, ReplacesEachIllFormedPieceAsJavasDecoderCutsIt) {
  const std::string r = kFffd;
  const struct {
    const char* in;
    std::string out;
  } cases[] = {
      {"\x80", r},
      {"\xC0\xAF", r + r},                  // overlong two-byte form
      {"\xE0\x80\xAF", r + r + r},          // overlong three-byte form
      {"\xF0\x80\x80\x80", r + r + r + r},  // overlong four-byte form
      {"\xED\xA0\x80", r},                  // an encoded surrogate is one piece
      {"\xED\x41", r + "A"},
      {"\xED\xA0\x41", r + "A"},
      {"\xE2", r},
      {"\xE2\x82", r},  // a truncated tail is one piece
      {"\xE2\x82\x41", r + "A"},
      {"\xF0\x9F\x98", r},
      {"\xF0\x9F\x98\x41", r + "A"},
      {"\xF4\x90\x80\x80", r + r + r + r},  // beyond U+10FFFF
      {"\xF7\xBF\xBF\xBF", r + r + r + r},
      {"\xF8\x80\x80\x80\x80", r + r + r + r + r},
  };
  for (const auto& c : cases) EXPECT_EQ(JavaUtf8(c.in), c.out) << c.in;
}

TEST(JavaUtf8, KeepsTheHighestCodePoint) {
  EXPECT_EQ(JavaUtf8("\xF4\x8F\xBF\xBF"), "\xF4\x8F\xBF\xBF");
}

TEST(JavaStringHash, MatchesJavaStringHashCode) {
  EXPECT_EQ(JavaStringHash(""), 0);
  EXPECT_EQ(JavaStringHash("abc"), 96354);
  EXPECT_EQ(JavaStringHash("ip"), 3367);
  EXPECT_EQ(JavaStringHash("digest"), -1331913276);
  EXPECT_EQ(JavaStringHash("127.0.0.1"), 1505998205);
  EXPECT_EQ(JavaStringHash("h\xC3\xA9llo"), 103094734);
}

TEST(JavaStringHash, HashesCharactersBeyondTheBmpAsSurrogatePairs) {
  EXPECT_EQ(JavaStringHash("\xF0\x9F\x98\x80"), 1772899);
}

TEST(JavaStringHash, HashesInvalidBytesAsTheReplacementCharacter) {
  EXPECT_EQ(JavaStringHash("\xFF"), 65533);
}

TEST(JavaSplit, DropsTrailingEmptyPartsByDefault) {
  EXPECT_EQ(JavaSplit("a:b", ":"), (Parts{"a", "b"}));
  EXPECT_EQ(JavaSplit("a:b:", ":"), (Parts{"a", "b"}));
  EXPECT_EQ(JavaSplit("a::", ":"), (Parts{"a"}));
  EXPECT_EQ(JavaSplit(":b", ":"), (Parts{"", "b"}));
  EXPECT_EQ(JavaSplit(":", ":"), Parts{});
  EXPECT_EQ(JavaSplit("a::b", ":"), (Parts{"a", "", "b"}));
}

TEST(JavaSplit, ReturnsTheWholeInputWhenNothingMatches) {
  EXPECT_EQ(JavaSplit("", ":"), Parts{""});
  EXPECT_EQ(JavaSplit("abc", ":"), Parts{"abc"});
  EXPECT_EQ(JavaSplit("abc", ":", -1), Parts{"abc"});
}

TEST(JavaSplit, KeepsTrailingEmptyPartsWithANegativeLimit) {
  EXPECT_EQ(JavaSplit("1.2.3.", ".", -1), (Parts{"1", "2", "3", ""}));
  EXPECT_EQ(JavaSplit("::", "::", -1), (Parts{"", ""}));
  EXPECT_EQ(JavaSplit(":::", "::", -1), (Parts{"", ":"}));
}

TEST(JavaSplit, StopsAfterLimitMinusOneMatches) {
  EXPECT_EQ(JavaSplit("1.2.3.4/8/9", "/", 2), (Parts{"1.2.3.4", "8/9"}));
  EXPECT_EQ(JavaSplit("1.2.3.4/", "/", 2), (Parts{"1.2.3.4", ""}));
  EXPECT_EQ(JavaSplit("a/b", "/", 1), Parts{"a/b"});
}

TEST(JavaParseInt, AcceptsWhatIntegerParseIntAccepts) {
  int32_t v = 0;
  EXPECT_TRUE(JavaParseInt("0", 10, &v));
  EXPECT_EQ(v, 0);
  EXPECT_TRUE(JavaParseInt("+8", 10, &v));
  EXPECT_EQ(v, 8);
  EXPECT_TRUE(JavaParseInt("-0", 10, &v));
  EXPECT_EQ(v, 0);
  EXPECT_TRUE(JavaParseInt("010", 10, &v));
  EXPECT_EQ(v, 10);
  EXPECT_TRUE(JavaParseInt("2147483647", 10, &v));
  EXPECT_EQ(v, 2147483647);
  EXPECT_TRUE(JavaParseInt("-2147483648", 10, &v));
  EXPECT_EQ(v, INT32_MIN);
  EXPECT_TRUE(JavaParseInt("fFfF", 16, &v));
  EXPECT_EQ(v, 0xFFFF);
  EXPECT_TRUE(JavaParseInt("-1", 16, &v));
  EXPECT_EQ(v, -1);
}

TEST(JavaParseInt, RejectsWhatIntegerParseIntRejects) {
  int32_t v = 0;
  for (const char* bad :
       {"", "+", "-", " 1", "1 ", "1.0", "2147483648", "-2147483649", "0x10", "++1", "1a"}) {
    EXPECT_FALSE(JavaParseInt(bad, 10, &v)) << bad;
  }
  EXPECT_FALSE(JavaParseInt("g", 16, &v));
}

}  // namespace
}  // namespace zk::auth
