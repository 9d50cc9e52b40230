// The shell's watches, printed the way zkCli.sh prints them.
//
// zkCli.sh sets every watch with one watcher object, and the Java client
// calls a watcher once per event however many of its watches the event
// triggers (a data and a child watch on a deleted node, a persistent watch
// and a one-shot watch, the same watch set twice). The client library calls
// every registration. So this class hands out one printing watcher per
// (kind, path) and silent ones for repeats, and when an event triggers
// several printing watchers, only the first call prints.
//
// Thread-safe: watchers run on the client's event thread.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>

#include "client/lib/zk_client.h"

namespace zk::cli {

class WatchPrinter {
 public:
  enum class Kind { kData, kChild, kPersistent, kPersistentRecursive };
  using Print = std::function<void(const client::WatchedEvent&)>;

  explicit WatchPrinter(Print print) : print_(std::move(print)) {}
  WatchPrinter(const WatchPrinter&) = delete;
  WatchPrinter& operator=(const WatchPrinter&) = delete;

  // The watcher to pass with a request that sets a `kind` watch on `path`.
  client::Watcher Watch(Kind kind, const std::string& path);
  // The request with `watcher` did not set a watch after all.
  void NotSet(Kind kind, const std::string& path);
  // Forgets all watches (a new session).
  void Clear();

 private:
  void OnEvent(const client::WatchedEvent& event);

  Print print_;
  std::mutex mu_;
  // Watches that have a printing watcher.
  std::set<std::pair<Kind, std::string>> active_;
  // Calls still to come (and to stay silent) for an event already printed.
  std::map<std::pair<EventType, std::string>, int> pending_repeats_;
};

}  // namespace zk::cli
