#include "client/recipes/recipe_util.h"

#include <algorithm>
#include <cstdio>
#include <random>

#include "protocol/path.h"

namespace zk::recipes {
namespace {

constexpr int kSequenceDigits = 10;
// How often waits look at the session state; session events reach only the
// handle's default watcher, so recipes notice expiry by polling.
constexpr auto kStatePoll = std::chrono::milliseconds(50);

}  // namespace

std::string JoinPath(std::string_view parent, std::string_view child) {
  std::string out(parent);
  if (out.empty() || out.back() != '/') out.push_back('/');
  out.append(child);
  return out;
}

Err EnsurePath(SyncClient& zk, const std::string& path) {
  if (path == "/") return Err::kOk;
  Err err = RetryOnConnectionLoss(zk, [&] { return zk.Exists(path); });
  if (err != Err::kNoNode) return err;
  err = EnsurePath(zk, std::string(ParentPath(path)));
  if (err != Err::kOk) return err;
  err = RetryOnConnectionLoss(
      zk, [&] { return zk.Create(path, "", client::OpenAclUnsafe(), CreateMode::kPersistent); });
  return err == Err::kNodeExists ? Err::kOk : err;
}

std::string NewGuid() {
  static thread_local std::mt19937_64 rng{
      std::random_device{}() ^ static_cast<uint64_t>(Clock::now().time_since_epoch().count())};
  char buf[33];
  std::snprintf(buf, sizeof(buf), "%016llx%016llx", static_cast<unsigned long long>(rng()),
                static_cast<unsigned long long>(rng()));
  return buf;
}

int64_t SequenceOf(std::string_view name) {
  if (name.size() < kSequenceDigits) return -1;
  std::string_view digits = name.substr(name.size() - kSequenceDigits);
  int64_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

std::vector<std::string> SortedBySequence(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const auto& n : names) {
    if (SequenceOf(n) >= 0) out.push_back(n);
  }
  std::sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) {
    return SequenceOf(a) < SequenceOf(b);
  });
  return out;
}

bool SessionIsDead(SyncClient& zk) {
  KeeperState s = zk.Async().State();
  return s == KeeperState::kExpired || s == KeeperState::kClosed || s == KeeperState::kAuthFailed;
}

Err CreateProtectedSequential(SyncClient& zk, const std::string& dir, const std::string& guid,
                              const std::string& prefix, const std::string& data, CreateMode mode,
                              std::string* name) {
  const std::string marker = "_c_" + guid + "-";
  auto deadline =
      Clock::now() + std::chrono::milliseconds(std::max(1000, zk.Async().NegotiatedTimeoutMs()));
  bool maybe_created = false;
  while (true) {
    if (maybe_created) {
      std::vector<std::string> children;
      Err err = zk.GetChildren(dir, &children);
      if (err == Err::kOk) {
        for (const auto& child : children) {
          if (child.rfind(marker, 0) == 0) {
            *name = child;
            return Err::kOk;
          }
        }
        maybe_created = false;
      } else if (err != Err::kConnectionLoss) {
        return err;
      }
    }
    if (!maybe_created) {
      std::string created;
      Err err =
          zk.Create(JoinPath(dir, marker + prefix), data, client::OpenAclUnsafe(), mode, &created);
      if (err == Err::kOk) {
        *name = std::string(NodeName(created));
        return Err::kOk;
      }
      if (err == Err::kNoNode) {
        err = EnsurePath(zk, dir);
        if (err != Err::kOk) return err;
        continue;
      }
      if (err != Err::kConnectionLoss) return err;
      maybe_created = true;
    }
    if (Clock::now() >= deadline || SessionIsDead(zk)) return Err::kConnectionLoss;
    zk.WaitConnected(std::chrono::milliseconds(200));
  }
}

void Signal::Fire() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    fired_ = true;
  }
  cv_.notify_all();
}

bool Signal::Wait(SyncClient& zk, Clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(mu_);
  while (!fired_) {
    auto now = Clock::now();
    if (now >= deadline || SessionIsDead(zk)) return false;
    cv_.wait_until(lock, std::min(deadline, now + kStatePoll));
  }
  fired_ = false;
  return true;
}

client::Watcher Signal::WatcherFor(const std::shared_ptr<Signal>& signal) {
  return [signal](const client::WatchedEvent&) { signal->Fire(); };
}

Clock::time_point DeadlineAfter(std::chrono::milliseconds timeout) {
  auto now = Clock::now();
  if (timeout >=
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::time_point::max() - now)) {
    return Clock::time_point::max();
  }
  return now + timeout;
}

}  // namespace zk::recipes
