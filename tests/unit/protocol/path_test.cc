#include "protocol/path.h"

#include <gtest/gtest.h>

#include "protocol/errors.h"
#include "protocol/framing.h"

namespace zk {
namespace {

TEST(ValidatePath, AcceptsRootAndOrdinaryPaths) {
  EXPECT_EQ(ValidatePath("/"), "");
  EXPECT_EQ(ValidatePath("/a"), "");
  EXPECT_EQ(ValidatePath("/a/b-c_d.e"), "");
  EXPECT_EQ(ValidatePath("/..."), "");
  EXPECT_EQ(ValidatePath("/a/.b"), "");
  EXPECT_EQ(ValidatePath("/zookeeper/quota"), "");
  EXPECT_EQ(ValidatePath("/\xc3\xa9t\xc3\xa9"), "");  // "/été"
}

TEST(ValidatePath, RejectsWhatZooKeeperRejects) {
  EXPECT_NE(ValidatePath(""), "");
  EXPECT_NE(ValidatePath("a"), "");
  EXPECT_NE(ValidatePath("/a/"), "");
  EXPECT_NE(ValidatePath("//a"), "");
  EXPECT_NE(ValidatePath("/a//b"), "");
  EXPECT_NE(ValidatePath("/."), "");
  EXPECT_NE(ValidatePath("/.."), "");
  EXPECT_NE(ValidatePath("/a/./b"), "");
  EXPECT_NE(ValidatePath("/a/../b"), "");
  EXPECT_NE(ValidatePath(std::string("/a\0b", 4)), "");
  EXPECT_NE(ValidatePath("/a\x01"), "");
  EXPECT_NE(ValidatePath("/a\x7f"), "");
  EXPECT_NE(ValidatePath("/\xc2\x80"), "");          // U+0080, a C1 control
  EXPECT_NE(ValidatePath("/\xef\xbf\xbf"), "");      // U+FFFF
  EXPECT_NE(ValidatePath("/\xf0\x9f\x98\x80"), "");  // beyond the BMP: a surrogate pair in Java
  EXPECT_NE(ValidatePath("/\xff"), "");              // not UTF-8 at all
}

TEST(ValidatePath, ReasonsCountCharactersNotBytesAsJavaDoes) {
  EXPECT_EQ(ValidatePath("/a//b"), "empty node name specified @3");
  EXPECT_EQ(ValidatePath("/\xc3\xa9//b"), "empty node name specified @3");  // "/é//b"
  EXPECT_EQ(ValidatePath("/ab\x01"), "invalid character @3");
  EXPECT_EQ(ValidatePath("/\xc3\xa9"
                         "b\x01"),
            "invalid character @3");
}

TEST(ValidatePath, SequentialCreateMayEndInSlash) {
  EXPECT_EQ(ValidatePath("/a/", true), "");
  EXPECT_NE(ValidatePath("/a/", false), "");
}

TEST(PathParts, ParentAndName) {
  EXPECT_EQ(ParentPath("/a"), "/");
  EXPECT_EQ(ParentPath("/a/b/c"), "/a/b");
  EXPECT_EQ(NodeName("/a/b/c"), "c");
  EXPECT_EQ(NodeName("/a"), "a");
}

TEST(Framing, LengthPrefixRoundTrips) {
  std::string frame = MakeFrame("hello");
  ASSERT_EQ(frame.size(), 9u);
  EXPECT_EQ(ReadFrameLength(reinterpret_cast<const unsigned char*>(frame.data())), 5);
  EXPECT_TRUE(IsValidFrameLength(5, 0xfffff));
  EXPECT_FALSE(IsValidFrameLength(0, 0xfffff));
  EXPECT_FALSE(IsValidFrameLength(-1, 0xfffff));
  EXPECT_FALSE(IsValidFrameLength(0x100000, 0xfffff));
}

TEST(ErrName, NamesCodesAsZooKeeperDoes) {
  EXPECT_EQ(ErrName(Err::kNoNode), "NONODE");
  EXPECT_EQ(ErrName(Err::kUnimplemented), "UNIMPLEMENTED");
  EXPECT_EQ(static_cast<int>(Err::kNodeExists), -110);
}

}  // namespace
}  // namespace zk
