#include "server/pipeline/pending_changes.h"

#include "server/tree/data_tree.h"

namespace zk::pipeline {
namespace {

std::optional<NodeRecord> LoadNodeRecord(const tree::DataTree& tree, const std::string& path) {
  std::optional<tree::NodeView> view = tree.Find(path);
  if (!view) return std::nullopt;
  NodeRecord record;
  record.version = view->version();
  record.cversion = view->cversion();
  record.aversion = view->aversion();
  record.ephemeral_owner = view->ephemeral_owner();
  record.child_count = view->num_children();
  record.acl = view->acl();
  return record;
}

}  // namespace

std::optional<NodeRecord> PendingChanges::Lookup(const std::string& path) const {
  if (auto it = latest_.find(path); it != latest_.end()) return it->second.node;
  return LoadNodeRecord(*tree_, path);
}

void PendingChanges::Record(int64_t zxid, const std::string& path,
                            std::optional<NodeRecord> node) {
  latest_[path] = Change{zxid, std::move(node)};
  log_.emplace_back(zxid, path);
}

void PendingChanges::Applied(int64_t zxid) {
  while (!log_.empty() && log_.front().first <= zxid) {
    auto it = latest_.find(log_.front().second);
    // Only the newest change of a path is kept; drop it once its own txn is applied.
    if (it != latest_.end() && it->second.zxid <= zxid) latest_.erase(it);
    log_.pop_front();
  }
}

}  // namespace zk::pipeline
