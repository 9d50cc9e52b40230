#include "client/lib/watch_registry.h"

namespace zk::client {

void WatchRegistry::Add(Kind kind, const std::string& path, Watcher watcher) {
  if (watcher) TableOf(kind)[path].push_back(std::move(watcher));
}

void WatchRegistry::Take(Table& table, const std::string& path, std::vector<Watcher>* out) {
  auto it = table.find(path);
  if (it == table.end()) return;
  for (auto& w : it->second) out->push_back(std::move(w));
  table.erase(it);
}

std::vector<Watcher> WatchRegistry::Materialize(EventType type, const std::string& path) {
  std::vector<Watcher> out;
  switch (type) {
    case EventType::kNodeCreated:
    case EventType::kNodeDataChanged:
      Take(TableOf(Kind::kData), path, &out);
      Take(TableOf(Kind::kExist), path, &out);
      break;
    case EventType::kNodeChildrenChanged: Take(TableOf(Kind::kChild), path, &out); break;
    case EventType::kNodeDeleted:
      Take(TableOf(Kind::kData), path, &out);
      Take(TableOf(Kind::kExist), path, &out);
      Take(TableOf(Kind::kChild), path, &out);
      break;
    default: return out;
  }
  if (auto it = TableOf(Kind::kPersistent).find(path); it != TableOf(Kind::kPersistent).end()) {
    out.insert(out.end(), it->second.begin(), it->second.end());
  }
  if (type == EventType::kNodeChildrenChanged) return out;
  // The path itself and every ancestor up to "/".
  const Table& recursive = TableOf(Kind::kPersistentRecursive);
  if (recursive.empty()) return out;
  std::string p = path;
  while (true) {
    if (auto it = recursive.find(p); it != recursive.end()) {
      out.insert(out.end(), it->second.begin(), it->second.end());
    }
    if (p == "/" || p.empty()) break;
    size_t slash = p.rfind('/');
    p = slash == 0 ? "/" : p.substr(0, slash);
  }
  return out;
}

std::vector<std::pair<Watcher, EventType>> WatchRegistry::Remove(const std::string& path,
                                                                 WatcherType type) {
  std::vector<std::pair<Watcher, EventType>> out;
  auto take = [&](Kind kind, EventType event) {
    std::vector<Watcher> taken;
    Take(TableOf(kind), path, &taken);
    for (auto& w : taken) out.emplace_back(std::move(w), event);
  };
  if (type == WatcherType::kChildren || type == WatcherType::kAny) {
    take(Kind::kChild, EventType::kChildWatchRemoved);
  }
  if (type == WatcherType::kData || type == WatcherType::kAny) {
    take(Kind::kData, EventType::kDataWatchRemoved);
    take(Kind::kExist, EventType::kDataWatchRemoved);
  }
  if (type == WatcherType::kAny) {
    take(Kind::kPersistent, EventType::kPersistentWatchRemoved);
    take(Kind::kPersistentRecursive, EventType::kPersistentWatchRemoved);
  }
  return out;
}

std::vector<std::string> WatchRegistry::Paths(Kind kind) const {
  std::vector<std::string> out;
  for (const auto& [path, watchers] : TableOf(kind)) {
    if (!watchers.empty()) out.push_back(path);
  }
  return out;
}

bool WatchRegistry::Empty() const {
  for (const auto& t : tables_) {
    if (!t.empty()) return false;
  }
  return true;
}

void WatchRegistry::Clear() {
  for (auto& t : tables_) t.clear();
}

}  // namespace zk::client
