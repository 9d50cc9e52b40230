#include "server/tree/sequential_name.h"

#include <cstdio>

namespace zk::tree {

std::string SequentialPath(std::string_view path, int32_t counter) {
  char suffix[16];
  int n = std::snprintf(suffix, sizeof suffix, "%010d", counter);
  std::string out;
  out.reserve(path.size() + static_cast<size_t>(n));
  out.append(path);
  out.append(suffix, static_cast<size_t>(n));
  return out;
}

}  // namespace zk::tree
