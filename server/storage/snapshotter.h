// Decides when to snapshot and writes snapshots off the owner's thread.
//
// Like ZooKeeper's SyncRequestProcessor, it snapshots after a randomised
// number of txns -- snap_count/2 + random(snap_count/2) -- so the servers of
// an ensemble do not all snapshot at once. The tree and sessions are copied
// into memory on the owner thread (the only stall; see stats()), then a
// background thread checksums, writes, fsyncs and renames the file, and
// optionally runs autopurge. A snapshot is therefore exact, not fuzzy: it
// holds precisely the txns up to its zxid. The copy's buffer is kept between
// snapshots, since faulting in fresh pages is most of the copy's cost.
//
// Thread-safety: Applied, TakeSnapshot and the destructor run on the thread
// that owns the tree and sessions; Wait and stats may run anywhere.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <thread>

#include "server/storage/file_env.h"
#include "server/storage/status.h"

namespace zk::tree {
class DataTree;
}
namespace zk::session {
class SessionTracker;
}

namespace zk::storage {

class TxnLog;

struct SnapshotterOptions {
  std::string dir;              // where snapshot.<zxid> files go
  FileEnv* env = nullptr;       // null: FileEnv::Default()
  int64_t snap_count = 100000;  // ZooKeeper's zookeeper.snapCount
  // autopurge.snapRetainCount; 0 disables purging after each snapshot.
  int purge_retain_count = 0;
  TxnLog* log = nullptr;  // purged along with snapshots when non-null
  uint32_t seed = std::random_device{}();
};

class Snapshotter {
 public:
  struct Stats {
    uint64_t taken = 0;  // snapshots written successfully
    uint64_t failed = 0;
    int64_t last_zxid = 0;     // of the last one written
    double last_stall_ms = 0;  // owner-thread time to copy the tree
    double last_write_ms = 0;  // background time to write and sync the file
    uint64_t last_bytes = 0;
    uint64_t last_nodes = 0;
  };

  // REQUIRES: tree and sessions outlive this object.
  Snapshotter(SnapshotterOptions options, const tree::DataTree* tree,
              const session::SessionTracker* sessions);
  Snapshotter(const Snapshotter&) = delete;
  Snapshotter& operator=(const Snapshotter&) = delete;
  // Waits for a snapshot being written.
  ~Snapshotter();

  // Counts one applied txn; snapshots when the randomised threshold is reached
  // and no snapshot is still being written.
  void Applied(int64_t zxid);

  // Snapshots now, as of `zxid` (the last txn applied). Returns false, doing
  // nothing, while the previous snapshot is still being written.
  bool TakeSnapshot(int64_t zxid);

  // Blocks until no snapshot is being written; returns the last write's status.
  Status Wait();

  Stats stats() const;

 private:
  void RollThreshold();

  const SnapshotterOptions options_;
  FileEnv* const env_;
  const tree::DataTree* const tree_;
  const session::SessionTracker* const sessions_;
  std::mt19937 rng_;
  int64_t since_last_ = 0;  // txns applied since the last snapshot began
  int64_t threshold_ = 0;

  mutable std::mutex mu_;
  std::condition_variable done_cv_;
  bool writing_ = false;  // guarded by mu_
  Status last_status_;    // guarded by mu_
  Stats stats_;           // guarded by mu_
  // The last image's node buffer, kept so the next copy writes into memory
  // already mapped (guarded by mu_). Costs about one snapshot's size.
  std::string spare_buffer_;
  std::thread writer_;  // owner thread only
};

}  // namespace zk::storage
