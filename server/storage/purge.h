// Autopurge (ZooKeeper's autopurge.snapRetainCount): keep the newest
// snapshots and the log entries any of them may need.
#pragma once

#include <cstdint>
#include <string>

#include "server/storage/file_env.h"
#include "server/storage/status.h"

namespace zk::storage {

class TxnLog;

struct PurgeResult {
  int snapshots_removed = 0;
  int64_t log_purged_before = 0;  // log entries below this zxid were removed; 0: none
};

// Keeps the `retain_count` newest snapshots of `snap_dir` (at least 3, as
// ZooKeeper insists), deletes the others and every log entry older than the
// oldest snapshot kept. `log` may be null to purge snapshots only. Leftover
// temp files of interrupted snapshots are removed too.
Status Purge(FileEnv* env, const std::string& snap_dir, TxnLog* log, int retain_count,
             PurgeResult* result = nullptr);

}  // namespace zk::storage
