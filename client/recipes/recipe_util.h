// Small pieces every recipe shares: paths, sequence numbers, protected
// sequential creates, and a wake-up signal for watches.
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "client/lib/sync_client.h"

namespace zk::recipes {

using client::SyncClient;
using Clock = std::chrono::steady_clock;

// A wait without an end.
inline constexpr std::chrono::milliseconds kForever = std::chrono::milliseconds::max();

// "/a" + "b" -> "/a/b"; "/" + "b" -> "/b".
std::string JoinPath(std::string_view parent, std::string_view child);

// Creates path and its missing ancestors as empty persistent nodes.
// kOk when the path exists afterwards.
Err EnsurePath(SyncClient& zk, const std::string& path);

// 32 random hex digits.
std::string NewGuid();

// The 10-digit counter a sequential create appended to name, -1 if none.
int64_t SequenceOf(std::string_view name);

// Keeps the names that carry a sequence number, sorted by it.
std::vector<std::string> SortedBySequence(const std::vector<std::string>& names);

// True once the handle can no longer do anything (expired, closed, auth failed).
bool SessionIsDead(SyncClient& zk);

// A sequential node whose name starts with "_c_<guid>-<prefix>", so that the
// creator can find it again when the reply to its create was lost with the
// connection (the create may or may not have happened). On kConnectionLoss
// the directory is listed and the create retried only if no node carries
// the guid; ancestors are created when missing. *name receives the node
// name (without the directory).
Err CreateProtectedSequential(SyncClient& zk, const std::string& dir, const std::string& guid,
                              const std::string& prefix, const std::string& data, CreateMode mode,
                              std::string* name);

// Runs op until it returns something other than kConnectionLoss, pausing
// between tries, for at most about one session timeout.
template <class Op>
Err RetryOnConnectionLoss(SyncClient& zk, Op op) {
  auto deadline =
      Clock::now() + std::chrono::milliseconds(std::max(1000, zk.Async().NegotiatedTimeoutMs()));
  while (true) {
    Err err = op();
    if (err != Err::kConnectionLoss || Clock::now() >= deadline || SessionIsDead(zk)) return err;
    zk.WaitConnected(std::chrono::milliseconds(200));
  }
}

// Fired by a watcher (on the client's event thread) and awaited by a recipe
// thread. Watchers capture a shared_ptr, so a late event after the recipe is
// gone touches only the signal.
class Signal {
 public:
  void Fire();
  // Waits until fired, the deadline, or the session of zk dies. Returns true
  // when fired; resets the signal so it can be reused.
  bool Wait(SyncClient& zk, Clock::time_point deadline);
  // A watcher that fires this signal.
  static client::Watcher WatcherFor(const std::shared_ptr<Signal>& signal);

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool fired_ = false;
};

// now + timeout, saturating for kForever.
Clock::time_point DeadlineAfter(std::chrono::milliseconds timeout);

}  // namespace zk::recipes
