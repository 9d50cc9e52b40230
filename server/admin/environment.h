// The process facts `envi` reports, gathered from the OS.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace zk::admin {

// envi's lines after zookeeper.version, in Apache's order: host.name,
// os.name, os.arch, os.version, user.name, user.home, user.dir. Apache's
// java.* and os.memory.* lines describe the JVM and are left out.
std::vector<std::pair<std::string, std::string>> ProcessEnvironment();

}  // namespace zk::admin
