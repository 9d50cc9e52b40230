#include "client/recipes/queue.h"

#include <algorithm>
#include <cstdio>
#include <memory>

namespace zk::recipes {
namespace {

constexpr char kPrefix[] = "qn-";

// Fixed-width priority so that names sort in (priority, sequence) order.
std::string PriorityPrefix(int32_t priority) {
  char buf[32];
  uint32_t biased = static_cast<uint32_t>(priority) ^ 0x80000000u;
  std::snprintf(buf, sizeof(buf), "%s%010u-", kPrefix, biased);
  return buf;
}

std::vector<std::string> ItemsInOrder(const std::vector<std::string>& children) {
  std::vector<std::string> items;
  for (const auto& c : children) {
    if (c.rfind(kPrefix, 0) == 0 && SequenceOf(c) >= 0) items.push_back(c);
  }
  std::sort(items.begin(), items.end());
  return items;
}

}  // namespace

Err DistributedQueue::Offer(const std::string& data, int32_t priority, std::string* name) {
  std::string created;
  auto create = [&] {
    return zk_.Create(JoinPath(dir_, PriorityPrefix(priority)), data, client::OpenAclUnsafe(),
                      CreateMode::kPersistentSequential, &created);
  };
  // Not retried on kConnectionLoss: the item may already be queued, and a
  // second copy would break "once each". The caller decides.
  Err err = create();
  if (err == Err::kNoNode) {
    err = EnsurePath(zk_, dir_);
    if (err == Err::kOk) err = create();
  }
  if (err == Err::kOk && name != nullptr) *name = created.substr(created.rfind('/') + 1);
  return err;
}

Err DistributedQueue::TakeFrom(const std::vector<std::string>& children, std::string* data) {
  for (const auto& item : ItemsInOrder(children)) {
    const std::string path = JoinPath(dir_, item);
    std::string value;
    Err err = RetryOnConnectionLoss(zk_, [&] { return zk_.GetData(path, &value); });
    if (err == Err::kNoNode) continue;  // another consumer took it
    if (err != Err::kOk) return err;
    // The delete decides who owns the item. On a lost reply the delete
    // may have happened: the retry then reports kNoNode, and the item is
    // treated as taken by someone else (at-most-once).
    err = RetryOnConnectionLoss(zk_, [&] { return zk_.Delete(path); });
    if (err == Err::kNoNode) continue;
    if (err != Err::kOk) return err;
    *data = std::move(value);
    return Err::kOk;
  }
  return Err::kNoNode;
}

Err DistributedQueue::Poll(std::string* data) {
  std::vector<std::string> children;
  Err err = RetryOnConnectionLoss(zk_, [&] { return zk_.GetChildren(dir_, &children); });
  if (err != Err::kOk) return err;
  return TakeFrom(children, data);
}

Err DistributedQueue::Take(std::string* data, std::chrono::milliseconds timeout) {
  Clock::time_point deadline = DeadlineAfter(timeout);
  Err err = EnsurePath(zk_, dir_);
  if (err != Err::kOk) return err;
  auto signal = std::make_shared<Signal>();
  while (true) {
    std::vector<std::string> children;
    err = RetryOnConnectionLoss(
        zk_, [&] { return zk_.GetChildren(dir_, &children, Signal::WatcherFor(signal)); });
    if (err != Err::kOk) return err;
    err = TakeFrom(children, data);
    if (err != Err::kNoNode) return err;
    if (!signal->Wait(zk_, deadline)) {
      return SessionIsDead(zk_) ? Err::kSessionExpired : Err::kOperationTimeout;
    }
  }
}

Err DistributedQueue::Size(int* size) {
  std::vector<std::string> children;
  Err err = RetryOnConnectionLoss(zk_, [&] { return zk_.GetChildren(dir_, &children); });
  if (err == Err::kOk) *size = static_cast<int>(ItemsInOrder(children).size());
  return err;
}

}  // namespace zk::recipes
