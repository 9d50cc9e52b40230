// The replicated state machine's data: every znode, the ephemerals of each
// session, and the watches on them, with ZooKeeper's DataTree semantics.
//
// Writes are applied in zxid order by the apply stage; the checks a client
// request needs (versions, ACLs, ephemeral parents) happen earlier, in prep,
// so the write methods here only refuse what would corrupt the tree. After
// each write the tree fires watches exactly where ZooKeeper does and hands
// each fired watch to the listener the server installed.
//
// The tree starts as ZooKeeper's does: "/", "/zookeeper", "/zookeeper/quota"
// and "/zookeeper/config", all with zero stats and empty data, open ACLs
// except /zookeeper/config (world:anyone read, aversion -1).
//
// Thread-safety: none. One thread owns the tree; listeners run on it and must
// not call back into the tree.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "jute/zookeeper.h"
#include "protocol/errors.h"
#include "protocol/opcodes.h"
#include "server/tree/acl_cache.h"
#include "server/tree/ephemeral_type.h"
#include "server/tree/node_store.h"
#include "server/tree/node_view.h"
#include "server/tree/watch_manager.h"

namespace zk::tree {

// The watch a read (or addWatch) asks for.
enum class WatchKind {
  kData,                 // getData / exists: one-shot, on the data-watch manager
  kChild,                // getChildren: one-shot, on the child-watch manager
  kPersistent,           // addWatch mode 0: both managers, persistent
  kPersistentRecursive,  // addWatch mode 1: data manager only, recursive
};

// The kind an addWatch request's mode asks for (AddWatchMode: 0 persistent,
// 1 persistent recursive); nullopt for any other mode.
std::optional<WatchKind> WatchKindFromAddWatchMode(int32_t mode);

// Watcher.WatcherType of checkWatches / removeWatches requests.
enum class WatcherType : int32_t {
  kChildren = 1,
  kData = 2,
  kAny = 3,
  kPersistent = 4,
  kPersistentRecursive = 5,
};

// One fired watch, for the server to send as a notification.
struct WatchEvent {
  int64_t watcher = 0;  // session id
  EventType type = EventType::kNone;
  std::string_view path;  // the changed node, which may be below a recursive watch
  int64_t zxid = -1;      // of the change; -1 for events raised by SetWatches
  // ACL of the node the event is about (of the parent for NodeChildrenChanged);
  // null when the node no longer exists. ZooKeeper delivers an event only to a
  // session allowed to READ under this ACL (null: always).
  const std::vector<data::ACL>* acl = nullptr;
};
using WatchListener = std::function<void(const WatchEvent&)>;

struct DataTreeOptions {
  // zookeeper.extendedTypesEnabled: whether ephemeralOwner can encode TTLs.
  bool extended_types_enabled = false;
  // zookeeper.enforceQuota: CheckQuota refuses changes past a hard limit.
  bool enforce_quota = false;
};

class DataTree {
 public:
  // Sorted paths, searchable by string_view.
  using PathSet = std::set<std::string, std::less<>>;

  explicit DataTree(DataTreeOptions options = {});
  DataTree(const DataTree&) = delete;
  DataTree& operator=(const DataTree&) = delete;

  // ---- Writes (the apply stage) ----

  // Adds a node. The parent's cversion becomes `parent_cversion` (its
  // cversion + 1 when -1) and its pzxid `zxid`, but only if that raises the
  // cversion, as ZooKeeper does so that replaying a txn never moves a parent
  // back. The node gets czxid = mzxid = pzxid = zxid and ctime = mtime = time.
  // `ephemeral_owner` is the raw owner: a session id, kContainerOwner, a TTL
  // owner, or 0. Errors: kNoNode (no parent), kNodeExists, kBadArguments
  // (malformed path).
  Err CreateNode(std::string_view path, std::string_view data, const std::vector<data::ACL>& acl,
                 int64_t ephemeral_owner, int32_t parent_cversion, int64_t zxid, int64_t time,
                 data::Stat* out = nullptr, bool data_null = false);

  // Removes a node. The parent's pzxid becomes `zxid` if that raises it --
  // even when the node is already gone, as ZooKeeper does for replays over a
  // fuzzy snapshot. Errors: kNoNode, kNotEmpty (the node has children),
  // kBadArguments (the root or a malformed path).
  Err DeleteNode(std::string_view path, int64_t zxid);

  // Replaces the data; version = `version`, mzxid = `zxid`, mtime = `time`.
  // `data_null` (with empty data) stores null data, which reads back as null.
  Err SetData(std::string_view path, std::string_view data, int32_t version, int64_t zxid,
              int64_t time, data::Stat* out = nullptr, bool data_null = false);

  // Replaces the ACL; aversion = `aversion`. Fires no watch.
  Err SetAcl(std::string_view path, const std::vector<data::ACL>& acl, int32_t aversion,
             data::Stat* out = nullptr);

  // Sets cversion (its value + 1 when -1) and pzxid, only if that raises the
  // cversion. For replaying a create that finds its node already there.
  Err SetCversionPzxid(std::string_view path, int32_t cversion, int64_t zxid);

  // Deletes the paths of a closeSession txn, then any ephemeral the session
  // still owns (ZooKeeper's killSession). Missing paths are skipped.
  void KillSession(int64_t session, int64_t zxid, const std::vector<std::string>& paths = {});

  // ---- Reads ----

  std::optional<NodeView> Find(std::string_view path) const;
  bool Exists(std::string_view path) const { return nodes_.Find(path) != kNoId; }

  // Each returns kNoNode for a missing node. Out-pointers may be null.
  Err GetStat(std::string_view path, data::Stat* stat) const;
  Err GetData(std::string_view path, std::string* data, data::Stat* stat,
              bool* data_null = nullptr) const;
  Err GetAcl(std::string_view path, std::vector<data::ACL>* acl, data::Stat* stat) const;
  // Child names in creation order (ZooKeeper promises no order).
  Err GetChildren(std::string_view path, std::vector<std::string>* names, data::Stat* stat) const;
  // Calls fn(name) for each child without copying the list.
  Err ForEachChild(std::string_view path, const std::function<void(std::string_view)>& fn) const;
  // Number of nodes below `path` (getAllChildrenNumber).
  Err CountDescendants(std::string_view path, int32_t* count) const;

  // ---- Ephemerals ----

  // Paths of the session's ephemeral nodes, sorted. A copy: safe to delete
  // while iterating.
  std::vector<std::string> EphemeralPaths(int64_t session) const;
  // Sessions owning at least one ephemeral node, ascending.
  std::vector<int64_t> SessionsWithEphemerals() const;
  const PathSet& containers() const { return containers_; }
  const PathSet& ttls() const { return ttls_; }
  // The ephemerals section of the `dump` four-letter word.
  std::string DumpEphemerals() const;

  // ---- Counts for monitoring ----

  // Znodes, counting the root and the system nodes once each.
  size_t NodeCount() const { return nodes_.size(); }
  // zk_znode_count as ZooKeeper reports it: its node map holds the root twice.
  size_t ReportedNodeCount() const { return nodes_.size() + 1; }
  size_t EphemeralCount() const { return ephemeral_count_; }
  // Sum over nodes of path length + data length (approximateDataSize).
  int64_t ApproximateDataSize() const { return approximate_data_size_; }
  size_t AclCount() const { return acls_.size(); }
  // zk_watch_count: data plus child watches.
  size_t WatchCount() const { return data_watches_.size() + child_watches_.size(); }

  // ---- Watches ----

  void SetWatchListener(WatchListener listener) { listener_ = std::move(listener); }

  // Registers a watch; no node needs to exist. Returns false if already held.
  bool AddWatch(std::string_view path, int64_t watcher, WatchKind kind);
  // checkWatches / removeWatches, as ZooKeeper's containsWatcher / removeWatch.
  bool ContainsWatch(std::string_view path, int64_t watcher, WatcherType type) const;
  bool RemoveWatch(std::string_view path, int64_t watcher, WatcherType type);
  // Drops every watch of a watcher (its connection went away).
  void RemoveWatches(int64_t watcher);
  // Re-registers a reconnecting client's watches, first firing those whose
  // node changed after `relative_zxid` (ZooKeeper's setWatches).
  void SetWatches(int64_t relative_zxid, const std::vector<std::string>& data_paths,
                  const std::vector<std::string>& exist_paths,
                  const std::vector<std::string>& child_paths,
                  const std::vector<std::string>& persistent_paths,
                  const std::vector<std::string>& recursive_paths, int64_t watcher);
  // Sends one event straight to the listener (zxid -1, ACL of the node if any).
  void Notify(int64_t watcher, EventType type, std::string_view path);

  // The four-letter words report the data watches only, as ZooKeeper does.
  const WatchManager& data_watches() const { return data_watches_; }
  const WatchManager& child_watches() const { return child_watches_; }

  // ---- Snapshots ----

  // Visits every node, parents before children, children in creation order.
  // `fn` must not change the tree.
  void ForEachNode(const std::function<void(const NodeView&)>& fn) const;

  // Loads one node of a snapshot: overwrites it if present (keeping its
  // children), otherwise adds it under its existing parent without touching
  // the parent's stat. `data_null` (with empty data) restores null data.
  // Errors: kNoNode (no parent), kBadArguments.
  Err RestoreNode(std::string_view path, std::string_view data, const std::vector<data::ACL>& acl,
                  const data::StatPersisted& stat, bool data_null = false);

  // Call once every node is restored: rebuilds the quota bookkeeping from
  // the zookeeper_limits nodes and recounts each zookeeper_stats node.
  void FinishRestore();

  // Back to the initial four nodes; ephemerals, ACLs and quotas go too.
  // Watches and the listener stay.
  void Reset();

  // ---- Quotas ----
  //
  // A quota on P is the node /zookeeper/quota/P/zookeeper_limits. Like
  // ZooKeeper, the tree keeps /zookeeper/quota/P/zookeeper_stats ("count=N,
  // bytes=M") current as nodes under P come, go and change size, writing its
  // data without touching its stat. Enforcing hard limits is prep's job.

  // The deepest path with a quota that is `path` or one of its ancestors
  // (the root never has one); nullopt if none.
  std::optional<std::string> QuotaPrefix(std::string_view path) const;

  // ZooKeeperServer.checkQuota for a create (count_diff 1) or a data change
  // under `path`: against the deepest quota over it and its current stats,
  // a result past a soft limit (count=, bytes=) logs a warning, one past a
  // hard limit (countHardLimit=, byteHardLimit=, which win over the soft
  // ones) is kQuotaExceeded. Always kOk unless enforce_quota is set.
  Err CheckQuota(std::string_view path, int64_t bytes_diff, int64_t count_diff) const;

 private:
  NodeFields Load(NodeId id) const { return znode::Fields(nodes_.Get(id)); }
  void Save(NodeId id, const NodeFields& fields, const std::string_view* data = nullptr);
  NodeView View(NodeId id) const {
    return NodeView(nodes_.Get(id), &acls_, options_.extended_types_enabled);
  }
  // Adds a node as the last child of `parent` (whose fields the caller saves).
  NodeId AddChild(NodeId parent, NodeFields* parent_fields, NodeFields child, std::string_view path,
                  std::string_view data);
  void TrackOwner(std::string_view path, int64_t owner);
  void UntrackOwner(std::string_view path, int64_t owner);
  void CreateSystemNodes();
  // Quota bookkeeping after a create, delete or data change (quota.cc).
  void QuotaAfterCreate(std::string_view path, std::string_view parent_path, std::string_view name,
                        int64_t bytes);
  void QuotaAfterDelete(std::string_view path, std::string_view parent_path, std::string_view name,
                        int64_t bytes);
  void QuotaAfterSetData(std::string_view path, int64_t bytes_diff);
  void AdjustQuotaStats(std::string_view quota_path, int64_t bytes_diff, int64_t count_diff);
  void RecountQuota(std::string_view quota_path);
  void ReplaceDataOnly(std::string_view path, std::string_view data);
  // Triggers `manager` and hands each fired watcher not in `suppress` to the
  // listener. Returns every fired watcher.
  std::vector<int64_t> Fire(WatchManager& manager, std::string_view path, EventType type,
                            int64_t zxid, const std::vector<data::ACL>* acl,
                            const std::vector<int64_t>* suppress = nullptr);

  DataTreeOptions options_;
  NodeStore nodes_;
  AclCache acls_;
  NodeId root_ = kNoId;
  std::unordered_map<int64_t, PathSet> ephemerals_;
  PathSet containers_;
  PathSet ttls_;
  PathSet quota_paths_;  // paths with a zookeeper_limits node
  size_t ephemeral_count_ = 0;
  int64_t approximate_data_size_ = 0;
  WatchManager data_watches_;
  WatchManager child_watches_;
  WatchListener listener_;
};

// Splits "/a/b" into "/a" and "b", "/a" into "/" and "a". False for the root
// and for paths that do not start with '/' or end with one.
bool SplitPath(std::string_view path, std::string_view* parent, std::string_view* name);

}  // namespace zk::tree
