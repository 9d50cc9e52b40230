#include "server/config/java_properties.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace zk::config {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

PropertyList Parse(std::string_view text) {
  PropertyList list;
  std::string error;
  EXPECT_TRUE(ParseJavaProperties(text, &list, &error)) << error;
  return list;
}

TEST(JavaPropertiesTest, AcceptsEqualsColonAndWhitespaceSeparators) {
  EXPECT_THAT(Parse("a=1\nb:2\nc 3\nd\t4\n"),
              ElementsAre(Pair("a", "1"), Pair("b", "2"), Pair("c", "3"), Pair("d", "4")));
}

TEST(JavaPropertiesTest, SkipsWhitespaceAroundTheSeparator) {
  EXPECT_THAT(Parse("  key  =  value\n"), ElementsAre(Pair("key", "value")));
  EXPECT_THAT(Parse("key   :value\n"), ElementsAre(Pair("key", "value")));
}

TEST(JavaPropertiesTest, KeepsTrailingWhitespaceOfValuesAsJavaDoes) {
  EXPECT_THAT(Parse("key=value  \n"), ElementsAre(Pair("key", "value  ")));
}

TEST(JavaPropertiesTest, IgnoresHashAndBangCommentsAndBlankLines) {
  EXPECT_THAT(Parse("# comment\n! other comment\n   # indented\n\n \t \na=1\n"),
              ElementsAre(Pair("a", "1")));
}

TEST(JavaPropertiesTest, TreatsHashInsideAValueAsText) {
  EXPECT_THAT(Parse("a=1 # not a comment\n"), ElementsAre(Pair("a", "1 # not a comment")));
}

TEST(JavaPropertiesTest, KeepsEveryOccurrenceInOrderSoLaterOnesCanOverride) {
  EXPECT_THAT(Parse("a=1\na=2\n"), ElementsAre(Pair("a", "1"), Pair("a", "2")));
}

TEST(JavaPropertiesTest, AcceptsAllThreeLineEndings) {
  EXPECT_THAT(Parse("a=1\r\nb=2\rc=3\nd=4"),
              ElementsAre(Pair("a", "1"), Pair("b", "2"), Pair("c", "3"), Pair("d", "4")));
}

TEST(JavaPropertiesTest, JoinsContinuedLinesAndSkipsTheirLeadingWhitespace) {
  EXPECT_THAT(Parse("list=a,\\\n    b,\\\n    c\nnext=1\n"),
              ElementsAre(Pair("list", "a,b,c"), Pair("next", "1")));
}

TEST(JavaPropertiesTest, AnEvenNumberOfTrailingBackslashesDoesNotContinue) {
  EXPECT_THAT(Parse("path=c:\\\\\nnext=1\n"), ElementsAre(Pair("path", "c:\\"), Pair("next", "1")));
}

TEST(JavaPropertiesTest, AContinuationLineStartingWithHashIsNotAComment) {
  EXPECT_THAT(Parse("a=x\\\n#y\n"), ElementsAre(Pair("a", "x#y")));
}

TEST(JavaPropertiesTest, ResolvesEscapesInKeysAndValues) {
  EXPECT_THAT(Parse("my\\ key\\=x=tab\\there\\n\\u00e9\\q\n"),
              ElementsAre(Pair("my key=x", "tab\there\n\xC3\xA9q")));
}

TEST(JavaPropertiesTest, AKeyAloneHasAnEmptyValue) {
  EXPECT_THAT(Parse("lonely\n"), ElementsAre(Pair("lonely", "")));
}

TEST(JavaPropertiesTest, RejectsAMalformedUnicodeEscape) {
  PropertyList list;
  std::string error;
  EXPECT_FALSE(ParseJavaProperties("a=\\u12G4\n", &list, &error));
  EXPECT_THAT(error, ::testing::HasSubstr("\\uxxxx"));
}

TEST(JvmFlagsTest, ExtractsDashDWordsAndSkipsOtherFlags) {
  EXPECT_THAT(ParseJvmSystemProperties("-Xmx512m -Dzookeeper.extendedTypesEnabled=true  "
                                       "-XX:+UseG1GC\t-Djute.maxbuffer=0x100000"),
              ElementsAre(Pair("zookeeper.extendedTypesEnabled", "true"),
                          Pair("jute.maxbuffer", "0x100000")));
}

TEST(JvmFlagsTest, KeepsEqualsSignsInsideTheValue) {
  EXPECT_THAT(ParseJvmSystemProperties("-Dzookeeper.DigestAuthenticationProvider.superDigest=super:"
                                       "D/InIHSb7yEEbrWz8b9l71RjZJU="),
              ElementsAre(Pair("zookeeper.DigestAuthenticationProvider.superDigest",
                               "super:D/InIHSb7yEEbrWz8b9l71RjZJU=")));
}

TEST(JvmFlagsTest, ADashDWithoutValueSetsAnEmptyString) {
  EXPECT_THAT(ParseJvmSystemProperties("-Dflag"), ElementsAre(Pair("flag", "")));
}

TEST(JvmFlagsTest, TreatsQuotesAsOrdinaryCharactersLikeAnUnquotedShellVariable) {
  EXPECT_THAT(ParseJvmSystemProperties("-Da=\"x y\""), ElementsAre(Pair("a", "\"x")));
}

TEST(JavaIntTest, ParsesLikeIntegerParseInt) {
  int32_t v = 0;
  EXPECT_TRUE(ParseJavaInt("2000", &v));
  EXPECT_EQ(v, 2000);
  EXPECT_TRUE(ParseJavaInt("-5", &v));
  EXPECT_EQ(v, -5);
  EXPECT_TRUE(ParseJavaInt("+7", &v));
  EXPECT_EQ(v, 7);
  EXPECT_TRUE(ParseJavaInt("-2147483648", &v));
  EXPECT_EQ(v, INT32_MIN);
  EXPECT_TRUE(ParseJavaInt("2147483647", &v));
  EXPECT_EQ(v, INT32_MAX);
  EXPECT_FALSE(ParseJavaInt("2147483648", &v));
  EXPECT_FALSE(ParseJavaInt("", &v));
  EXPECT_FALSE(ParseJavaInt("-", &v));
  EXPECT_FALSE(ParseJavaInt("12a", &v));
  EXPECT_FALSE(ParseJavaInt(" 12", &v));
  EXPECT_FALSE(ParseJavaInt("0x10", &v));
}

TEST(JavaIntTest, ParsesLongsLikeLongParseLong) {
  int64_t v = 0;
  EXPECT_TRUE(ParseJavaLong("9223372036854775807", &v));
  EXPECT_EQ(v, INT64_MAX);
  EXPECT_FALSE(ParseJavaLong("9223372036854775808", &v));
}

TEST(JavaIntTest, DecodesHexOctalAndDecimalLikeIntegerDecode) {
  int32_t v = 0;
  EXPECT_TRUE(DecodeJavaInt("0xfffff", &v));
  EXPECT_EQ(v, 0xfffff);
  EXPECT_TRUE(DecodeJavaInt("0X10", &v));
  EXPECT_EQ(v, 16);
  EXPECT_TRUE(DecodeJavaInt("#10", &v));
  EXPECT_EQ(v, 16);
  EXPECT_TRUE(DecodeJavaInt("010", &v));
  EXPECT_EQ(v, 8);
  EXPECT_TRUE(DecodeJavaInt("0", &v));
  EXPECT_EQ(v, 0);
  EXPECT_TRUE(DecodeJavaInt("-0x10", &v));
  EXPECT_EQ(v, -16);
  EXPECT_TRUE(DecodeJavaInt("1048576", &v));
  EXPECT_EQ(v, 1048576);
  EXPECT_FALSE(DecodeJavaInt("0x", &v));
  EXPECT_FALSE(DecodeJavaInt("0x-1", &v));
  EXPECT_FALSE(DecodeJavaInt("09", &v));
  EXPECT_FALSE(DecodeJavaInt("0x100000000", &v));
}

TEST(JavaTrimTest, StripsControlCharactersAndSpaces) {
  EXPECT_EQ(TrimJava(" \t value \r\n"), "value");
  EXPECT_EQ(TrimJava("   "), "");
}

}  // namespace
}  // namespace zk::config
