#include "server/storage/import/importer.h"

#include <glog/logging.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>

#include "server/pipeline/txn_applier.h"
#include "server/storage/import/apache_format.h"
#include "server/storage/import/apache_snapshot.h"
#include "server/storage/import/apache_txn_log.h"
#include "server/storage/layout.h"
#include "server/storage/txn_log.h"
#include "server/tree/data_tree.h"

namespace zk::storage::apache {
namespace {

std::string Hex(int64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string Join(const std::string& dir, const std::string& name) {
  if (dir.empty() || dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

// `dir` itself when it holds no version-2/ subdirectory.
std::string VersionDir(FileEnv* env, const std::string& dir) {
  std::string sub = Join(dir, std::string(kVersionDir));
  std::vector<std::string> names;
  return env->GetChildren(sub, &names).ok() ? sub : dir;
}

// True when `next` may follow `prev`: the next counter of the same epoch, or
// any zxid of a later epoch (a new leader).
bool Follows(int64_t prev, int64_t next) {
  if ((next >> 32) > (prev >> 32)) return true;
  return next == prev + 1;
}

struct SnapshotName {
  int64_t zxid;
  Compression compression;
  std::string path;
};

struct LogName {
  int64_t first_zxid;
  std::string path;
};

Status ListFiles(FileEnv* env, const ApacheDirs& dirs, std::vector<SnapshotName>* snapshots,
                 std::vector<LogName>* logs) {
  std::string snap_dir = VersionDir(env, dirs.data_dir);
  std::string log_dir = VersionDir(env, dirs.log_dir.empty() ? dirs.data_dir : dirs.log_dir);
  std::vector<std::string> names;
  Status s = env->GetChildren(snap_dir, &names);
  if (!s.ok()) return s;
  for (const std::string& name : names) {
    SnapshotName snap;
    if (ParseSnapshotName(name, &snap.zxid, &snap.compression)) {
      snap.path = Join(snap_dir, name);
      snapshots->push_back(std::move(snap));
    }
  }
  if (log_dir != snap_dir) {
    s = env->GetChildren(log_dir, &names);
    if (!s.ok()) return s;
  }
  for (const std::string& name : names) {
    LogName log;
    if (ParseLogName(name, &log.first_zxid)) {
      log.path = Join(log_dir, name);
      logs->push_back(std::move(log));
    }
  }
  std::sort(snapshots->begin(), snapshots->end(),
            [](const SnapshotName& a, const SnapshotName& b) { return a.zxid > b.zxid; });
  std::sort(logs->begin(), logs->end(),
            [](const LogName& a, const LogName& b) { return a.first_zxid < b.first_zxid; });
  return Status::OK();
}

// The newest snapshot that loads; older ones are tried when a newer one is damaged.
Status LoadNewestSnapshot(FileEnv* env, const std::vector<SnapshotName>& snapshots,
                          tree::DataTree* tree, LoadResult* result, int64_t* processed_zxid) {
  std::string file, stream;
  for (const SnapshotName& snap : snapshots) {
    SnapshotTrailer trailer;
    Status s = env->ReadFile(snap.path, &file);
    if (s.ok()) s = Decompress(file, snap.compression, &stream);
    if (s.ok()) s = LoadApacheSnapshot(stream, tree, &result->sessions, &trailer);
    if (s.ok()) {
      result->snapshot_path = snap.path;
      result->snapshot_zxid = snap.zxid;
      *processed_zxid = trailer.last_processed_zxid;
      LOG(INFO) << "Loaded Apache snapshot " << snap.path << ": " << tree->NodeCount() << " nodes, "
                << result->sessions.size() << " sessions";
      return Status::OK();
    }
    LOG(WARNING) << "Skipping Apache snapshot " << snap.path << ": " << s.ToString();
    result->skipped.push_back(snap.path + ": " + s.ToString());
  }
  tree->Reset();
  result->sessions.clear();
  if (!snapshots.empty()) {
    return Status::Corruption(
        "apache data", "no snapshot could be loaded (newest: " + snapshots.front().path + ")");
  }
  return Status::OK();
}

// ZooKeeper's restore: a create (OpCode.create only) that finds its node,
// which a fuzzy snapshot may already hold, still moves the parent's cversion
// and pzxid forward. Sub-txns of a multi are treated alike.
void AdjustParents(tree::DataTree* tree, const txn::TxnHeader& header,
                   const pipeline::TxnBody& body, const pipeline::ApplyResult& applied) {
  if (header.type == static_cast<int32_t>(OpCode::kCreate) && applied.err == Err::kNodeExists) {
    const auto* create = std::get_if<txn::CreateTxn>(&body);
    std::string_view parent, name;
    if (create != nullptr && tree::SplitPath(create->path, &parent, &name)) {
      tree->SetCversionPzxid(parent, create->parentCVersion, header.zxid);
    }
    return;
  }
  const auto* multi = std::get_if<txn::MultiTxn>(&body);
  if (multi == nullptr) return;
  for (size_t i = 0; i < multi->txns.size() && i < applied.multi.size(); ++i) {
    txn::TxnHeader sub_header = header;
    sub_header.type = multi->txns[i].type;
    pipeline::TxnBody sub_body;
    if (pipeline::DecodeTxnBody(sub_header.type, multi->txns[i].data, &sub_body)) {
      AdjustParents(tree, sub_header, sub_body, applied.multi[i]);
    }
  }
}

// Replays the logs after the snapshot, tracking sessions as ZooKeeper does.
class Replayer {
 public:
  Replayer(tree::DataTree* tree, LoadResult* result) : tree_(tree), result_(result) {
    for (const SessionEntry& e : result->sessions) sessions_[e.id] = e.timeout_ms;
  }

  // Handles one record; false (with error() set) stops the replay.
  bool Record(std::string_view bytes) {
    if (!DecodeLoggedTxn(bytes, &txn_)) {
      int64_t zxid = txn_.header.zxid;
      error_ = Status::Corruption(
          "apache log", "cannot decode the txn after " + Hex(result_->last_zxid) + " (type " +
                            std::to_string(txn_.header.type) + ", zxid " + Hex(zxid) + ")");
      return false;
    }
    int64_t zxid = txn_.header.zxid;
    if (zxid <= result_->last_zxid) return true;  // already in the snapshot
    if (!Follows(result_->last_zxid, zxid)) {
      error_ = Status::Corruption("apache log", "txns are missing between " +
                                                    Hex(result_->last_zxid) + " and " + Hex(zxid));
      return false;
    }
    pipeline::ApplyResult applied = pipeline::ApplyTxn(*tree_, txn_);
    AdjustParents(tree_, txn_.header, txn_.body, applied);
    if (const auto* create = std::get_if<txn::CreateSessionTxn>(&txn_.body)) {
      sessions_[txn_.header.clientId] = create->timeOut;
    } else if (std::holds_alternative<txn::CloseSessionTxn>(txn_.body)) {
      sessions_.erase(txn_.header.clientId);
    }
    result_->last_zxid = zxid;
    result_->replayed++;
    return true;
  }

  const Status& error() const { return error_; }

  void Finish() {
    result_->sessions.clear();
    for (const auto& [id, timeout] : sessions_) result_->sessions.push_back({id, timeout});
  }

 private:
  tree::DataTree* tree_;
  LoadResult* result_;
  std::map<int64_t, int32_t> sessions_;
  pipeline::Txn txn_;
  Status error_;
};

Status ReplayLogs(FileEnv* env, const std::vector<LogName>& logs, tree::DataTree* tree,
                  LoadResult* result) {
  // The newest file starting at or before the snapshot holds the first txn
  // after it; older files hold only what the snapshot has.
  size_t first = 0;
  for (size_t i = 0; i < logs.size(); ++i) {
    if (logs[i].first_zxid <= result->snapshot_zxid) first = i;
  }
  Replayer replayer(tree, result);
  std::string file;
  for (size_t i = first; i < logs.size(); ++i) {
    Status s = env->ReadFile(logs[i].path, &file);
    if (!s.ok()) return s;
    LogScan scan;
    s = ScanLog(
        file, [&](std::string_view txn) { return replayer.Record(txn); }, &scan);
    if (!s.ok()) return Status::Corruption(logs[i].path, s.ToString());
    if (!replayer.error().ok())
      return Status::Corruption(logs[i].path, replayer.error().ToString());
    result->log_files++;
    if (scan.torn) {
      // Like ZooKeeper, go on with the next file: the zxid check above
      // refuses it if the damage lost txns.
      result->torn_tail =
          logs[i].path + " at offset " + std::to_string(scan.end_offset) + ": " + scan.problem;
      LOG(WARNING) << "Apache log " << result->torn_tail << "; txns after "
                   << Hex(result->last_zxid) << " in this file are dropped";
    }
  }
  replayer.Finish();
  return Status::OK();
}

bool Exists(FileEnv* env, const std::string& path) {
  uint64_t size;
  return env->GetFileSize(path, &size).ok();
}

}  // namespace

Status LoadApacheData(FileEnv* env, const ApacheDirs& dirs, tree::DataTree* tree,
                      LoadResult* result) {
  *result = LoadResult();
  std::vector<SnapshotName> snapshots;
  std::vector<LogName> logs;
  Status s = ListFiles(env, dirs, &snapshots, &logs);
  if (!s.ok()) return s;
  if (snapshots.empty() && logs.empty()) {
    return Status::NotFound(dirs.data_dir, "no ZooKeeper snapshot or log files here");
  }
  int64_t processed_zxid = -1;
  s = LoadNewestSnapshot(env, snapshots, tree, result, &processed_zxid);
  if (!s.ok()) return s;
  result->last_zxid = result->snapshot_zxid;
  s = ReplayLogs(env, logs, tree, result);
  if (!s.ok()) return s;
  if (processed_zxid > result->last_zxid) {
    // The fuzzy snapshot holds changes the logs no longer have; number new
    // txns after them all the same.
    LOG(WARNING) << "The snapshot was completed at " << Hex(processed_zxid)
                 << ", after the last logged txn " << Hex(result->last_zxid);
    result->last_zxid = processed_zxid;
  }
  return Status::OK();
}

Status ImportApacheData(FileEnv* env, const ImportOptions& options, ImportResult* result) {
  *result = ImportResult();
  StorageDirs ours = DirsFor(options.data_dir, options.data_log_dir);
  std::vector<SnapshotFile> existing;
  Status s = ListSnapshots(env, ours.snap_dir, &existing);
  if (!s.ok()) return s;
  if (!existing.empty()) {
    return Status::InvalidArgument(ours.snap_dir,
                                   "already holds snapshots; import into an empty "
                                   "data directory");
  }
  if (Exists(env, Join(ours.log_dir, "CURRENT"))) {
    std::unique_ptr<TxnLog> log;
    TxnLogOptions log_options;
    log_options.dir = ours.log_dir;
    s = TxnLog::Open(log_options, &log);
    if (!s.ok()) return s;
    if (log->LastZxid() != 0) {
      return Status::InvalidArgument(ours.log_dir,
                                     "already holds log entries; import into an "
                                     "empty data directory");
    }
  }

  tree::DataTree tree;
  s = LoadApacheData(env, options.from, &tree, &result->loaded);
  if (!s.ok()) return s;
  result->node_count = tree.NodeCount();

  SnapshotImage image = SerializeSnapshot(tree, result->loaded.sessions, result->loaded.last_zxid);
  s = WriteSnapshotFile(env, ours.snap_dir, image, &result->written_snapshot);
  if (!s.ok()) return s;
  // An empty log, so the server's next txn follows the snapshot.
  std::unique_ptr<TxnLog> log;
  TxnLogOptions log_options;
  log_options.dir = ours.log_dir;
  return TxnLog::Open(log_options, &log);
}

}  // namespace zk::storage::apache
