#include "client/recipes/lock.h"

#include <glog/logging.h>

namespace zk::recipes {
namespace {

const char* KindName(LockMode mode) {
  switch (mode) {
    case LockMode::kExclusive: return "lock-";
    case LockMode::kRead: return "read-";
    case LockMode::kWrite: return "write-";
  }
  return "lock-";
}

bool IsReadNode(const std::string& name) { return name.find("-read-") != std::string::npos; }

}  // namespace

Lock::Lock(SyncClient& zk, std::string dir, LockMode mode, std::string node_data)
    : zk_(zk),
      dir_(std::move(dir)),
      mode_(mode),
      node_data_(std::move(node_data)),
      guid_(NewGuid()) {}

Lock::~Lock() {
  monitor_.reset();
  if (!NodePath().empty()) Release();
}

void Lock::SetLostListener(std::function<void()> listener) { lost_listener_ = std::move(listener); }

std::string Lock::NodePath() const {
  std::lock_guard<std::mutex> lock(mu_);
  return node_.empty() ? std::string() : JoinPath(dir_, node_);
}

void Lock::Cancel() {
  cancelled_ = true;
  std::lock_guard<std::mutex> lock(mu_);
  if (signal_) signal_->Fire();
}

Err Lock::Acquire(std::chrono::milliseconds timeout) {
  Err err = TryAcquire(DeadlineAfter(timeout));
  // A Cancel() counts for the Acquire it met (or the next one), not later ones.
  cancelled_ = false;
  return err;
}

Err Lock::TryAcquire(Clock::time_point deadline) {
  if (held_) return Err::kOk;
  if (cancelled_) return Err::kOperationTimeout;
  monitor_.reset();  // the previous holding's monitor, if any
  std::string name;
  Err err = CreateProtectedSequential(zk_, dir_, guid_, KindName(mode_), node_data_,
                                      CreateMode::kEphemeralSequential, &name);
  if (err != Err::kOk) return err;
  {
    std::lock_guard<std::mutex> lock(mu_);
    node_ = name;
  }
  err = WaitForTurn(deadline);
  if (err != Err::kOk) {
    DeleteOwnNode();
    return err;
  }
  held_ = true;
  monitor_ = std::make_unique<SessionMonitor>(zk_, [this](KeeperState state) {
    if (!held_.exchange(false)) return;
    LOG(WARNING) << "Lock " << dir_ << " lost: session ended (" << static_cast<int>(state) << ")";
    if (lost_listener_) lost_listener_();
  });
  return Err::kOk;
}

std::string Lock::Blocker(const std::vector<std::string>& sorted, size_t own) const {
  if (mode_ != LockMode::kRead) return own == 0 ? std::string() : sorted[own - 1];
  for (size_t i = own; i-- > 0;) {
    if (!IsReadNode(sorted[i])) return sorted[i];
  }
  return std::string();
}

Err Lock::WaitForTurn(Clock::time_point deadline) {
  auto signal = std::make_shared<Signal>();
  {
    std::lock_guard<std::mutex> lock(mu_);
    signal_ = signal;
  }
  const std::string own = [&] {
    std::lock_guard<std::mutex> lock(mu_);
    return node_;
  }();
  while (true) {
    if (cancelled_) return Err::kOperationTimeout;
    std::vector<std::string> children;
    Err err = RetryOnConnectionLoss(zk_, [&] { return zk_.GetChildren(dir_, &children); });
    if (err != Err::kOk) return err;
    std::vector<std::string> sorted = SortedBySequence(children);
    auto it = std::find(sorted.begin(), sorted.end(), own);
    // Our ephemeral node is gone only when the session ended.
    if (it == sorted.end()) return Err::kSessionExpired;
    std::string blocker = Blocker(sorted, static_cast<size_t>(it - sorted.begin()));
    if (blocker.empty()) return Err::kOk;
    // getData, not exists: a watch is left only when the node is there.
    err = RetryOnConnectionLoss(zk_, [&] {
      return zk_.GetData(JoinPath(dir_, blocker), nullptr, nullptr, Signal::WatcherFor(signal));
    });
    if (err == Err::kNoNode) continue;
    if (err != Err::kOk) return err;
    if (signal->Wait(zk_, deadline)) {
      if (!cancelled_) wake_ups_++;
      continue;
    }
    if (SessionIsDead(zk_)) return Err::kSessionExpired;
    return Err::kOperationTimeout;
  }
}

void Lock::DeleteOwnNode() {
  std::string path = NodePath();
  if (!path.empty() && !SessionIsDead(zk_)) {
    Err err = RetryOnConnectionLoss(zk_, [&] { return zk_.Delete(path); });
    if (err != Err::kOk && err != Err::kNoNode) {
      LOG(WARNING) << "Could not delete lock node " << path << ": " << ErrName(err);
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  node_.clear();
  signal_.reset();
}

Err Lock::Release() {
  held_ = false;
  monitor_.reset();
  std::string path = NodePath();
  if (path.empty()) return Err::kOk;
  Err err = Err::kOk;
  if (!SessionIsDead(zk_)) {
    err = RetryOnConnectionLoss(zk_, [&] { return zk_.Delete(path); });
    if (err == Err::kNoNode) err = Err::kOk;
  }
  std::lock_guard<std::mutex> lock(mu_);
  node_.clear();
  signal_.reset();
  return err;
}

}  // namespace zk::recipes
