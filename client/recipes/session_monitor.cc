#include "client/recipes/session_monitor.h"

#include <chrono>

namespace zk::recipes {
namespace {
constexpr auto kPoll = std::chrono::milliseconds(25);
}  // namespace

SessionMonitor::SessionMonitor(client::SyncClient& zk, Callback on_end)
    : zk_(zk), on_end_(std::move(on_end)), thread_([this] { Run(); }) {}

SessionMonitor::~SessionMonitor() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void SessionMonitor::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    KeeperState state = zk_.Async().State();
    if (state == KeeperState::kExpired || state == KeeperState::kClosed ||
        state == KeeperState::kAuthFailed) {
      lock.unlock();
      if (on_end_) on_end_(state);
      return;
    }
    cv_.wait_for(lock, kPoll);
  }
}

}  // namespace zk::recipes
