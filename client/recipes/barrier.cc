#include "client/recipes/barrier.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "protocol/path.h"

namespace zk::recipes {
namespace {
constexpr char kReady[] = "ready";
}  // namespace

Err Barrier::Set() {
  Err err = EnsurePath(zk_, std::string(ParentPath(path_)));
  if (err != Err::kOk) return err;
  err = RetryOnConnectionLoss(
      zk_, [&] { return zk_.Create(path_, "", client::OpenAclUnsafe(), CreateMode::kPersistent); });
  return err == Err::kNodeExists ? Err::kOk : err;
}

Err Barrier::Remove() {
  Err err = RetryOnConnectionLoss(zk_, [&] { return zk_.Delete(path_); });
  return err == Err::kNoNode ? Err::kOk : err;
}

Err Barrier::Wait(std::chrono::milliseconds timeout) {
  Clock::time_point deadline = DeadlineAfter(timeout);
  auto signal = std::make_shared<Signal>();
  while (true) {
    Err err = RetryOnConnectionLoss(
        zk_, [&] { return zk_.Exists(path_, nullptr, Signal::WatcherFor(signal)); });
    if (err == Err::kNoNode) return Err::kOk;
    if (err != Err::kOk) return err;
    if (!signal->Wait(zk_, deadline)) {
      return SessionIsDead(zk_) ? Err::kSessionExpired : Err::kOperationTimeout;
    }
  }
}

DoubleBarrier::DoubleBarrier(SyncClient& zk, std::string path, int count)
    : zk_(zk),
      path_(std::move(path)),
      ready_path_(JoinPath(path_, kReady)),
      name_(NewGuid()),
      count_(count) {}

Err DoubleBarrier::Members(std::vector<std::string>* names) {
  Err err = RetryOnConnectionLoss(zk_, [&] { return zk_.GetChildren(path_, names); });
  if (err != Err::kOk) return err;
  names->erase(std::remove(names->begin(), names->end(), kReady), names->end());
  std::sort(names->begin(), names->end());
  return Err::kOk;
}

Err DoubleBarrier::Enter(std::chrono::milliseconds timeout) {
  Clock::time_point deadline = DeadlineAfter(timeout);
  Err err = EnsurePath(zk_, path_);
  if (err != Err::kOk) return err;
  auto signal = std::make_shared<Signal>();
  // Watch "ready" before joining so its creation cannot be missed.
  err = RetryOnConnectionLoss(
      zk_, [&] { return zk_.Exists(ready_path_, nullptr, Signal::WatcherFor(signal)); });
  if (err != Err::kOk && err != Err::kNoNode) return err;
  const std::string own = JoinPath(path_, name_);
  err = RetryOnConnectionLoss(
      zk_, [&] { return zk_.Create(own, "", client::OpenAclUnsafe(), CreateMode::kEphemeral); });
  if (err != Err::kOk && err != Err::kNodeExists) return err;
  while (true) {
    if (zk_.Exists(ready_path_) == Err::kOk) return Err::kOk;
    std::vector<std::string> names;
    err = Members(&names);
    if (err != Err::kOk) return err;
    if (static_cast<int>(names.size()) >= count_) {
      err = RetryOnConnectionLoss(zk_, [&] {
        return zk_.Create(ready_path_, "", client::OpenAclUnsafe(), CreateMode::kPersistent);
      });
      return err == Err::kNodeExists ? Err::kOk : err;
    }
    if (!signal->Wait(zk_, deadline)) {
      if (SessionIsDead(zk_)) return Err::kSessionExpired;
      RetryOnConnectionLoss(zk_, [&] { return zk_.Delete(own); });
      return Err::kOperationTimeout;
    }
    // Woken: "ready" appeared; re-arm in case of a spurious wake-up.
    err = RetryOnConnectionLoss(
        zk_, [&] { return zk_.Exists(ready_path_, nullptr, Signal::WatcherFor(signal)); });
    if (err == Err::kOk) return Err::kOk;
    if (err != Err::kNoNode) return err;
  }
}

Err DoubleBarrier::Leave(std::chrono::milliseconds timeout) {
  Clock::time_point deadline = DeadlineAfter(timeout);
  auto signal = std::make_shared<Signal>();
  bool deleted_own = false;
  while (true) {
    std::vector<std::string> names;
    Err err = Members(&names);
    if (err != Err::kOk) return err;
    bool present = std::binary_search(names.begin(), names.end(), name_);
    if (names.empty() || (present && names.size() == 1)) {
      if (present) RetryOnConnectionLoss(zk_, [&] { return zk_.Delete(JoinPath(path_, name_)); });
      // The last one out takes the ready flag down.
      RetryOnConnectionLoss(zk_, [&] { return zk_.Delete(ready_path_); });
      return Err::kOk;
    }
    std::string wait_for;
    if (present && names.front() == name_) {
      // The lowest leaves last: wait for the highest.
      wait_for = names.back();
    } else {
      if (present && !deleted_own) {
        err = RetryOnConnectionLoss(zk_, [&] { return zk_.Delete(JoinPath(path_, name_)); });
        if (err != Err::kOk && err != Err::kNoNode) return err;
        deleted_own = true;
        continue;
      }
      wait_for = names.front();
    }
    err = RetryOnConnectionLoss(zk_, [&] {
      return zk_.Exists(JoinPath(path_, wait_for), nullptr, Signal::WatcherFor(signal));
    });
    if (err == Err::kNoNode) continue;
    if (err != Err::kOk) return err;
    if (!signal->Wait(zk_, deadline)) {
      return SessionIsDead(zk_) ? Err::kSessionExpired : Err::kOperationTimeout;
    }
  }
}

}  // namespace zk::recipes
