// The client's side of watches: which watchers a notification fires, what to
// re-register after a reconnect, what removeWatches takes away. Paths are
// client paths (chroot stripped). Not thread-safe: the session owns it.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "client/lib/zk_client.h"

namespace zk::client {

class WatchRegistry {
 public:
  enum class Kind { kData, kExist, kChild, kPersistent, kPersistentRecursive };

  // Each registration fires on its own: registering twice fires twice.
  void Add(Kind kind, const std::string& path, Watcher watcher);

  // The watchers a notification of `type` on `path` fires, as ZooKeeper's
  // client decides: one-shot watches are removed, persistent ones stay;
  // recursive watches on the path or an ancestor see all but child events.
  std::vector<Watcher> Materialize(EventType type, const std::string& path);

  // Takes away the watchers of `type` on `path`; each comes back with the
  // event type it is told (kDataWatchRemoved, kChildWatchRemoved,
  // kPersistentWatchRemoved). kAny also removes persistent watches.
  std::vector<std::pair<Watcher, EventType>> Remove(const std::string& path, WatcherType type);

  // Paths per kind, for SetWatches2 after a reconnect.
  std::vector<std::string> Paths(Kind kind) const;
  bool Empty() const;
  void Clear();

 private:
  using Table = std::map<std::string, std::vector<Watcher>>;
  Table& TableOf(Kind kind) { return tables_[static_cast<int>(kind)]; }
  const Table& TableOf(Kind kind) const { return tables_[static_cast<int>(kind)]; }
  // Moves the watchers of path out of the table, appending them to out.
  static void Take(Table& table, const std::string& path, std::vector<Watcher>* out);

  Table tables_[5];
};

}  // namespace zk::client
