// Barriers from ZooKeeper's recipes page.
//
// Barrier (Curator's DistributedBarrier): one party sets it (creates the
// node), others Wait() until it is removed. The node is persistent, so a
// barrier outlives the session that set it.
//
// DoubleBarrier (Curator's DistributedDoubleBarrier, kazoo's DoubleBarrier):
// `count` participants Enter() and none proceeds until all have entered;
// then none returns from Leave() until all have left. Participants are
// ephemeral nodes under the barrier path plus a "ready" node created by the
// participant that completes the group. A participant whose session
// expires is removed by the server: before the group is complete it no
// longer counts; while leaving it counts as gone, so the others are not
// blocked forever. A barrier path serves one round; use a fresh path (or
// wait until it is empty) for the next.
#pragma once

#include <chrono>
#include <string>

#include "client/recipes/recipe_util.h"

namespace zk::recipes {

class Barrier {
 public:
  // REQUIRES: zk outlives the barrier.
  Barrier(SyncClient& zk, std::string path) : zk_(zk), path_(std::move(path)) {}

  // Creates the barrier node (kOk if it already stands).
  Err Set();
  // Deletes it, releasing the waiters.
  Err Remove();
  // Returns kOk once the barrier is not set, kOperationTimeout if it still
  // is at the deadline, kSessionExpired if the session ends.
  Err Wait(std::chrono::milliseconds timeout = kForever);

 private:
  SyncClient& zk_;
  const std::string path_;
};

class DoubleBarrier {
 public:
  // REQUIRES: zk outlives the barrier; count >= 1.
  DoubleBarrier(SyncClient& zk, std::string path, int count);
  DoubleBarrier(const DoubleBarrier&) = delete;
  DoubleBarrier& operator=(const DoubleBarrier&) = delete;

  // Blocks until `count` participants have entered. On timeout the
  // participant withdraws and gets kOperationTimeout.
  Err Enter(std::chrono::milliseconds timeout = kForever);
  // Blocks until every participant has left.
  Err Leave(std::chrono::milliseconds timeout = kForever);

 private:
  Err Members(std::vector<std::string>* names);

  SyncClient& zk_;
  const std::string path_;
  const std::string ready_path_;
  const std::string name_;
  const int count_;
};

}  // namespace zk::recipes
