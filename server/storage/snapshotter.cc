#include "server/storage/snapshotter.h"

#include <glog/logging.h>

#include <chrono>
#include <memory>
#include <utility>

#include "server/session/session_tracker.h"
#include "server/storage/fork_snapshot.h"
#include "server/storage/purge.h"
#include "server/storage/snapshot.h"
#include "server/storage/snapshot_format.h"
#include "server/tree/data_tree.h"

namespace zk::storage {
namespace {

std::string JoinPath(const std::string& dir, const std::string& name) {
  if (dir.empty() || dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

double MillisSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

}  // namespace

Snapshotter::Snapshotter(SnapshotterOptions options, const tree::DataTree* tree,
                         const session::SessionTracker* sessions)
    : options_(std::move(options)),
      env_(options_.env != nullptr ? options_.env : FileEnv::Default()),
      tree_(tree),
      sessions_(sessions),
      rng_(options_.seed) {
  RollThreshold();
}

Snapshotter::~Snapshotter() {
  if (writer_.joinable()) writer_.join();
}

void Snapshotter::RollThreshold() {
  int64_t half = std::max<int64_t>(options_.snap_count / 2, 1);
  threshold_ = half + std::uniform_int_distribution<int64_t>(0, half - 1)(rng_);
}

void Snapshotter::Applied(int64_t zxid) {
  if (++since_last_ < threshold_) return;
  TakeSnapshot(zxid);
}

bool Snapshotter::TakeSnapshot(int64_t zxid) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (writing_) return false;
    writing_ = true;
  }
  if (writer_.joinable()) writer_.join();  // finished: writing_ was false
  since_last_ = 0;
  RollThreshold();

  auto start = std::chrono::steady_clock::now();
  std::vector<SessionEntry> sessions;
  for (const auto& [id, timeout] : sessions_->List()) sessions.push_back({id, timeout});
  if (!options_.fork || env_ != FileEnv::Default() || !StartForked(zxid, sessions, start)) {
    StartInMemory(zxid, sessions, start);
  }
  return true;
}

bool Snapshotter::StartForked(int64_t zxid, const std::vector<SessionEntry>& sessions,
                              std::chrono::steady_clock::time_point start) {
  Status s = env_->CreateDirs(options_.dir);
  std::string final_path = JoinPath(options_.dir, SnapshotFileName(zxid));
  std::string temp_path = final_path + std::string(snapshot_format::kTempSuffix);
  pid_t child = 0;
  if (s.ok()) s = StartForkedSnapshot(*tree_, sessions, zxid, temp_path, &child);
  if (!s.ok()) {
    LOG(WARNING) << "Cannot fork a snapshot writer (" << s.ToString()
                 << "); copying the tree in memory instead";
    return false;
  }
  double stall_ms = MillisSince(start);
  uint64_t nodes = tree_->NodeCount();
  writer_ = std::thread([this, child, zxid, nodes, stall_ms, temp_path, final_path] {
    auto write_start = std::chrono::steady_clock::now();
    Status s = WaitForkedSnapshot(child);
    if (s.ok()) s = env_->RenameFile(temp_path, final_path);
    if (s.ok()) s = env_->SyncDir(options_.dir);
    if (!s.ok()) env_->RemoveFile(temp_path);  // best effort; recovery removes leftovers too
    Finish(s, nullptr, zxid, nodes, stall_ms, MillisSince(write_start), true);
  });
  return true;
}

void Snapshotter::StartInMemory(int64_t zxid, const std::vector<SessionEntry>& sessions,
                                std::chrono::steady_clock::time_point start) {
  std::string buffer;
  {
    std::lock_guard<std::mutex> lock(mu_);
    buffer = std::move(spare_buffer_);
  }
  auto image =
      std::make_shared<SnapshotImage>(SerializeSnapshot(*tree_, sessions, zxid, std::move(buffer)));
  double stall_ms = MillisSince(start);
  writer_ = std::thread([this, image, stall_ms] {
    auto write_start = std::chrono::steady_clock::now();
    Status s = WriteSnapshotFile(env_, options_.dir, *image);
    Finish(s, image.get(), image->zxid, image->node_count, stall_ms, MillisSince(write_start),
           false);
    std::lock_guard<std::mutex> lock(mu_);
    spare_buffer_ = TakeNodeBuffer(image.get());
  });
}

void Snapshotter::Finish(const Status& s, const SnapshotImage* image, int64_t zxid, uint64_t nodes,
                         double stall_ms, double write_ms, bool forked) {
  std::string path = JoinPath(options_.dir, SnapshotFileName(zxid));
  uint64_t bytes = 0;
  if (s.ok()) {
    if (image != nullptr) {
      bytes = image->size() + snapshot_format::kTrailerSize;
    } else {
      env_->GetFileSize(path, &bytes);
    }
    LOG(INFO) << "Wrote snapshot " << path << ": " << nodes << " nodes, " << bytes
              << " bytes; owner thread paused " << stall_ms << " ms"
              << (forked ? " to fork the writer" : " to copy the tree") << ", writing took "
              << write_ms << " ms";
    if (options_.purge_retain_count > 0) RunPurge(options_.purge_retain_count);
  } else {
    LOG(ERROR) << "Snapshot at zxid 0x" << std::hex << zxid << std::dec
               << " failed: " << s.ToString();
  }
  int pending_purge;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (s.ok()) {
      stats_.taken++;
      stats_.last_zxid = zxid;
      stats_.last_stall_ms = stall_ms;
      stats_.last_write_ms = write_ms;
      stats_.last_bytes = bytes;
      stats_.last_nodes = nodes;
      stats_.last_forked = forked;
    } else {
      stats_.failed++;
    }
    last_status_ = s;
    pending_purge = std::exchange(pending_purge_, 0);
  }
  if (pending_purge > 0) RunPurge(pending_purge);
  std::lock_guard<std::mutex> lock(mu_);
  // An in-memory snapshot's thread still returns its buffer before it ends;
  // TakeSnapshot joins the thread, so that cannot race with the next one.
  writing_ = false;
  done_cv_.notify_all();
}

void Snapshotter::RequestPurge(int retain_count) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (writing_) {
      pending_purge_ = std::max(retain_count, 1);
      return;
    }
    writing_ = true;
  }
  if (writer_.joinable()) writer_.join();
  writer_ = std::thread([this, retain_count] {
    RunPurge(retain_count);
    std::lock_guard<std::mutex> lock(mu_);
    writing_ = false;
    done_cv_.notify_all();
  });
}

void Snapshotter::RunPurge(int retain_count) {
  Status s = Purge(env_, options_.dir, options_.log, retain_count);
  if (!s.ok()) {
    LOG(WARNING) << "Autopurge failed: " << s.ToString();
    return;
  }
  std::lock_guard<std::mutex> lock(mu_);
  stats_.purges++;
}

Status Snapshotter::Wait() {
  std::unique_lock<std::mutex> lock(mu_);
  done_cv_.wait(lock, [this] { return !writing_; });
  return last_status_;
}

Snapshotter::Stats Snapshotter::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

}  // namespace zk::storage
