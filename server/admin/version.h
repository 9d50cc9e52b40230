// The ZooKeeper release this server presents itself as. Clients read it:
// kazoo takes the leading digits of envi's zookeeper.version, and
// go-zookeeper's FLWSrvr matches srvr's first line against
//   ^Zookeeper version: ([A-Za-z0-9.-]+), built on (\d\d/\d\d/\d\d\d\d \d\d:\d\d [A-Za-z0-9:+-]+)
// so the build date uses that MM/DD/YYYY HH:MM GMT form (Apache 3.8 itself
// prints "yyyy-MM-dd HH:mm UTC", which that parser rejects).
#pragma once

#include <string>
#include <string_view>

namespace zk::admin {

// The Apache ZooKeeper release whose client protocol and admin output we match.
inline constexpr std::string_view kZooKeeperVersion = "3.8.4";

// Version.getFullVersion()'s shape: "3.8.4-<revision>, built on 02/13/2024 20:13 GMT".
// Revision and date are taken when the build is configured.
std::string FullVersion();

}  // namespace zk::admin
