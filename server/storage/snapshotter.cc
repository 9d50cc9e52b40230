#include "server/storage/snapshotter.h"

#include <glog/logging.h>

#include <chrono>
#include <memory>

#include "server/session/session_tracker.h"
#include "server/storage/purge.h"
#include "server/storage/snapshot.h"
#include "server/storage/snapshot_format.h"

namespace zk::storage {
namespace {

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
    std::string path;
    Status s = WriteSnapshotFile(env_, options_.dir, *image, &path);
    double write_ms = MillisSince(write_start);
    if (s.ok()) {
      LOG(INFO) << "Wrote snapshot " << path << ": " << image->node_count << " nodes, "
                << image->size() << " bytes; owner thread paused " << stall_ms
                << " ms, writing took " << write_ms << " ms";
      if (options_.purge_retain_count > 0) {
        Status p = Purge(env_, options_.dir, options_.log, options_.purge_retain_count);
        if (!p.ok()) LOG(WARNING) << "Autopurge failed: " << p.ToString();
      }
    } else {
      LOG(ERROR) << "Snapshot at zxid 0x" << std::hex << image->zxid << std::dec
                 << " failed: " << s.ToString();
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (s.ok()) {
      stats_.taken++;
      stats_.last_zxid = image->zxid;
      stats_.last_stall_ms = stall_ms;
      stats_.last_write_ms = write_ms;
      stats_.last_bytes = image->size() + snapshot_format::kTrailerSize;
      stats_.last_nodes = image->node_count;
    } else {
      stats_.failed++;
    }
    last_status_ = s;
    spare_buffer_ = TakeNodeBuffer(image.get());
    writing_ = false;
    done_cv_.notify_all();
  });
  return true;
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
