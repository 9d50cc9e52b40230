#include "server/admin/version.h"

// Set by server/admin/CMakeLists.txt at configure time.
#ifndef ZK_BUILD_REVISION
#define ZK_BUILD_REVISION "unknown"
#endif
#ifndef ZK_BUILD_DATE
#define ZK_BUILD_DATE "01/01/1970 00:00 GMT"
#endif

namespace zk::admin {

std::string FullVersion() {
  return std::string(kZooKeeperVersion) + "-" + ZK_BUILD_REVISION + ", built on " + ZK_BUILD_DATE;
}

}  // namespace zk::admin
