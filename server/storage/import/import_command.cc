#include "server/storage/import/import_command.h"

#include <cstdio>
#include <iostream>

#include "server/storage/import/importer.h"

namespace zk::storage::apache {
namespace {

std::string Hex(int64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

bool TakeFlag(const std::string& arg, const std::string& name, std::string* value) {
  std::string prefix = "--" + name + "=";
  if (arg.compare(0, prefix.size(), prefix) != 0) return false;
  *value = arg.substr(prefix.size());
  return true;
}

}  // namespace

int RunImportCommand(const std::vector<std::string>& args) {
  ImportOptions options;
  std::vector<std::string> positional;
  for (const std::string& arg : args) {
    if (TakeFlag(arg, "apache-log-dir", &options.from.log_dir) ||
        TakeFlag(arg, "data-log-dir", &options.data_log_dir)) {
      continue;
    }
    if (arg.compare(0, 2, "--") == 0) {
      std::cerr << "unknown flag " << arg << "\nusage:\n" << kImportUsage;
      return 2;
    }
    positional.push_back(arg);
  }
  if (positional.size() != 2) {
    std::cerr << "usage:\n" << kImportUsage;
    return 2;
  }
  options.from.data_dir = positional[0];
  options.data_dir = positional[1];

  ImportResult result;
  Status s = ImportApacheData(FileEnv::Default(), options, &result);
  const LoadResult& loaded = result.loaded;
  for (const std::string& skipped : loaded.skipped) {
    std::cout << "skipped snapshot " << skipped << "\n";
  }
  if (!s.ok()) {
    std::cerr << "import failed: " << s.ToString() << "\n";
    return 1;
  }
  if (loaded.snapshot_path.empty()) {
    std::cout << "no snapshot; replayed the logs from the start\n";
  } else {
    std::cout << "snapshot " << loaded.snapshot_path << " (zxid " << Hex(loaded.snapshot_zxid)
              << ")\n";
  }
  std::cout << "replayed " << loaded.replayed << " txns from " << loaded.log_files
            << " log files\n";
  if (!loaded.torn_tail.empty()) std::cout << "log damaged: " << loaded.torn_tail << "\n";
  std::cout << "imported " << result.node_count << " nodes and " << loaded.sessions.size()
            << " sessions up to zxid " << Hex(loaded.last_zxid) << " into "
            << result.written_snapshot << "\n";
  return 0;
}

}  // namespace zk::storage::apache
