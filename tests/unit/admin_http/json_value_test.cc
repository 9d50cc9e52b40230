#include "server/admin/http/json_value.h"

#include <gtest/gtest.h>

namespace zk::admin::http {
namespace {

TEST(JsonValueTest, ObjectsPrintLikeJacksonsPrettyPrinter) {
  JsonValue value;
  value.Set("command", "ruok").Set("error", nullptr);
  EXPECT_EQ(value.Serialize(), "{\n  \"command\" : \"ruok\",\n  \"error\" : null\n}");
}

TEST(JsonValueTest, NestedValuesIndentAndArraysStayOnOneLine) {
  JsonValue inner;
  inner.Set("a", int64_t{1});
  JsonValue list = JsonValue::EmptyArray();
  list.Append(int64_t{1}).Append("x");
  JsonValue value;
  value.Set("inner", std::move(inner)).Set("list", std::move(list));
  EXPECT_EQ(value.Serialize(),
            "{\n  \"inner\" : {\n    \"a\" : 1\n  },\n  \"list\" : [ 1, \"x\" ]\n}");
}

TEST(JsonValueTest, EmptyContainersPrintAsJacksonDoes) {
  EXPECT_EQ(JsonValue::EmptyObject().Serialize(), "{ }");
  EXPECT_EQ(JsonValue::EmptyArray().Serialize(), "[ ]");
}

TEST(JsonValueTest, DoublesPrintAsJavaDoublesAndBooleansAsWords) {
  EXPECT_EQ(JsonValue(0.0).Serialize(), "0.0");
  EXPECT_EQ(JsonValue(2.5).Serialize(), "2.5");
  EXPECT_EQ(JsonValue(true).Serialize(), "true");
  EXPECT_EQ(JsonValue(int64_t{-7}).Serialize(), "-7");
}

TEST(JsonValueTest, StringsEscapeQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(JsonQuote("a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\n\\u0001\"");
}

}  // namespace
}  // namespace zk::admin::http
