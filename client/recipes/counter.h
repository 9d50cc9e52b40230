// A shared counter (kazoo's Counter, Curator's DistributedAtomicLong).
//
// The value is a decimal integer in the node's data, so zkcli shows it as
// text. Add() reads the value and its version and writes the sum with
// setData(version): when another client wrote in between, the write fails
// with kBadVersion and the read-modify-write starts over, so concurrent
// increments are never lost. A kConnectionLoss on the write is retried
// only after checking whether it landed (the node's version and value
// tell), so an increment is not applied twice in the common case; a
// concurrent writer racing that check can still make the outcome
// ambiguous, reported as kConnectionLoss. Holds nothing across calls:
// session expiry only fails the call in progress.
#pragma once

#include <cstdint>
#include <string>

#include "client/recipes/recipe_util.h"

namespace zk::recipes {

class SharedCounter {
 public:
  // REQUIRES: zk outlives the counter.
  SharedCounter(SyncClient& zk, std::string path, int64_t initial = 0)
      : zk_(zk), path_(std::move(path)), initial_(initial) {}

  // Creates the node with the initial value if missing.
  Err Ensure();
  Err Get(int64_t* value);
  // Adds delta atomically; *result (may be null) gets the new value.
  Err Add(int64_t delta, int64_t* result = nullptr);
  // Sets the value only if it still equals expected (kBadVersion otherwise).
  Err CompareAndSet(int64_t expected, int64_t value);

 private:
  Err Read(int64_t* value, int32_t* version);

  SyncClient& zk_;
  const std::string path_;
  const int64_t initial_;
};

}  // namespace zk::recipes
