// Tells a recipe when its session ends for good.
//
// Session events reach only the default watcher a handle was built with,
// which belongs to the application, so a recipe that holds something (a
// lock, leadership, a membership) watches the handle's state from a small
// thread instead. The callback runs once, on that thread, when the state
// becomes kExpired, kClosed or kAuthFailed: the server has then removed (or
// will remove) the session's ephemeral nodes.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "client/lib/sync_client.h"

namespace zk::recipes {

class SessionMonitor {
 public:
  using Callback = std::function<void(KeeperState)>;

  // REQUIRES: zk outlives the monitor.
  SessionMonitor(client::SyncClient& zk, Callback on_end);
  // Stops the thread; the callback does not run after this returns.
  // REQUIRES: not called from the callback.
  ~SessionMonitor();

  SessionMonitor(const SessionMonitor&) = delete;
  SessionMonitor& operator=(const SessionMonitor&) = delete;

 private:
  void Run();

  client::SyncClient& zk_;
  Callback on_end_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace zk::recipes
