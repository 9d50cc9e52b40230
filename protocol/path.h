// ZooKeeper's path rules (PathUtils.validatePath), applied to UTF-8 paths.
#pragma once

#include <string>
#include <string_view>

namespace zk {

// Returns an empty string when `path` is a valid znode path, otherwise the reason.
// A sequential create validates the path as if a digit were appended, as ZooKeeper does.
std::string ValidatePath(std::string_view path, bool sequential = false);

// "/a/b" -> "/a"; "/a" -> "/". REQUIRES: path is valid and not "/".
std::string_view ParentPath(std::string_view path);

// "/a/b" -> "b". REQUIRES: path is valid and not "/".
std::string_view NodeName(std::string_view path);

}  // namespace zk
