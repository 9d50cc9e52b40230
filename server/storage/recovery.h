// Startup recovery: the newest snapshot that verifies, then the log after it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "server/storage/file_env.h"
#include "server/storage/snapshot.h"
#include "server/storage/status.h"

namespace zk::tree {
class DataTree;
}

namespace zk::storage {

class TxnLog;

struct RecoveryResult {
  int64_t last_zxid = 0;               // the last txn in the tree; number new txns after it
  int64_t snapshot_zxid = 0;           // of the snapshot loaded; 0 when none was
  std::string snapshot_path;           // empty when none was loaded
  uint64_t replayed = 0;               // log entries applied after the snapshot
  uint64_t truncated = 0;              // damaged or unusable log entries removed from the tail
  int temp_files_removed = 0;          // leftovers of interrupted snapshots, deleted
  std::vector<SessionEntry> sessions;  // live at last_zxid, for the SessionTracker
};

// Loads `tree` from the newest snapshot in `snap_dir` whose checksum verifies
// (falling back to older ones with a LOG(WARNING)), then replays every log
// entry after it. Replay is idempotent over entries the snapshot may already
// contain. A damaged tail (checksum mismatch, undecodable txn, zxid gap) is
// cut at the last good txn with a LOG(WARNING). Leftover temp files of
// interrupted snapshots are deleted first.
//
// Fails (leaving the tree unspecified) when snapshots exist but none
// verifies and the log does not start at the beginning of history, or when
// the log cannot be read at all.
//
// REQUIRES: `log` is open and not yet started; runs on the tree's owner thread.
//
// With `unapplied` non-null, log entries after the snapshot are checked the
// same way but handed back there instead of applied: the tree and sessions
// are the snapshot's, and the ZAB core decides which entries are committed.
struct LogEntry {
  int64_t zxid = 0;
  std::string txn;
};
Status Recover(FileEnv* env, const std::string& snap_dir, TxnLog* log, tree::DataTree* tree,
               RecoveryResult* result, std::vector<LogEntry>* unapplied = nullptr);

}  // namespace zk::storage
