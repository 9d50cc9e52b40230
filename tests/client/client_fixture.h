// A fixture with one running zkserver and helpers to connect to it and to
// wait for events with deadlines.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "client/lib/sync_client.h"
#include "tests/client/test_server.h"

namespace zk::client::testing {

constexpr auto kWait = std::chrono::seconds(10);

// Collects events from watchers on any thread; Next waits with a deadline.
class EventQueue {
 public:
  Watcher AsWatcher() {
    return [this](const WatchedEvent& e) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        events_.push_back(e);
      }
      cv_.notify_all();
    };
  }

  std::optional<WatchedEvent> Next(std::chrono::milliseconds timeout = kWait) {
    std::unique_lock<std::mutex> lock(mu_);
    if (!cv_.wait_for(lock, timeout, [this] { return !events_.empty(); })) return std::nullopt;
    WatchedEvent e = events_.front();
    events_.pop_front();
    return e;
  }

  // Waits for a session event with `state`, skipping others.
  bool WaitState(KeeperState state, std::chrono::milliseconds timeout = kWait) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      auto e = Next(left);
      if (!e) return false;
      if (e->type == EventType::kNone && e->state == state) return true;
    }
  }

  size_t Size() {
    std::lock_guard<std::mutex> lock(mu_);
    return events_.size();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<WatchedEvent> events_;
};

class ClientTest : public ::testing::Test {
 protected:
  virtual std::map<std::string, std::string> ServerConfig() { return {}; }

  void SetUp() override {
    server_ = std::make_unique<TestServer>(ServerConfig());
    ASSERT_TRUE(server_->Start()) << "zkserver did not start";
    zk_ = Connect();
    ASSERT_TRUE(zk_->WaitConnected(kWait));
  }

  void TearDown() override {
    zk_.reset();
    if (server_) server_->Stop();
  }

  ClientOptions Options(const std::string& suffix = "") {
    ClientOptions options;
    options.connect_string = server_->HostPort() + suffix;
    options.session_timeout_ms = 10000;
    return options;
  }

  std::unique_ptr<SyncClient> Connect(const std::string& suffix = "") {
    return std::make_unique<SyncClient>(Options(suffix));
  }

  std::unique_ptr<TestServer> server_;
  std::unique_ptr<SyncClient> zk_;
};

}  // namespace zk::client::testing
