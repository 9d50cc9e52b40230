#include "server/storage/recovery.h"

#include <glog/logging.h>

#include <climits>
#include <cstdio>
#include <map>

#include "server/pipeline/txn.h"
#include "server/pipeline/txn_applier.h"
#include "server/storage/txn_log.h"
#include "server/tree/data_tree.h"

namespace zk::storage {
namespace {

std::string Hex(int64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

// True when `next` may follow `prev` in the log: the next counter of the same
// epoch, or any zxid of a later epoch (a new leader).
bool Follows(int64_t prev, int64_t next) {
  if ((next >> 32) > (prev >> 32)) return true;
  return next == prev + 1;
}

// Whether a log starting at `first` holds all of history: the first txn of
// epoch 0 (standalone) or of epoch 1 (the first leader of an ensemble).
bool StartsHistory(int64_t first) { return first == 1 || first == ((int64_t{1} << 32) | 1); }

// Loads the newest snapshot that verifies, or resets the tree when none does.
// Sets *damaged_only when snapshots exist but none verifies.
Status LoadNewestSnapshot(FileEnv* env, const std::string& snap_dir, tree::DataTree* tree,
                          RecoveryResult* result, bool* damaged_only) {
  std::vector<SnapshotFile> files;
  Status s = ListSnapshots(env, snap_dir, &files);
  if (!s.ok()) return s;
  *damaged_only = !files.empty();
  std::string bytes;
  for (const SnapshotFile& file : files) {
    s = env->ReadFile(file.path, &bytes);
    if (s.ok()) s = VerifySnapshot(bytes);
    int64_t zxid = 0;
    if (s.ok()) s = LoadSnapshot(bytes, tree, &result->sessions, &zxid);
    if (s.ok() && zxid != file.zxid) {
      s = Status::Corruption("snapshot", "header zxid " + Hex(zxid) + " differs from file name");
    }
    if (s.ok()) {
      result->snapshot_zxid = zxid;
      result->snapshot_path = file.path;
      *damaged_only = false;
      LOG(INFO) << "Loaded snapshot " << file.path << " (zxid " << Hex(zxid) << ", "
                << tree->NodeCount() << " nodes, " << result->sessions.size() << " sessions)";
      return Status::OK();
    }
    LOG(WARNING) << "Skipping snapshot " << file.path << ": " << s.ToString()
                 << "; trying an older one";
  }
  tree->Reset();
  result->sessions.clear();
  return Status::OK();
}

// Replays one txn; a create that finds its node (already in a fuzzy snapshot)
// still raises the parent's cversion and pzxid, as ZooKeeper does.
void Replay(tree::DataTree* tree, const pipeline::Txn& txn) {
  pipeline::ApplyResult applied = pipeline::ApplyTxn(*tree, txn);
  if (applied.err != Err::kNodeExists) return;
  if (const auto* create = std::get_if<txn::CreateTxn>(&txn.body)) {
    std::string_view parent, name;
    if (tree::SplitPath(create->path, &parent, &name)) {
      tree->SetCversionPzxid(parent, create->parentCVersion, txn.header.zxid);
    }
  }
}

}  // namespace

Status Recover(FileEnv* env, const std::string& snap_dir, TxnLog* log, tree::DataTree* tree,
               RecoveryResult* result, std::vector<LogEntry>* unapplied) {
  *result = RecoveryResult();
  bool damaged_only = false;
  // A snapshot interrupted by a crash leaves its temp file; nothing reads it.
  Status s = RemoveTempSnapshots(env, snap_dir, &result->temp_files_removed);
  if (!s.ok()) {
    LOG(WARNING) << "Cannot remove leftover snapshot temp files in " << snap_dir << ": "
                 << s.ToString();
  } else if (result->temp_files_removed > 0) {
    LOG(INFO) << "Removed " << result->temp_files_removed << " leftover snapshot temp file(s) in "
              << snap_dir;
  }
  s = LoadNewestSnapshot(env, snap_dir, tree, result, &damaged_only);
  if (!s.ok()) return s;
  int64_t first = log->FirstZxid();
  if (damaged_only && !StartsHistory(first)) {
    return Status::Corruption("data directory", "no snapshot verifies and the log starts at " +
                                                    Hex(first) + ", not at the start of history");
  }

  std::map<int64_t, int32_t> sessions;
  for (const SessionEntry& e : result->sessions) sessions[e.id] = e.timeout_ms;

  int64_t last_good = result->snapshot_zxid;
  int64_t bad_zxid = 0;
  int64_t gap_at_start = 0;
  std::string why;
  pipeline::Txn txn;
  s = log->Read(
      result->snapshot_zxid + 1, INT64_MAX,
      [&](int64_t zxid, std::string_view bytes) {
        if (!Follows(last_good, zxid)) {
          if (result->replayed == 0) {
            // Entries between the snapshot and the log are missing: cutting
            // the log would only lose more. Refuse to start instead.
            gap_at_start = zxid;
            return false;
          }
          bad_zxid = zxid;
          why = "gap after " + Hex(last_good);
          return false;
        }
        if (!pipeline::DecodeTxn(bytes, &txn) || txn.header.zxid != zxid) {
          bad_zxid = zxid;
          why = "undecodable transaction";
          return false;
        }
        last_good = zxid;
        result->replayed++;
        if (unapplied != nullptr) {
          unapplied->push_back({zxid, std::string(bytes)});
          return true;
        }
        Replay(tree, txn);
        if (const auto* create = std::get_if<txn::CreateSessionTxn>(&txn.body)) {
          sessions[txn.header.clientId] = create->timeOut;
        } else if (std::holds_alternative<txn::CloseSessionTxn>(txn.body)) {
          sessions.erase(txn.header.clientId);
        }
        return true;
      },
      &bad_zxid);
  if (s.IsCorruption() && bad_zxid != 0) {
    why = "checksum mismatch";
  } else if (!s.ok()) {
    return s;
  }
  if (gap_at_start != 0) {
    return Status::Corruption("transaction log", "first entry after snapshot " +
                                                     Hex(result->snapshot_zxid) + " is " +
                                                     Hex(gap_at_start) + ": entries are missing");
  }

  if (bad_zxid != 0) {
    int64_t before = log->LastZxid();
    s = log->Truncate(last_good, &result->truncated);
    if (!s.ok()) return s;
    LOG(WARNING) << "Transaction log is damaged at zxid " << Hex(bad_zxid) << " (" << why
                 << "); truncated it after the last valid zxid " << Hex(last_good) << ", removing "
                 << result->truncated << " entries up to " << Hex(before);
  }
  if (log->LastZxid() != 0 && log->LastZxid() < result->snapshot_zxid) {
    LOG(WARNING) << "Transaction log ends at " << Hex(log->LastZxid())
                 << ", before the snapshot's zxid " << Hex(result->snapshot_zxid);
  }

  result->last_zxid = last_good;
  result->sessions.clear();
  for (const auto& [id, timeout] : sessions) result->sessions.push_back({id, timeout});
  LOG(INFO) << "Recovered to zxid " << Hex(last_good) << ": replayed " << result->replayed
            << " log entries after the snapshot, " << result->sessions.size() << " live sessions";
  return Status::OK();
}

}  // namespace zk::storage
