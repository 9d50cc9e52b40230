// Helpers shared by the data tree tests.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "server/tree/data_tree.h"

namespace zk::tree {

inline data::ACL World(int32_t perms) {
  data::ACL acl;
  acl.perms = perms;
  acl.id.scheme = "world";
  acl.id.id = "anyone";
  return acl;
}

inline const std::vector<data::ACL> kOpen = {World(perms::kAll)};
inline const std::vector<data::ACL> kReadOnly = {World(perms::kRead)};

inline data::Stat StatOf(const DataTree& tree, std::string_view path) {
  data::Stat stat;
  EXPECT_EQ(tree.GetStat(path, &stat), Err::kOk) << path;
  return stat;
}

inline std::vector<std::string> ChildrenOf(const DataTree& tree, std::string_view path) {
  std::vector<std::string> names;
  EXPECT_EQ(tree.GetChildren(path, &names, nullptr), Err::kOk) << path;
  return names;
}

inline Err Create(DataTree& tree, std::string_view path, int64_t zxid, std::string_view data = "",
                  int64_t owner = 0) {
  return tree.CreateNode(path, data, kOpen, owner, -1, zxid, /*time=*/zxid * 100);
}

}  // namespace zk::tree
