#include "server/tree/acl_cache.h"

#include <gtest/gtest.h>

#include <map>

namespace zk::tree {
namespace {

data::ACL Acl(int32_t perms, const std::string& scheme, const std::string& id) {
  data::ACL acl;
  acl.perms = perms;
  acl.id.scheme = scheme;
  acl.id.id = id;
  return acl;
}

const std::vector<data::ACL> kOpen = {Acl(31, "world", "anyone")};
const std::vector<data::ACL> kRead = {Acl(1, "world", "anyone")};

TEST(AclCacheTest, InterningTheSameListTwiceGivesOneIdWithTwoReferences) {
  AclCache cache;
  AclId a = cache.Intern(kOpen);
  AclId b = cache.Intern(kOpen);
  EXPECT_EQ(a, b);
  EXPECT_EQ(cache.RefCount(a), 2u);
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.Get(a), kOpen);
}

TEST(AclCacheTest, DifferentListsGetDifferentIds) {
  AclCache cache;
  AclId open = cache.Intern(kOpen);
  AclId read = cache.Intern(kRead);
  EXPECT_NE(open, read);
  EXPECT_EQ(cache.Get(open), kOpen);
  EXPECT_EQ(cache.Get(read), kRead);
  EXPECT_EQ(cache.size(), 2u);
}

TEST(AclCacheTest, EntryOrderMattersAsInZooKeeper) {
  AclCache cache;
  std::vector<data::ACL> ab = {Acl(1, "digest", "a:x"), Acl(2, "digest", "b:y")};
  std::vector<data::ACL> ba = {ab[1], ab[0]};
  EXPECT_NE(cache.Intern(ab), cache.Intern(ba));
}

TEST(AclCacheTest, AListIsForgottenWhenItsLastReferenceIsReleased) {
  AclCache cache;
  AclId id = cache.Intern(kOpen);
  cache.AddRef(id);
  cache.Release(id);
  EXPECT_TRUE(cache.Contains(id));
  EXPECT_EQ(cache.RefCount(id), 1u);
  cache.Release(id);
  EXPECT_FALSE(cache.Contains(id));
  EXPECT_EQ(cache.RefCount(id), 0u);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(AclCacheTest, FreedIdsAreReusedAndTheOldListIsNotFoundAgain) {
  AclCache cache;
  AclId open = cache.Intern(kOpen);
  cache.Release(open);
  AclId read = cache.Intern(kRead);
  EXPECT_EQ(read, open);  // the slot is reused
  EXPECT_EQ(cache.Get(read), kRead);
  AclId open_again = cache.Intern(kOpen);
  EXPECT_NE(open_again, read);
  EXPECT_EQ(cache.RefCount(read), 1u);
  EXPECT_EQ(cache.RefCount(open_again), 1u);
}

TEST(AclCacheTest, EmptyListIsAListLikeAnyOther) {
  AclCache cache;
  AclId id = cache.Intern({});
  EXPECT_TRUE(cache.Get(id).empty());
  EXPECT_EQ(cache.Intern({}), id);
}

TEST(AclCacheTest, ForEachVisitsLiveListsWithTheirReferenceCounts) {
  AclCache cache;
  AclId open = cache.Intern(kOpen);
  cache.Intern(kOpen);
  AclId read = cache.Intern(kRead);
  AclId gone = cache.Intern({Acl(31, "ip", "10.0.0.1")});
  cache.Release(gone);
  std::map<AclId, uint32_t> seen;
  cache.ForEach([&](AclId id, const std::vector<data::ACL>&, uint32_t refs) { seen[id] = refs; });
  EXPECT_EQ(seen, (std::map<AclId, uint32_t>{{open, 2}, {read, 1}}));
}

TEST(AclCacheTest, ClearForgetsEverything) {
  AclCache cache;
  AclId id = cache.Intern(kOpen);
  cache.Clear();
  EXPECT_FALSE(cache.Contains(id));
  EXPECT_EQ(cache.size(), 0u);
}

TEST(AclCacheDeathTest, ReleasingAnUnknownIdIsAProgrammingError) {
  AclCache cache;
  EXPECT_DEATH(cache.Release(7), "not live");
}

}  // namespace
}  // namespace zk::tree
