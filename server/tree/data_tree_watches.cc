// DataTree's watch registration and delivery.
#include <algorithm>

#include "server/tree/data_tree.h"

namespace zk::tree {

std::optional<WatchKind> WatchKindFromAddWatchMode(int32_t mode) {
  switch (mode) {
    case 0:
      return WatchKind::kPersistent;
    case 1:
      return WatchKind::kPersistentRecursive;
    default:
      return std::nullopt;
  }
}

std::vector<int64_t> DataTree::Fire(WatchManager& manager, std::string_view path, EventType type,
                                    int64_t zxid, const std::vector<data::ACL>* acl,
                                    const std::vector<int64_t>* suppress) {
  if (manager.empty()) return {};
  std::vector<int64_t> fired = manager.Trigger(path, type);
  if (!listener_) return fired;
  for (int64_t watcher : fired) {
    // Both lists are sorted, so membership is a binary search.
    if (suppress != nullptr && std::binary_search(suppress->begin(), suppress->end(), watcher)) {
      continue;
    }
    listener_(WatchEvent{watcher, type, path, zxid, acl});
  }
  return fired;
}

bool DataTree::AddWatch(std::string_view path, int64_t watcher, WatchKind kind) {
  switch (kind) {
    case WatchKind::kData:
      return data_watches_.Add(path, watcher, WatchMode::kStandard);
    case WatchKind::kChild:
      return child_watches_.Add(path, watcher, WatchMode::kStandard);
    case WatchKind::kPersistent: {
      bool added = data_watches_.Add(path, watcher, WatchMode::kPersistent);
      added |= child_watches_.Add(path, watcher, WatchMode::kPersistent);
      return added;
    }
    case WatchKind::kPersistentRecursive:
      return data_watches_.Add(path, watcher, WatchMode::kPersistentRecursive);
  }
  return false;
}

bool DataTree::ContainsWatch(std::string_view path, int64_t watcher, WatcherType type) const {
  switch (type) {
    case WatcherType::kChildren:
      return child_watches_.Contains(path, watcher, WatchMode::kStandard);
    case WatcherType::kData:
      return data_watches_.Contains(path, watcher, WatchMode::kStandard);
    case WatcherType::kPersistent:
      return data_watches_.Contains(path, watcher, WatchMode::kPersistent);
    case WatcherType::kPersistentRecursive:
      return data_watches_.Contains(path, watcher, WatchMode::kPersistentRecursive);
    case WatcherType::kAny:
      return child_watches_.Contains(path, watcher) || data_watches_.Contains(path, watcher);
  }
  return false;
}

bool DataTree::RemoveWatch(std::string_view path, int64_t watcher, WatcherType type) {
  switch (type) {
    case WatcherType::kChildren:
      return child_watches_.Remove(path, watcher, WatchMode::kStandard);
    case WatcherType::kData:
      return data_watches_.Remove(path, watcher, WatchMode::kStandard);
    case WatcherType::kPersistent: {
      bool removed = child_watches_.Remove(path, watcher, WatchMode::kPersistent);
      removed |= data_watches_.Remove(path, watcher, WatchMode::kPersistent);
      return removed;
    }
    case WatcherType::kPersistentRecursive:
      return data_watches_.Remove(path, watcher, WatchMode::kPersistentRecursive);
    case WatcherType::kAny: {
      bool removed = child_watches_.Remove(path, watcher);
      removed |= data_watches_.Remove(path, watcher);
      return removed;
    }
  }
  return false;
}

void DataTree::RemoveWatches(int64_t watcher) {
  data_watches_.RemoveWatcher(watcher);
  child_watches_.RemoveWatcher(watcher);
}

void DataTree::Notify(int64_t watcher, EventType type, std::string_view path) {
  if (!listener_) return;
  NodeId id = nodes_.Find(path);
  const std::vector<data::ACL>* acl =
      id == kNoId ? nullptr : &acls_.Get(znode::AclId(nodes_.Get(id)));
  listener_(WatchEvent{watcher, type, path, -1, acl});
}

void DataTree::SetWatches(int64_t relative_zxid, const std::vector<std::string>& data_paths,
                          const std::vector<std::string>& exist_paths,
                          const std::vector<std::string>& child_paths,
                          const std::vector<std::string>& persistent_paths,
                          const std::vector<std::string>& recursive_paths, int64_t watcher) {
  for (const std::string& path : data_paths) {
    std::optional<NodeView> node = Find(path);
    if (!node) {
      Notify(watcher, EventType::kNodeDeleted, path);
    } else if (node->mzxid() > relative_zxid) {
      Notify(watcher, EventType::kNodeDataChanged, path);
    } else {
      data_watches_.Add(path, watcher, WatchMode::kStandard);
    }
  }
  for (const std::string& path : exist_paths) {
    if (Exists(path)) {
      Notify(watcher, EventType::kNodeCreated, path);
    } else {
      data_watches_.Add(path, watcher, WatchMode::kStandard);
    }
  }
  for (const std::string& path : child_paths) {
    std::optional<NodeView> node = Find(path);
    if (!node) {
      Notify(watcher, EventType::kNodeDeleted, path);
    } else if (node->pzxid() > relative_zxid) {
      Notify(watcher, EventType::kNodeChildrenChanged, path);
    } else {
      child_watches_.Add(path, watcher, WatchMode::kStandard);
    }
  }
  for (const std::string& path : persistent_paths) {
    child_watches_.Add(path, watcher, WatchMode::kPersistent);
    data_watches_.Add(path, watcher, WatchMode::kPersistent);
  }
  for (const std::string& path : recursive_paths) {
    data_watches_.Add(path, watcher, WatchMode::kPersistentRecursive);
  }
}

}  // namespace zk::tree
