// Where storage keeps its files under ZooKeeper's dataDir and dataLogDir.
// A directory of our own keeps our files apart from a Java ZooKeeper's
// version-2/ files if both ever share a dataDir.
#pragma once

#include <string>

namespace zk::storage {

inline constexpr const char* kStorageSubdir = "zkcpp-v1";

struct StorageDirs {
  std::string snap_dir;  // <dataDir>/zkcpp-v1: snapshot.<zxid> files
  std::string log_dir;   // <dataLogDir>/zkcpp-v1/txnlog: the leveldb transaction log
};

// `data_log_dir` empty means the log lives under `data_dir`, as in ZooKeeper.
inline StorageDirs DirsFor(const std::string& data_dir, const std::string& data_log_dir = "") {
  const std::string& log_root = data_log_dir.empty() ? data_dir : data_log_dir;
  return {data_dir + "/" + kStorageSubdir, log_root + "/" + kStorageSubdir + "/txnlog"};
}

}  // namespace zk::storage
