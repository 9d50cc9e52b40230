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
  for (auto it = staged_.rbegin(); it != staged_.rend(); ++it) {
    if (it->first == path) return it->second.node;
  }
  if (auto it = latest_.find(path); it != latest_.end()) return it->second.node;
  return LoadNodeRecord(*tree_, path);
}

void PendingChanges::Record(int64_t zxid, const std::string& path, std::optional<NodeRecord> node) {
  if (staging_) {
    staged_.emplace_back(path, Change{zxid, std::move(node)});
    return;
  }
  latest_[path] = Change{zxid, std::move(node)};
  log_.emplace_back(zxid, path);
}

void PendingChanges::CommitStage() {
  staging_ = false;
  for (auto& [path, change] : staged_) Record(change.zxid, path, std::move(change.node));
  staged_.clear();
}

void PendingChanges::DiscardStage() {
  staging_ = false;
  staged_.clear();
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
