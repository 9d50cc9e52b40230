#include "server/zab/types.h"

#include <cstdio>

namespace zk::zab {

const std::string& Payload::Empty() {
  static const std::string* empty = new std::string();
  return *empty;
}

std::string ZxidToString(Zxid zxid) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "0x%llx", static_cast<unsigned long long>(zxid));
  return buf;
}

const char* RoleName(Role role) {
  switch (role) {
    case Role::kLooking: return "LOOKING";
    case Role::kFollowing: return "FOLLOWING";
    case Role::kLeading: return "LEADING";
    case Role::kObserving: return "OBSERVING";
  }
  return "?";
}

}  // namespace zk::zab
