// Node state as the prep stage sees it: the data tree plus the changes of
// transactions already proposed but not yet applied (ZooKeeper's outstanding
// changes). Validating against this, rather than the tree alone, lets many
// writes be in flight at once and still each see its predecessors.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "jute/zookeeper.h"

namespace zk::tree {
class DataTree;
}

namespace zk::pipeline {

// The fields prep decides on. cversion is raw, as the tree keeps it: the
// number of child creations, which names sequential children.
struct NodeRecord {
  int32_t version = 0;
  int32_t cversion = 0;
  int32_t aversion = 0;
  int64_t ephemeral_owner = 0;
  int32_t child_count = 0;
  std::vector<data::ACL> acl;
};

class PendingChanges {
 public:
  explicit PendingChanges(const tree::DataTree* tree) : tree_(tree) {}
  PendingChanges(const PendingChanges&) = delete;
  PendingChanges& operator=(const PendingChanges&) = delete;

  // The node at `path`, or nullopt when it does not exist (or a pending delete removed it).
  std::optional<NodeRecord> Lookup(const std::string& path) const;

  // Records the state `path` will have once transaction `zxid` applies;
  // nullopt records a deletion.
  void Record(int64_t zxid, const std::string& path, std::optional<NodeRecord> node);

  // Forgets changes of transactions up to and including `zxid`: the tree has them now.
  void Applied(int64_t zxid);

  // Forgets every pending change: what was proposed will never apply (a new
  // leader's history replaces it).
  void Reset() {
    latest_.clear();
    log_.clear();
    staging_ = false;
    staged_.clear();
  }

  // A multi's changes are staged: its later ops see its earlier ones, and the
  // whole set is kept or dropped together.
  void BeginStage() { staging_ = true; }
  void CommitStage();
  void DiscardStage();

 private:
  struct Change {
    int64_t zxid;
    std::optional<NodeRecord> node;
  };
  const tree::DataTree* tree_;
  std::unordered_map<std::string, Change> latest_;   // path -> newest pending change
  std::deque<std::pair<int64_t, std::string>> log_;  // (zxid, path) in proposal order
  bool staging_ = false;
  std::vector<std::pair<std::string, Change>> staged_;  // in the order they were made
};

}  // namespace zk::pipeline
