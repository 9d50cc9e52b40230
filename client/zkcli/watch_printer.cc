#include "client/zkcli/watch_printer.h"

#include <vector>

namespace zk::cli {

client::Watcher WatchPrinter::Watch(Kind kind, const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!active_.insert({kind, path}).second) return [](const client::WatchedEvent&) {};
  return [this](const client::WatchedEvent& event) { OnEvent(event); };
}

void WatchPrinter::NotSet(Kind kind, const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  active_.erase({kind, path});
}

void WatchPrinter::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  active_.clear();
  pending_repeats_.clear();
}

void WatchPrinter::OnEvent(const client::WatchedEvent& event) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    const std::string& path = event.path;
    switch (event.type) {
      case EventType::kDataWatchRemoved: active_.erase({Kind::kData, path}); break;
      case EventType::kChildWatchRemoved: active_.erase({Kind::kChild, path}); break;
      case EventType::kPersistentWatchRemoved:
        active_.erase({Kind::kPersistent, path});
        active_.erase({Kind::kPersistentRecursive, path});
        break;
      default: {
        auto key = std::make_pair(event.type, path);
        auto repeat = pending_repeats_.find(key);
        if (repeat != pending_repeats_.end()) {
          if (--repeat->second == 0) pending_repeats_.erase(repeat);
          return;
        }
        // The printing watches this event triggers (Java's materialize rules).
        std::vector<std::pair<Kind, std::string>> hit;
        auto take = [&](Kind kind, const std::string& p) {
          if (active_.count({kind, p})) hit.emplace_back(kind, p);
        };
        bool children = event.type == EventType::kNodeChildrenChanged;
        if (!children) take(Kind::kData, path);
        if (children || event.type == EventType::kNodeDeleted) take(Kind::kChild, path);
        take(Kind::kPersistent, path);
        if (!children) {
          for (std::string p = path;;) {
            take(Kind::kPersistentRecursive, p);
            if (p == "/" || p.empty()) break;
            size_t slash = p.rfind('/');
            p = slash == 0 ? "/" : p.substr(0, slash);
          }
        }
        for (const auto& h : hit) {
          if (h.first == Kind::kData || h.first == Kind::kChild) active_.erase(h);
        }
        if (hit.size() > 1) pending_repeats_[key] = static_cast<int>(hit.size()) - 1;
      }
    }
  }
  print_(event);
}

}  // namespace zk::cli
