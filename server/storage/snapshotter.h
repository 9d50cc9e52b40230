// Decides when to snapshot and writes snapshots without stalling the owner.
//
// Like ZooKeeper's SyncRequestProcessor, it snapshots after a randomised
// number of txns -- snap_count/2 + random(snap_count/2) -- so the servers of
// an ensemble do not all snapshot at once. A snapshot is exact, not fuzzy: it
// holds precisely the txns up to its zxid.
//
// With the real file system the owner thread only fork()s: a child process
// writes the copy-on-write image of the tree to the temp file and fsyncs it
// (fork_snapshot.h), while a background thread waits for the child, renames
// the file into place and optionally runs autopurge. The owner's stall is
// the fork itself (copying page tables: tens of milliseconds for a million
// znodes, against most of a second to copy them). Otherwise (a test's
// FileEnv, or fork() failing) the tree is encoded into memory on the owner
// thread and written by the background thread.
//
// Thread-safety: Applied, TakeSnapshot, RequestPurge and the destructor run
// on the thread that owns the tree and sessions; Wait and stats may run
// anywhere.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "server/storage/file_env.h"
#include "server/storage/snapshot.h"
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
  // Write from a forked child. Used only with the default FileEnv.
  bool fork = true;
};

class Snapshotter {
 public:
  struct Stats {
    uint64_t taken = 0;  // snapshots written successfully
    uint64_t failed = 0;
    int64_t last_zxid = 0;     // of the last one written
    double last_stall_ms = 0;  // owner-thread time: the fork, or the in-memory copy
    double last_write_ms = 0;  // background time to write and sync the file
    uint64_t last_bytes = 0;
    uint64_t last_nodes = 0;
    bool last_forked = false;  // whether a child process wrote it
    uint64_t purges = 0;       // autopurge runs that succeeded
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

  // Autopurge on a timer (every autopurge.purgeInterval hours, as ZooKeeper's
  // PurgeTask): runs Purge(retain_count) on the background thread, after the
  // snapshot being written if there is one, so it never removes the temp
  // file of a snapshot in progress. Returns at once.
  void RequestPurge(int retain_count);

  // Blocks until no snapshot or purge is running; returns the last
  // snapshot's status.
  Status Wait();

  Stats stats() const;

 private:
  void RollThreshold();
  // Starts a child writing the snapshot; false (with a warning) if fork fails.
  bool StartForked(int64_t zxid, const std::vector<SessionEntry>& sessions,
                   std::chrono::steady_clock::time_point start);
  void StartInMemory(int64_t zxid, const std::vector<SessionEntry>& sessions,
                     std::chrono::steady_clock::time_point start);
  // On the background thread: records the outcome, runs autopurge, and lets
  // the next snapshot start.
  void Finish(const Status& s, const SnapshotImage* image, int64_t zxid, uint64_t nodes,
              double stall_ms, double write_ms, bool forked);
  void RunPurge(int retain_count);

  const SnapshotterOptions options_;
  FileEnv* const env_;
  const tree::DataTree* const tree_;
  const session::SessionTracker* const sessions_;
  std::mt19937 rng_;
  int64_t since_last_ = 0;  // txns applied since the last snapshot began
  int64_t threshold_ = 0;

  mutable std::mutex mu_;
  std::condition_variable done_cv_;
  bool writing_ = false;   // guarded by mu_: a snapshot or purge is running
  int pending_purge_ = 0;  // guarded by mu_: a RequestPurge's retain count, 0: none
  Status last_status_;     // guarded by mu_
  Stats stats_;            // guarded by mu_
  // The last image's node buffer, kept so the next copy writes into memory
  // already mapped (guarded by mu_). Costs about one snapshot's size.
  std::string spare_buffer_;
  std::thread writer_;  // owner thread only
};

}  // namespace zk::storage
