// Zxids written in file names as hex ("snapshot.100000003", "log.2a").
#pragma once

#include <cstdint>
#include <string_view>

namespace zk::storage {

// Parses 1 to 16 hex digits: lower case, plus upper case when `allow_upper`
// (Apache's file names may use either; ours are lower case only).
inline bool ParseHexZxid(std::string_view hex, int64_t* zxid, bool allow_upper = false) {
  if (hex.empty() || hex.size() > 16) return false;
  uint64_t v = 0;
  for (char c : hex) {
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (allow_upper && c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      return false;
    }
    v = (v << 4) | static_cast<uint64_t>(d);
  }
  *zxid = static_cast<int64_t>(v);
  return true;
}

}  // namespace zk::storage
