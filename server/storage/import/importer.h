// Importing an Apache ZooKeeper data directory: the newest valid snapshot,
// plus every logged txn after it, replayed the way ZooKeeper restores its
// own database, written out as our snapshot at the last zxid.
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

namespace zk::storage::apache {

struct ApacheDirs {
  // Where snapshot.* and log.* live: dataDir and dataLogDir (each either the
  // directory holding version-2/ or version-2/ itself). log_dir empty: data_dir.
  std::string data_dir;
  std::string log_dir;
};

struct LoadResult {
  std::string snapshot_path;           // the snapshot loaded; empty when none existed
  int64_t snapshot_zxid = 0;           // from its name
  std::vector<std::string> skipped;    // newer snapshots that did not load, with why
  uint64_t log_files = 0;              // log files read
  uint64_t replayed = 0;               // txns applied after the snapshot
  int64_t last_zxid = 0;               // the tree is current up to here
  std::string torn_tail;               // where reading stopped at damage; empty if clean
  std::vector<SessionEntry> sessions;  // live at last_zxid
};

// Loads the Apache data into `tree`. Fails when nothing usable is found,
// when txns are missing between the snapshot and the logs, or when a txn
// cannot be decoded. A damaged record in the last log file is a torn tail:
// reading stops there, as ZooKeeper does, and result->torn_tail says where.
Status LoadApacheData(FileEnv* env, const ApacheDirs& dirs, tree::DataTree* tree,
                      LoadResult* result);

struct ImportOptions {
  ApacheDirs from;
  std::string data_dir;      // ours (zoo.cfg dataDir)
  std::string data_log_dir;  // ours (zoo.cfg dataLogDir); empty: data_dir
};

struct ImportResult {
  LoadResult loaded;
  std::string written_snapshot;  // our snapshot file
  uint64_t node_count = 0;
};

// LoadApacheData, then writes our snapshot at the last zxid and creates our
// (empty) txn log, so a server started on data_dir continues from there.
// Refuses a destination that already holds snapshots or log entries.
Status ImportApacheData(FileEnv* env, const ImportOptions& options, ImportResult* result);

}  // namespace zk::storage::apache
