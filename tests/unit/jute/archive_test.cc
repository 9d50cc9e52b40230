#include "jute/archive.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>

namespace jute {
namespace {

std::string Bytes(std::initializer_list<int> bytes) {
  std::string out;
  for (int b : bytes) out.push_back(static_cast<char>(b));
  return out;
}

TEST(OutputArchiveTest, WritesIntsAndLongsBigEndian) {
  std::string out;
  OutputArchive archive(&out);
  archive.WriteInt(0x01020304);
  archive.WriteInt(-2);
  archive.WriteLong(0x0102030405060708);
  archive.WriteLong(-1);
  EXPECT_EQ(out, Bytes({1, 2, 3, 4, 0xff, 0xff, 0xff, 0xfe, 1,    2,    3,    4,
                        5, 6, 7, 8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}));
}

TEST(OutputArchiveTest, WritesBooleansAsOneByte) {
  std::string out;
  OutputArchive archive(&out);
  archive.WriteBool(true);
  archive.WriteBool(false);
  EXPECT_EQ(out, Bytes({1, 0}));
}

TEST(OutputArchiveTest, WritesStringsAndBuffersWithLengthPrefix) {
  std::string out;
  OutputArchive archive(&out);
  archive.WriteString("ab");
  archive.WriteBuffer(std::string("\0\xff", 2));
  archive.WriteString("");
  EXPECT_EQ(out, Bytes({0, 0, 0, 2, 'a', 'b', 0, 0, 0, 2, 0, 0xff, 0, 0, 0, 0}));
}

TEST(OutputArchiveTest, AppendsToExistingContent) {
  std::string out = "x";
  OutputArchive archive(&out);
  archive.WriteVectorSize(3);
  EXPECT_EQ(out, Bytes({'x', 0, 0, 0, 3}));
}

TEST(InputArchiveTest, CannotBeBuiltOverATemporaryString) {
  static_assert(!std::is_constructible_v<InputArchive, std::string&&>);
  static_assert(std::is_constructible_v<InputArchive, const std::string&>);
}

TEST(InputArchiveTest, ReadsWhatOutputArchiveWrites) {
  std::string data;
  OutputArchive out(&data);
  out.WriteInt(std::numeric_limits<int32_t>::min());
  out.WriteLong(std::numeric_limits<int64_t>::max());
  out.WriteBool(true);
  out.WriteString("path");
  out.WriteBuffer(std::string("\0\1", 2));
  out.WriteVectorSize(0);

  InputArchive in(data);
  int32_t i;
  int64_t l;
  bool b;
  std::string s, buf;
  int32_t count;
  ASSERT_TRUE(in.ReadInt(&i));
  ASSERT_TRUE(in.ReadLong(&l));
  ASSERT_TRUE(in.ReadBool(&b));
  ASSERT_TRUE(in.ReadString(&s));
  ASSERT_TRUE(in.ReadBuffer(&buf));
  ASSERT_TRUE(in.ReadVectorSize(&count));
  EXPECT_EQ(i, std::numeric_limits<int32_t>::min());
  EXPECT_EQ(l, std::numeric_limits<int64_t>::max());
  EXPECT_TRUE(b);
  EXPECT_EQ(s, "path");
  EXPECT_EQ(buf, std::string("\0\1", 2));
  EXPECT_EQ(count, 0);
  EXPECT_EQ(in.Remaining(), 0u);
  EXPECT_EQ(in.Position(), data.size());
  EXPECT_FALSE(in.Failed());
}

TEST(InputArchiveTest, ReadsAnyNonZeroByteAsTrue) {
  const std::string data = Bytes({2, 0});
  InputArchive in(data);
  bool first = false, second = true;
  ASSERT_TRUE(in.ReadBool(&first));
  ASSERT_TRUE(in.ReadBool(&second));
  EXPECT_TRUE(first);
  EXPECT_FALSE(second);
}

TEST(InputArchiveTest, ReadsNullStringBufferAndVectorAsEmpty) {
  const std::string data(12, '\xff');
  InputArchive in(data);
  std::string s = "stale", buf = "stale";
  int32_t count = 7;
  ASSERT_TRUE(in.ReadString(&s));
  ASSERT_TRUE(in.ReadBuffer(&buf));
  ASSERT_TRUE(in.ReadVectorSize(&count));
  EXPECT_EQ(s, "");
  EXPECT_EQ(buf, "");
  EXPECT_EQ(count, 0);
}

TEST(InputArchiveTest, RejectsTruncatedScalars) {
  const std::string three(3, '\0'), seven(7, '\0');
  int32_t i;
  int64_t l;
  bool b;
  EXPECT_FALSE(InputArchive(three).ReadInt(&i));
  EXPECT_FALSE(InputArchive(seven).ReadLong(&l));
  EXPECT_FALSE(InputArchive(std::string_view()).ReadBool(&b));
}

TEST(InputArchiveTest, RejectsStringLongerThanTheInput) {
  const std::string data = Bytes({0, 0, 0, 3, 'a', 'b'});
  InputArchive in(data);
  std::string s;
  EXPECT_FALSE(in.ReadString(&s));
  EXPECT_TRUE(in.Failed());
}

TEST(InputArchiveTest, RejectsNegativeLengthsOtherThanMinusOne) {
  for (int32_t length : {-2, -100, std::numeric_limits<int32_t>::min()}) {
    std::string data;
    OutputArchive(&data).WriteInt(length);
    data += "abcd";
    std::string s;
    int32_t count;
    EXPECT_FALSE(InputArchive(data).ReadString(&s)) << length;
    EXPECT_FALSE(InputArchive(data).ReadBuffer(&s)) << length;
    EXPECT_FALSE(InputArchive(data).ReadVectorSize(&count)) << length;
  }
}

TEST(InputArchiveTest, RejectsLengthsOverMaxBufferEvenWhenTheBytesArePresent) {
  std::string data;
  OutputArchive out(&data);
  out.WriteBuffer(std::string(11, 'x'));
  std::string buf;
  EXPECT_FALSE(InputArchive(data, 10).ReadBuffer(&buf));
  EXPECT_TRUE(InputArchive(data, 11).ReadBuffer(&buf));
  EXPECT_EQ(buf.size(), 11u);
}

TEST(InputArchiveTest, DefaultMaxBufferIsZooKeepersJuteMaxBuffer) {
  std::string data;
  OutputArchive(&data).WriteInt(0xfffff + 1);
  data.append(0xfffff + 1, 'x');
  std::string buf;
  EXPECT_FALSE(InputArchive(data).ReadBuffer(&buf));

  std::string fits;
  OutputArchive(&fits).WriteBuffer(std::string(0xfffff, 'y'));
  EXPECT_TRUE(InputArchive(fits).ReadBuffer(&buf));
}

TEST(InputArchiveTest, RejectsHugeLengthWithoutAllocating) {
  const std::string data = Bytes({0x7f, 0xff, 0xff, 0xff, 'a'});
  std::string buf;
  EXPECT_FALSE(InputArchive(data, 0x7fffffff).ReadBuffer(&buf));
  EXPECT_EQ(buf.capacity(), std::string().capacity());
}

// Whether a vector count is accepted with data as the whole input.
bool AcceptsCount(const std::string& data, size_t min_element_bytes = 1) {
  InputArchive in(data);
  int32_t count;
  return in.ReadVectorSize(&count, min_element_bytes);
}

TEST(InputArchiveTest, RejectsVectorCountsThatCannotFitInTheRemainingBytes) {
  // Four elements of at least one byte, but only three bytes follow.
  EXPECT_FALSE(AcceptsCount(Bytes({0, 0, 0, 4, 1, 2, 3})));
  EXPECT_TRUE(AcceptsCount(Bytes({0, 0, 0, 3, 1, 2, 3})));
  // Two elements of at least four bytes need eight.
  EXPECT_FALSE(AcceptsCount(Bytes({0, 0, 0, 2, 1, 2, 3, 4, 5, 6, 7}), 4));
  EXPECT_TRUE(AcceptsCount(Bytes({0, 0, 0, 2, 1, 2, 3, 4, 5, 6, 7, 8}), 4));
  EXPECT_FALSE(AcceptsCount(Bytes({0x7f, 0xff, 0xff, 0xff})));
}

TEST(InputArchiveTest, ReturnsTheCountItRead) {
  const std::string data = Bytes({0, 0, 0, 3, 1, 2, 3});
  InputArchive in(data);
  int32_t count = 0;
  ASSERT_TRUE(in.ReadVectorSize(&count));
  EXPECT_EQ(count, 3);
}

TEST(InputArchiveTest, StaysFailedAfterTheFirstError) {
  const std::string data = Bytes({0, 0, 0, 9, 0, 0, 0, 1});
  InputArchive in(data);
  std::string s;
  int32_t i;
  EXPECT_FALSE(in.ReadString(&s));
  EXPECT_FALSE(in.ReadInt(&i));
  EXPECT_TRUE(in.Failed());
}

}  // namespace
}  // namespace jute
