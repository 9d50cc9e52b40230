// Watches on paths, keyed by watcher (a session id): ZooKeeper's WatchManager.
//
// A (path, watcher) pair holds a set of modes at once, as in ZooKeeper 3.9:
//  - kStandard: one-shot; consumed by the first event on the path.
//  - kPersistent: fires for every event on the path and stays.
//  - kPersistentRecursive: fires for events on the path and on every
//    descendant, and stays.
// The data tree keeps two managers, one for data watches and one for child
// watches, and decides which events go to which (see DataTree).
//
// Thread-safety: none; owned by the data tree's thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "protocol/opcodes.h"

namespace zk::tree {

enum class WatchMode : uint8_t {
  kStandard = 1,
  kPersistent = 2,
  kPersistentRecursive = 4,
};

// The numbers of the four-letter word `wchs`.
struct WatchesSummary {
  size_t connections = 0;  // watchers with an entry (see Trigger)
  size_t paths = 0;        // paths with at least one watch
  size_t total = 0;        // (path, watcher) pairs

  bool operator==(const WatchesSummary&) const = default;
};

class WatchManager {
 public:
  WatchManager() = default;
  WatchManager(const WatchManager&) = delete;
  WatchManager& operator=(const WatchManager&) = delete;

  // Gives `watcher` a watch of `mode` on `path`. Returns false if it had one.
  bool Add(std::string_view path, int64_t watcher, WatchMode mode = WatchMode::kStandard);

  // The watchers to notify of an event of `type` at `path`, ascending and
  // each once: every watcher on `path` itself (its standard watch is consumed,
  // persistent ones stay) and, unless `type` is NodeChildrenChanged, every
  // persistent-recursive watcher on an ancestor of `path`. As in ZooKeeper, a watcher whose last
  // watch was consumed keeps its (empty) entry, and so still counts in Summary().connections, until
  // RemoveWatcher or Remove.
  std::vector<int64_t> Trigger(std::string_view path, EventType type);

  // Whether `watcher` watches `path` in `mode` (in any mode when nullopt).
  bool Contains(std::string_view path, int64_t watcher,
                std::optional<WatchMode> mode = std::nullopt) const;

  // Drops `watcher`'s `mode` watch on `path` (all its modes when nullopt).
  // Returns whether anything was dropped.
  bool Remove(std::string_view path, int64_t watcher, std::optional<WatchMode> mode = std::nullopt);

  // Drops every watch of `watcher` (its connection closed).
  void RemoveWatcher(int64_t watcher);

  // Number of (path, watcher) pairs.
  size_t size() const { return total_; }
  bool empty() const { return total_ == 0; }
  // Number of (path, watcher) pairs holding a persistent-recursive watch.
  size_t recursive_count() const { return recursive_count_; }

  WatchesSummary Summary() const;
  // Paths each watcher watches, both sorted (`wchc`).
  std::map<int64_t, std::vector<std::string>> BySession() const;
  // Watchers of each path, both sorted (`wchp`).
  std::map<std::string, std::vector<int64_t>> ByPath() const;

  // The texts ZooKeeper prints for `wchs`, `wchc` (by_path false) and `wchp`.
  std::string SummaryText() const;
  std::string DumpText(bool by_path) const;

 private:
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  // watcher -> bit set of WatchMode
  using Watchers = std::unordered_map<int64_t, uint8_t>;
  using PathTable = std::unordered_map<std::string, Watchers, StringHash, std::equal_to<>>;

  // Consumes or collects the watchers of one path; `at_ancestor` selects
  // recursive watchers only.
  void TriggerPath(std::string_view path, bool at_ancestor, std::vector<int64_t>* fired);
  // Erases the pair; `it` points into by_path_. Returns the modes it had.
  uint8_t Unwatch(PathTable::iterator it, int64_t watcher, bool drop_empty_watcher);

  PathTable by_path_;
  // Paths per watcher; the views point at by_path_'s keys, which outlive them.
  std::unordered_map<int64_t, std::unordered_set<std::string_view>> by_watcher_;
  size_t total_ = 0;
  size_t recursive_count_ = 0;
};

}  // namespace zk::tree
