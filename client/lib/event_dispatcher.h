// Runs callbacks in submission order on one thread of its own, so that a
// callback may block (e.g. call SyncClient) without stalling network I/O.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace zk::client {

class EventDispatcher {
 public:
  EventDispatcher();
  // Runs what was queued, then joins. REQUIRES: not called on the dispatcher thread.
  ~EventDispatcher();

  EventDispatcher(const EventDispatcher&) = delete;
  EventDispatcher& operator=(const EventDispatcher&) = delete;

  void Post(std::function<void()> fn);
  // True on the dispatcher's own thread.
  bool OnDispatcherThread() const { return std::this_thread::get_id() == thread_.get_id(); }

 private:
  void Run();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;  // guarded by mu_
  bool stopping_ = false;                    // guarded by mu_
  std::thread thread_;
};

}  // namespace zk::client
