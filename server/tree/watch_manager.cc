#include "server/tree/watch_manager.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

namespace zk::tree {
namespace {

constexpr uint8_t Bit(WatchMode mode) { return static_cast<uint8_t>(mode); }
constexpr uint8_t kRecursiveBit = Bit(WatchMode::kPersistentRecursive);

// "0x" followed by the session id in lower-case hex, as Java's Long.toHexString.
std::string SessionHex(int64_t id) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%" PRIx64, static_cast<uint64_t>(id));
  return buf;
}

}  // namespace

bool WatchManager::Add(std::string_view path, int64_t watcher, WatchMode mode) {
  auto it = by_path_.find(path);
  if (it == by_path_.end()) it = by_path_.emplace(std::string(path), Watchers{}).first;
  auto [entry, inserted] = it->second.try_emplace(watcher, 0);
  if (inserted) {
    by_watcher_[watcher].insert(std::string_view(it->first));
    ++total_;
  }
  if (entry->second & Bit(mode)) return false;
  entry->second |= Bit(mode);
  if (mode == WatchMode::kPersistentRecursive) ++recursive_count_;
  return true;
}

std::vector<int64_t> WatchManager::Trigger(std::string_view path, EventType type) {
  std::vector<int64_t> fired;
  TriggerPath(path, /*at_ancestor=*/false, &fired);
  // Recursive watches see data events below them, never child-list changes.
  if (recursive_count_ > 0 && type != EventType::kNodeChildrenChanged) {
    // Ancestors from the parent up to the root: "/a/b" -> "/a" -> "/".
    std::string_view ancestor = path;
    while (ancestor.size() > 1) {
      size_t slash = ancestor.rfind('/');
      if (slash == std::string_view::npos) break;
      ancestor = ancestor.substr(0, slash == 0 ? 1 : slash);
      TriggerPath(ancestor, /*at_ancestor=*/true, &fired);
    }
  }
  std::sort(fired.begin(), fired.end());
  fired.erase(std::unique(fired.begin(), fired.end()), fired.end());
  return fired;
}

void WatchManager::TriggerPath(std::string_view path, bool at_ancestor,
                               std::vector<int64_t>* fired) {
  auto it = by_path_.find(path);
  if (it == by_path_.end()) return;
  Watchers& watchers = it->second;
  for (auto w = watchers.begin(); w != watchers.end();) {
    if (at_ancestor) {
      if (w->second & kRecursiveBit) fired->push_back(w->first);
      ++w;
      continue;
    }
    fired->push_back(w->first);
    w->second &= static_cast<uint8_t>(~Bit(WatchMode::kStandard));
    if (w->second != 0) {
      ++w;
      continue;
    }
    // The watcher's entry stays even if now empty, as ZooKeeper's does.
    by_watcher_[w->first].erase(std::string_view(it->first));
    w = watchers.erase(w);
    --total_;
  }
  if (watchers.empty()) by_path_.erase(it);
}

bool WatchManager::Contains(std::string_view path, int64_t watcher,
                            std::optional<WatchMode> mode) const {
  auto it = by_path_.find(path);
  if (it == by_path_.end()) return false;
  auto w = it->second.find(watcher);
  if (w == it->second.end()) return false;
  return !mode || (w->second & Bit(*mode)) != 0;
}

uint8_t WatchManager::Unwatch(PathTable::iterator it, int64_t watcher, bool drop_empty_watcher) {
  auto w = it->second.find(watcher);
  uint8_t modes = w->second;
  it->second.erase(w);
  --total_;
  if (modes & kRecursiveBit) --recursive_count_;
  auto paths = by_watcher_.find(watcher);
  paths->second.erase(std::string_view(it->first));
  if (drop_empty_watcher && paths->second.empty()) by_watcher_.erase(paths);
  if (it->second.empty()) by_path_.erase(it);
  return modes;
}

bool WatchManager::Remove(std::string_view path, int64_t watcher, std::optional<WatchMode> mode) {
  auto it = by_path_.find(path);
  if (it == by_path_.end()) return false;
  auto w = it->second.find(watcher);
  if (w == it->second.end()) return false;
  if (!mode) {
    Unwatch(it, watcher, /*drop_empty_watcher=*/true);
    return true;
  }
  uint8_t bit = Bit(*mode);
  if ((w->second & bit) == 0) return false;
  if (w->second == bit) {
    Unwatch(it, watcher, /*drop_empty_watcher=*/true);
    return true;
  }
  w->second &= static_cast<uint8_t>(~bit);
  if (bit == kRecursiveBit) --recursive_count_;
  return true;
}

void WatchManager::RemoveWatcher(int64_t watcher) {
  auto paths = by_watcher_.find(watcher);
  if (paths == by_watcher_.end()) return;
  for (std::string_view path : paths->second) {
    auto it = by_path_.find(path);
    auto w = it->second.find(watcher);
    if (w->second & kRecursiveBit) --recursive_count_;
    it->second.erase(w);
    --total_;
    if (it->second.empty()) by_path_.erase(it);
  }
  by_watcher_.erase(paths);
}

WatchesSummary WatchManager::Summary() const {
  return WatchesSummary{by_watcher_.size(), by_path_.size(), total_};
}

std::map<int64_t, std::vector<std::string>> WatchManager::BySession() const {
  std::map<int64_t, std::vector<std::string>> out;
  for (const auto& [watcher, paths] : by_watcher_) {
    std::vector<std::string>& list = out[watcher];
    list.assign(paths.begin(), paths.end());
    std::sort(list.begin(), list.end());
  }
  return out;
}

std::map<std::string, std::vector<int64_t>> WatchManager::ByPath() const {
  std::map<std::string, std::vector<int64_t>> out;
  for (const auto& [path, watchers] : by_path_) {
    std::vector<int64_t>& list = out[path];
    for (const auto& [watcher, modes] : watchers) list.push_back(watcher);
    std::sort(list.begin(), list.end());
  }
  return out;
}

std::string WatchManager::SummaryText() const {
  WatchesSummary s = Summary();
  return std::to_string(s.connections) + " connections watching " + std::to_string(s.paths) +
         " paths\nTotal watches:" + std::to_string(s.total);
}

std::string WatchManager::DumpText(bool by_path) const {
  // Appends piecewise: GCC 12 mis-warns (-Wrestrict) on "\t" + s + "\n".
  auto line = [](std::string* out, std::string_view indent, std::string_view text) {
    out->append(indent).append(text).push_back('\n');
  };
  std::string out;
  if (by_path) {
    for (const auto& [path, watchers] : ByPath()) {
      line(&out, "", path);
      for (int64_t watcher : watchers) line(&out, "\t", SessionHex(watcher));
    }
  } else {
    for (const auto& [watcher, paths] : BySession()) {
      line(&out, "", SessionHex(watcher));
      for (const std::string& path : paths) line(&out, "\t", path);
    }
  }
  return out;
}

}  // namespace zk::tree
