// A distributed lock (exclusive, or one side of a read/write lock), as in
// ZooKeeper's recipes page and Curator's InterProcessMutex.
//
// Each contender creates an ephemeral-sequential node in the lock directory
// and holds the lock while no conflicting node precedes it. A waiter watches
// only the node it waits for (its immediate predecessor; for a reader, the
// nearest preceding writer), so a release wakes one successor, not the herd.
// Contenders are served in the order their nodes were created (FIFO).
//
// Node names are "_c_<guid>-<lock|read|write>-<seq>": when the connection
// drops during the create, the contender lists the directory and adopts the
// node carrying its guid instead of creating a second one, so a retried
// create leaves no orphan node that would block everyone.
//
// Session expiry: the server deletes the node, so the lock passes to the
// next contender. The holder learns it through the lost listener (run once,
// on a monitor thread) and IsHeld() turns false. While only disconnected the
// lock is still held on the server until the session times out; a holder
// that must never overlap another should stop working when its client
// reports Disconnected.
//
// Thread-safety: Acquire and Release are called from one thread at a time;
// IsHeld and Cancel from any thread. Not reentrant: Acquire on a held lock
// returns kOk at once and one Release frees it.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "client/recipes/recipe_util.h"
#include "client/recipes/session_monitor.h"

namespace zk::recipes {

enum class LockMode {
  kExclusive,  // conflicts with everything before it (same as kWrite)
  kRead,       // conflicts only with writers before it
  kWrite,
};

class Lock {
 public:
  // dir is created when missing; node_data is stored in the contender's node
  // (leader election keeps the participant id there).
  // REQUIRES: zk outlives the lock.
  Lock(SyncClient& zk, std::string dir, LockMode mode = LockMode::kExclusive,
       std::string node_data = "");
  // Releases the lock if held.
  ~Lock();

  Lock(const Lock&) = delete;
  Lock& operator=(const Lock&) = delete;

  // Runs once when the session ends while the lock is held. Set before
  // Acquire. It must not call back into this lock.
  void SetLostListener(std::function<void()> listener);

  // Blocks until the lock is held (kOk), the timeout passes or Cancel() is
  // called (kOperationTimeout; the contender's node is removed), or the
  // session ends (kSessionExpired / kConnectionLoss).
  Err Acquire(std::chrono::milliseconds timeout = kForever);
  // Deletes the contender's node. kOk also when the session already removed it.
  Err Release();
  // Makes a blocked Acquire (or the next one, if none is running) give up.
  // Safe from any thread.
  void Cancel();

  // False as soon as the handle knows its session ended. The server may
  // have expired the session earlier (a client learns of expiry only when
  // it reconnects): ZooKeeper's inherent window, see above.
  bool IsHeld() const { return held_ && !SessionIsDead(zk_); }
  // Full path of the contender's node, empty when not contending.
  std::string NodePath() const;
  // Watch events this contender was woken by (to check that waits are herd-free).
  uint64_t WakeUps() const { return wake_ups_; }

 private:
  Err TryAcquire(Clock::time_point deadline);
  // Name of the node to wait for, or empty when the lock is ours.
  std::string Blocker(const std::vector<std::string>& sorted, size_t own) const;
  Err WaitForTurn(Clock::time_point deadline);
  void DeleteOwnNode();

  SyncClient& zk_;
  const std::string dir_;
  const LockMode mode_;
  const std::string node_data_;
  const std::string guid_;
  std::function<void()> lost_listener_;

  mutable std::mutex mu_;
  std::string node_;                // own node name, guarded by mu_
  std::shared_ptr<Signal> signal_;  // current wait, guarded by mu_
  std::atomic<bool> cancelled_{false};
  std::atomic<bool> held_{false};
  std::atomic<uint64_t> wake_ups_{0};
  std::unique_ptr<SessionMonitor> monitor_;
};

// Readers share the lock, writers exclude everyone; waiters are served in
// arrival order (a writer waits for earlier readers, a reader for earlier
// writers). Each side is a Lock over the same directory, with its
// guarantees and session behaviour.
class ReadWriteLock {
 public:
  ReadWriteLock(SyncClient& zk, const std::string& dir)
      : read_(zk, dir, LockMode::kRead), write_(zk, dir, LockMode::kWrite) {}

  Lock& ReadLock() { return read_; }
  Lock& WriteLock() { return write_; }

 private:
  Lock read_;
  Lock write_;
};

}  // namespace zk::recipes
