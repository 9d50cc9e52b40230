#include "server/storage/purge.h"

#include <glog/logging.h>

#include <algorithm>
#include <vector>

#include "server/storage/snapshot.h"
#include "server/storage/txn_log.h"

namespace zk::storage {

Status Purge(FileEnv* env, const std::string& snap_dir, TxnLog* log, int retain_count,
             PurgeResult* result) {
  PurgeResult local;
  if (result == nullptr) result = &local;
  *result = PurgeResult();
  retain_count = std::max(retain_count, 3);

  RemoveTempSnapshots(env, snap_dir);  // best effort: a leftover is ignored anyway
  std::vector<SnapshotFile> files;
  Status s = ListSnapshots(env, snap_dir, &files);
  if (!s.ok() || files.size() < static_cast<size_t>(retain_count)) return s;

  for (size_t i = static_cast<size_t>(retain_count); i < files.size(); ++i) {
    s = env->RemoveFile(files[i].path);
    if (!s.ok()) return s;
    result->snapshots_removed++;
  }
  int64_t oldest_kept = files[static_cast<size_t>(retain_count) - 1].zxid;
  if (log != nullptr) {
    s = log->PurgeBefore(oldest_kept);
    if (!s.ok()) return s;
    result->log_purged_before = oldest_kept;
  }
  LOG(INFO) << "Purged " << result->snapshots_removed << " snapshots and log entries before zxid 0x"
            << std::hex << oldest_kept;
  return Status::OK();
}

}  // namespace zk::storage
