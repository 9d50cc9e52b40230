// Distributed queues (ZooKeeper's recipes page; kazoo's Queue, Curator's
// DistributedQueue / DistributedPriorityQueue).
//
// Items are persistent-sequential nodes "qn-<priority>-<seq>" under the
// queue directory, so they survive their producer's session. A consumer
// takes the first item in (priority, arrival) order by deleting it: the
// delete succeeds for exactly one consumer, which alone returns the item;
// the others move on to the next. Items therefore go out once each, and
// each consumer sees them in queue order. An item whose consumer dies
// between the delete and its own processing is lost (at-most-once); a
// consumer needing at-least-once should move the item elsewhere instead.
//
// Waiting consumers watch the directory's children, so an Offer wakes all
// of them (the recipe's known herd; fine for a few consumers). Session
// expiry ends a blocked Take with kSessionExpired and loses nothing.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "client/recipes/recipe_util.h"

namespace zk::recipes {

class DistributedQueue {
 public:
  // REQUIRES: zk outlives the queue.
  DistributedQueue(SyncClient& zk, std::string dir) : zk_(zk), dir_(std::move(dir)) {}

  // Appends an item. Lower priorities go out first; equal ones in arrival
  // order. The created node name goes to *name if given.
  Err Offer(const std::string& data, int32_t priority = 0, std::string* name = nullptr);
  // Takes the head item: kOk, or kNoNode when the queue is empty.
  Err Poll(std::string* data);
  // Like Poll, but waits for an item: kOperationTimeout at the deadline.
  Err Take(std::string* data, std::chrono::milliseconds timeout = kForever);
  // Number of items.
  Err Size(int* size);

 private:
  // Tries the items in order; kNoNode when none could be taken.
  Err TakeFrom(const std::vector<std::string>& children, std::string* data);

  SyncClient& zk_;
  const std::string dir_;
};

// Priority is the ordering key; kept as a separate name for readers used to
// Curator's two classes.
using DistributedPriorityQueue = DistributedQueue;

}  // namespace zk::recipes
