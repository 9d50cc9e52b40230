// The `zkstorage import` subcommand.
#pragma once

#include <string>
#include <vector>

namespace zk::storage::apache {

inline constexpr const char* kImportUsage =
    "  zkstorage import <apacheDataDir> <dataDir> [--apache-log-dir=DIR] [--data-log-dir=DIR]\n";

// Runs `zkstorage import` with the words after "import"; returns the exit
// status (0 done, 1 failed, 2 bad usage).
int RunImportCommand(const std::vector<std::string>& args);

}  // namespace zk::storage::apache
