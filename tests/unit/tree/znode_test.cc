#include "server/tree/znode.h"

#include <gtest/gtest.h>

#include <string>

namespace zk::tree {
namespace {

// A node as CreateNode makes it: czxid = mzxid = pzxid, ctime = mtime.
NodeFields FreshLeaf(int64_t zxid, int64_t time) {
  NodeFields f;
  f.czxid = f.mzxid = f.pzxid = zxid;
  f.ctime = f.mtime = time;
  f.acl_id = 3;
  f.prev_sibling = 10;
  f.next_sibling = 11;
  return f;
}

TEST(ZnodeTest, AFreshLeafStoresOnlyTheBaseFieldsPathAndData) {
  std::string data(100, 'x');
  Znode* node = znode::Create(FreshLeaf(5, 1000), "/app/node-1", data);
  EXPECT_EQ(znode::BlockSize(node), 37u + 11u + 100u);
  EXPECT_EQ(znode::Fields(node), FreshLeaf(5, 1000));
  EXPECT_EQ(znode::Path(node), "/app/node-1");
  EXPECT_EQ(znode::Name(node), "node-1");
  EXPECT_EQ(znode::Data(node), data);
  znode::Destroy(node);
}

TEST(ZnodeTest, EveryFieldRoundTripsWhenAllOptionalGroupsArePresent) {
  NodeFields f;
  f.czxid = 1;
  f.mzxid = 2;
  f.pzxid = 3;
  f.ctime = 4;
  f.mtime = 5;
  f.ephemeral_owner = -6;
  f.version = 7;
  f.cversion = -8;
  f.aversion = 9;
  f.acl_id = 10;
  f.prev_sibling = 11;
  f.next_sibling = kNoId;
  f.first_child = 13;
  f.last_child = 14;
  f.num_children = 15;
  Znode* node = znode::Create(f, "/p", "data");
  EXPECT_EQ(znode::Fields(node), f);
  EXPECT_EQ(znode::BlockSize(node), 37u + 20u + 24u + 4u + 8u + 2u + 4u);
  EXPECT_EQ(znode::Data(node), "data");
  znode::Destroy(node);
}

TEST(ZnodeTest, EachOptionalGroupRoundTripsAlone) {
  for (int group = 0; group < 4; ++group) {
    NodeFields f = FreshLeaf(100, 200);
    if (group == 0) f.version = 1;
    if (group == 1) f.cversion = 1;
    if (group == 2) f.aversion = -1;
    if (group == 3) f.ephemeral_owner = 0x1234;
    Znode* node = znode::Create(f, "/g", "");
    EXPECT_EQ(znode::Fields(node), f) << "group " << group;
    EXPECT_EQ(znode::Path(node), "/g");
    EXPECT_EQ(znode::Data(node), "");
    znode::Destroy(node);
  }
}

TEST(ZnodeTest, UpdateKeepsTheBlockWhenTheLayoutIsUnchanged) {
  Znode* node = znode::Create(FreshLeaf(1, 1), "/a", "abc");
  NodeFields f = znode::Fields(node);
  f.prev_sibling = 99;
  f.acl_id = 4;
  std::string_view same_size = "xyz";
  Znode* updated = znode::Update(node, f, &same_size);
  EXPECT_EQ(updated, node);
  EXPECT_EQ(znode::Fields(updated), f);
  EXPECT_EQ(znode::Data(updated), "xyz");
  znode::Destroy(updated);
}

TEST(ZnodeTest, UpdateMovesTheBlockWhenAGroupAppearsOrTheDataResizes) {
  Znode* node = znode::Create(FreshLeaf(1, 1), "/a", "abc");
  NodeFields f = znode::Fields(node);
  f.mzxid = 2;
  f.mtime = 3;
  f.version = 1;
  std::string_view longer = "abcdef";
  node = znode::Update(node, f, &longer);
  EXPECT_EQ(znode::Fields(node), f);
  EXPECT_EQ(znode::Path(node), "/a");
  EXPECT_EQ(znode::Data(node), "abcdef");

  // Dropping back to a fresh-looking leaf shrinks the block again.
  f.mzxid = f.czxid;
  f.mtime = f.ctime;
  f.version = 0;
  node = znode::Update(node, f);
  EXPECT_EQ(znode::Fields(node), f);
  EXPECT_EQ(znode::BlockSize(node), 37u + 2u + 6u);
  EXPECT_EQ(znode::Data(node), "abcdef");
  znode::Destroy(node);
}

TEST(ZnodeTest, UpdateAcceptsDataThatIsAViewOfTheSameBlock) {
  Znode* node = znode::Create(FreshLeaf(1, 1), "/a", "hello world");
  std::string_view own = znode::Data(node);
  std::string_view tail = own.substr(6);
  node = znode::Update(node, znode::Fields(node), &tail);
  EXPECT_EQ(znode::Data(node), "world");
  std::string_view same = znode::Data(node);
  node = znode::Update(node, znode::Fields(node), &same);
  EXPECT_EQ(znode::Data(node), "world");
  znode::Destroy(node);
}

TEST(ZnodeTest, SiblingLinksChangeInPlace) {
  Znode* node = znode::Create(FreshLeaf(1, 1), "/a/b", "");
  znode::SetPrevSibling(node, 7);
  znode::SetNextSibling(node, kNoId);
  EXPECT_EQ(znode::Fields(node).prev_sibling, 7u);
  EXPECT_EQ(znode::NextSibling(node), kNoId);
  EXPECT_EQ(znode::AclId(node), 3u);
  znode::Destroy(node);
}

TEST(ZnodeTest, TheRootIsNamedByTheEmptyString) {
  Znode* node = znode::Create(NodeFields{}, "/", "");
  EXPECT_EQ(znode::Name(node), "");
  znode::Destroy(node);
}

}  // namespace
}  // namespace zk::tree
