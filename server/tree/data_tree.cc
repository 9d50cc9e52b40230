#include "server/tree/data_tree.h"

#include <glog/logging.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>

namespace zk::tree {
namespace {

constexpr std::string_view kRootPath = "/";
constexpr std::string_view kProcPath = "/zookeeper";
constexpr std::string_view kQuotaPath = "/zookeeper/quota";
constexpr std::string_view kConfigPath = "/zookeeper/config";

data::ACL WorldAcl(int32_t perms) {
  data::ACL acl;
  acl.perms = perms;
  acl.id.scheme = "world";
  acl.id.id = "anyone";
  return acl;
}

int64_t NodeSize(std::string_view path, std::string_view data) {
  return static_cast<int64_t>(path.size() + data.size());
}

bool ErasePath(DataTree::PathSet* set, std::string_view path) {
  auto it = set->find(path);
  if (it == set->end()) return false;
  set->erase(it);
  return true;
}

}  // namespace

bool SplitPath(std::string_view path, std::string_view* parent, std::string_view* name) {
  if (path.size() < 2 || path.front() != '/' || path.back() == '/') return false;
  size_t slash = path.rfind('/');
  *parent = slash == 0 ? path.substr(0, 1) : path.substr(0, slash);
  *name = path.substr(slash + 1);
  return true;
}

DataTree::DataTree(DataTreeOptions options) : options_(options) { CreateSystemNodes(); }

void DataTree::CreateSystemNodes() {
  NodeFields root;
  root.acl_id = acls_.Intern({WorldAcl(perms::kAll)});
  root_ = nodes_.Add(znode::Create(root, kRootPath, {}));
  approximate_data_size_ = NodeSize(kRootPath, {});

  NodeFields proc;
  proc.acl_id = acls_.Intern({WorldAcl(perms::kAll)});
  NodeId proc_id = AddChild(root_, &root, proc, kProcPath, {});
  Save(root_, root);

  NodeFields quota;
  quota.acl_id = acls_.Intern({WorldAcl(perms::kAll)});
  AddChild(proc_id, &proc, quota, kQuotaPath, {});
  // The reconfig node is readable by all and writable by none (ZOOKEEPER-2014);
  // ZooKeeper sets its ACL with version -1, which leaves aversion at -1.
  NodeFields config;
  config.acl_id = acls_.Intern({WorldAcl(perms::kRead)});
  config.aversion = -1;
  AddChild(proc_id, &proc, config, kConfigPath, {});
  Save(proc_id, proc);
}

void DataTree::Reset() {
  nodes_.Clear();
  acls_.Clear();
  ephemerals_.clear();
  containers_.clear();
  ttls_.clear();
  quota_paths_.clear();
  ephemeral_count_ = 0;
  approximate_data_size_ = 0;
  CreateSystemNodes();
}

void DataTree::Save(NodeId id, const NodeFields& fields, const std::string_view* data) {
  Znode* node = nodes_.Get(id);
  Znode* updated = znode::Update(node, fields, data);
  if (updated != node) nodes_.Replace(id, updated);
}

NodeId DataTree::AddChild(NodeId parent, NodeFields* parent_fields, NodeFields child,
                          std::string_view path, std::string_view data) {
  child.prev_sibling = parent_fields->last_child;
  child.next_sibling = kNoId;
  NodeId id = nodes_.Add(znode::Create(child, path, data));
  if (parent_fields->last_child != kNoId) {
    znode::SetNextSibling(nodes_.Get(parent_fields->last_child), id);
  } else {
    parent_fields->first_child = id;
  }
  parent_fields->last_child = id;
  ++parent_fields->num_children;
  approximate_data_size_ += NodeSize(path, data);
  TrackOwner(path, child.ephemeral_owner);
  return id;
}

void DataTree::TrackOwner(std::string_view path, int64_t owner) {
  switch (ClassifyOwner(owner, options_.extended_types_enabled)) {
    case EphemeralKind::kVoid:
      return;
    case EphemeralKind::kContainer:
      containers_.emplace(path);
      return;
    case EphemeralKind::kTtl:
      ttls_.emplace(path);
      return;
    case EphemeralKind::kNormal:
    case EphemeralKind::kInvalid:
      if (ephemerals_[owner].emplace(path).second) ++ephemeral_count_;
      return;
  }
}

void DataTree::UntrackOwner(std::string_view path, int64_t owner) {
  switch (ClassifyOwner(owner, options_.extended_types_enabled)) {
    case EphemeralKind::kVoid:
      return;
    case EphemeralKind::kContainer:
      ErasePath(&containers_, path);
      return;
    case EphemeralKind::kTtl:
      ErasePath(&ttls_, path);
      return;
    case EphemeralKind::kNormal:
    case EphemeralKind::kInvalid: {
      auto it = ephemerals_.find(owner);
      if (it == ephemerals_.end()) return;
      if (ErasePath(&it->second, path)) --ephemeral_count_;
      // Unlike ZooKeeper, a session whose last ephemeral went leaves no empty entry.
      if (it->second.empty()) ephemerals_.erase(it);
      return;
    }
  }
}

Err DataTree::CreateNode(std::string_view path, std::string_view data,
                         const std::vector<data::ACL>& acl, int64_t ephemeral_owner,
                         int32_t parent_cversion, int64_t zxid, int64_t time, data::Stat* out,
                         bool data_null) {
  std::string_view parent_path, name;
  if (!SplitPath(path, &parent_path, &name)) {
    return path == kRootPath ? Err::kNodeExists : Err::kBadArguments;
  }
  NodeId parent = nodes_.Find(parent_path);
  if (parent == kNoId) return Err::kNoNode;
  if (nodes_.Find(path) != kNoId) return Err::kNodeExists;

  NodeFields pf = Load(parent);
  if (parent_cversion == -1) {
    parent_cversion = static_cast<int32_t>(static_cast<uint32_t>(pf.cversion) + 1u);
  }
  if (parent_cversion > pf.cversion) {
    pf.cversion = parent_cversion;
    pf.pzxid = zxid;
  }
  NodeFields child;
  child.czxid = child.mzxid = child.pzxid = zxid;
  child.ctime = child.mtime = time;
  child.ephemeral_owner = ephemeral_owner;
  child.data_null = data_null && data.empty();
  child.acl_id = acls_.Intern(acl);
  NodeId id = AddChild(parent, &pf, child, path, data);
  Save(parent, pf);
  if (out != nullptr) *out = View(id).stat();
  QuotaAfterCreate(path, parent_path, name, static_cast<int64_t>(data.size()));

  Fire(data_watches_, path, EventType::kNodeCreated, zxid, &acls_.Get(child.acl_id));
  Fire(child_watches_, parent_path, EventType::kNodeChildrenChanged, zxid, &acls_.Get(pf.acl_id));
  return Err::kOk;
}

Err DataTree::DeleteNode(std::string_view path_arg, int64_t zxid) {
  // Own the path: the caller's view might point into the block freed below.
  const std::string path(path_arg);
  std::string_view parent_path, name;
  if (!SplitPath(path, &parent_path, &name)) return Err::kBadArguments;
  NodeId parent = nodes_.Find(parent_path);
  if (parent == kNoId) return Err::kNoNode;
  NodeId id = nodes_.Find(path);
  NodeFields f;
  if (id != kNoId) {
    f = Load(id);
    if (f.num_children > 0) return Err::kNotEmpty;
  }
  NodeFields pf = Load(parent);
  if (zxid > pf.pzxid) pf.pzxid = zxid;
  if (id == kNoId) {
    Save(parent, pf);
    return Err::kNoNode;
  }

  if (f.prev_sibling != kNoId) {
    znode::SetNextSibling(nodes_.Get(f.prev_sibling), f.next_sibling);
  } else {
    pf.first_child = f.next_sibling;
  }
  if (f.next_sibling != kNoId) {
    znode::SetPrevSibling(nodes_.Get(f.next_sibling), f.prev_sibling);
  } else {
    pf.last_child = f.prev_sibling;
  }
  --pf.num_children;
  Save(parent, pf);
  int64_t bytes = static_cast<int64_t>(znode::Data(nodes_.Get(id)).size());
  approximate_data_size_ -= static_cast<int64_t>(path.size()) + bytes;
  UntrackOwner(path, f.ephemeral_owner);
  nodes_.Remove(id);
  QuotaAfterDelete(path, parent_path, name, bytes);

  // The ACL reference is held until the events, which carry it, are out.
  const std::vector<data::ACL>* acl = &acls_.Get(f.acl_id);
  std::vector<int64_t> fired = Fire(data_watches_, path, EventType::kNodeDeleted, zxid, acl);
  Fire(child_watches_, path, EventType::kNodeDeleted, zxid, acl, &fired);
  Fire(child_watches_, parent_path, EventType::kNodeChildrenChanged, zxid, &acls_.Get(pf.acl_id));
  acls_.Release(f.acl_id);
  return Err::kOk;
}

Err DataTree::SetData(std::string_view path, std::string_view data, int32_t version, int64_t zxid,
                      int64_t time, data::Stat* out, bool data_null) {
  NodeId id = nodes_.Find(path);
  if (id == kNoId) return Err::kNoNode;
  NodeFields f = Load(id);
  f.data_null = data_null && data.empty();
  int64_t old_size = static_cast<int64_t>(znode::Data(nodes_.Get(id)).size());
  f.mtime = time;
  f.mzxid = zxid;
  f.version = version;
  int64_t diff = static_cast<int64_t>(data.size()) - old_size;
  Save(id, f, &data);
  // From here on `path` and `data` may dangle: the caller may have passed
  // views of this very node, whose block may just have moved.
  approximate_data_size_ += diff;
  if (out != nullptr) *out = View(id).stat();
  QuotaAfterSetData(View(id).path(), diff);
  Fire(data_watches_, View(id).path(), EventType::kNodeDataChanged, zxid, &acls_.Get(f.acl_id));
  return Err::kOk;
}

Err DataTree::SetAcl(std::string_view path, const std::vector<data::ACL>& acl, int32_t aversion,
                     data::Stat* out) {
  NodeId id = nodes_.Find(path);
  if (id == kNoId) return Err::kNoNode;
  NodeFields f = Load(id);
  AclId old_acl = f.acl_id;
  f.acl_id = acls_.Intern(acl);
  acls_.Release(old_acl);
  f.aversion = aversion;
  Save(id, f);
  if (out != nullptr) *out = View(id).stat();
  return Err::kOk;
}

Err DataTree::SetCversionPzxid(std::string_view path, int32_t cversion, int64_t zxid) {
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  NodeId id = nodes_.Find(path);
  if (id == kNoId) return Err::kNoNode;
  NodeFields f = Load(id);
  if (cversion == -1) cversion = static_cast<int32_t>(static_cast<uint32_t>(f.cversion) + 1u);
  if (cversion > f.cversion) {
    f.cversion = cversion;
    f.pzxid = zxid;
    Save(id, f);
  }
  return Err::kOk;
}

void DataTree::KillSession(int64_t session, int64_t zxid, const std::vector<std::string>& paths) {
  for (const std::string& path : paths) {
    Err err = DeleteNode(path, zxid);
    if (err != Err::kOk) {
      LOG(WARNING) << "Ignoring " << ErrName(err) << " deleting " << path << " of closed session 0x"
                   << std::hex << session;
    }
  }
  for (const std::string& path : EphemeralPaths(session)) {
    Err err = DeleteNode(path, zxid);
    if (err != Err::kOk) {
      LOG(WARNING) << "Ignoring " << ErrName(err) << " deleting ephemeral " << path
                   << " of closed session 0x" << std::hex << session;
    }
  }
}

std::optional<NodeView> DataTree::Find(std::string_view path) const {
  NodeId id = nodes_.Find(path);
  if (id == kNoId) return std::nullopt;
  return View(id);
}

Err DataTree::GetStat(std::string_view path, data::Stat* stat) const {
  NodeId id = nodes_.Find(path);
  if (id == kNoId) return Err::kNoNode;
  if (stat != nullptr) *stat = View(id).stat();
  return Err::kOk;
}

Err DataTree::GetData(std::string_view path, std::string* data, data::Stat* stat,
                      bool* data_null) const {
  NodeId id = nodes_.Find(path);
  if (id == kNoId) return Err::kNoNode;
  NodeView view = View(id);
  if (data != nullptr) data->assign(view.data());
  if (data_null != nullptr) *data_null = view.data_null();
  if (stat != nullptr) *stat = view.stat();
  return Err::kOk;
}

Err DataTree::GetAcl(std::string_view path, std::vector<data::ACL>* acl, data::Stat* stat) const {
  NodeId id = nodes_.Find(path);
  if (id == kNoId) return Err::kNoNode;
  NodeView view = View(id);
  if (acl != nullptr) *acl = view.acl();
  if (stat != nullptr) *stat = view.stat();
  return Err::kOk;
}

Err DataTree::GetChildren(std::string_view path, std::vector<std::string>* names,
                          data::Stat* stat) const {
  NodeId id = nodes_.Find(path);
  if (id == kNoId) return Err::kNoNode;
  NodeView view = View(id);
  if (stat != nullptr) *stat = view.stat();
  if (names == nullptr) return Err::kOk;
  names->clear();
  names->reserve(view.num_children());
  for (NodeId child = view.fields_.first_child; child != kNoId;) {
    const Znode* node = nodes_.Get(child);
    names->emplace_back(znode::Name(node));
    child = znode::NextSibling(node);
  }
  return Err::kOk;
}

Err DataTree::ForEachChild(std::string_view path,
                           const std::function<void(std::string_view)>& fn) const {
  NodeId id = nodes_.Find(path);
  if (id == kNoId) return Err::kNoNode;
  for (NodeId child = Load(id).first_child; child != kNoId;) {
    const Znode* node = nodes_.Get(child);
    fn(znode::Name(node));
    child = znode::NextSibling(node);
  }
  return Err::kOk;
}

Err DataTree::CountDescendants(std::string_view path, int32_t* count) const {
  NodeId id = nodes_.Find(path);
  if (id == kNoId) return Err::kNoNode;
  int64_t total = 0;
  if (id == root_) {
    total = static_cast<int64_t>(nodes_.size()) - 1;
  } else {
    std::vector<NodeId> pending{id};
    while (!pending.empty()) {
      NodeFields f = Load(pending.back());
      pending.pop_back();
      for (NodeId child = f.first_child; child != kNoId;
           child = znode::NextSibling(nodes_.Get(child))) {
        ++total;
        pending.push_back(child);
      }
    }
  }
  *count = static_cast<int32_t>(total);
  return Err::kOk;
}

std::vector<std::string> DataTree::EphemeralPaths(int64_t session) const {
  auto it = ephemerals_.find(session);
  if (it == ephemerals_.end()) return {};
  return {it->second.begin(), it->second.end()};
}

std::vector<int64_t> DataTree::SessionsWithEphemerals() const {
  std::vector<int64_t> sessions;
  sessions.reserve(ephemerals_.size());
  for (const auto& [session, paths] : ephemerals_) sessions.push_back(session);
  std::sort(sessions.begin(), sessions.end());
  return sessions;
}

std::string DataTree::DumpEphemerals() const {
  std::string out = "Sessions with Ephemerals (" + std::to_string(ephemerals_.size()) + "):\n";
  for (int64_t session : SessionsWithEphemerals()) {
    char hex[24];
    std::snprintf(hex, sizeof hex, "0x%" PRIx64 ":\n", static_cast<uint64_t>(session));
    out += hex;
    for (const std::string& path : ephemerals_.at(session)) {
      out.append("\t").append(path).push_back('\n');
    }
  }
  return out;
}

void DataTree::ForEachNode(const std::function<void(const NodeView&)>& fn) const {
  // Pre-order walk along the sibling links; `ancestors` holds the open parents.
  fn(View(root_));
  NodeId current = Load(root_).first_child;
  if (current == kNoId) return;
  std::vector<NodeId> ancestors{root_};
  while (true) {
    NodeView view = View(current);
    fn(view);
    if (view.fields_.first_child != kNoId) {
      ancestors.push_back(current);
      current = view.fields_.first_child;
      continue;
    }
    while (znode::NextSibling(nodes_.Get(current)) == kNoId) {
      current = ancestors.back();
      ancestors.pop_back();
      if (ancestors.empty()) return;
    }
    current = znode::NextSibling(nodes_.Get(current));
  }
}

Err DataTree::RestoreNode(std::string_view path, std::string_view data,
                          const std::vector<data::ACL>& acl, const data::StatPersisted& stat,
                          bool data_null) {
  NodeFields f;
  f.data_null = data_null && data.empty();
  f.czxid = stat.czxid;
  f.mzxid = stat.mzxid;
  f.pzxid = stat.pzxid;
  f.ctime = stat.ctime;
  f.mtime = stat.mtime;
  f.version = stat.version;
  f.cversion = stat.cversion;
  f.aversion = stat.aversion;
  f.ephemeral_owner = stat.ephemeralOwner;

  NodeId id = nodes_.Find(path);
  if (id != kNoId) {
    NodeFields old = Load(id);
    f.prev_sibling = old.prev_sibling;
    f.next_sibling = old.next_sibling;
    f.first_child = old.first_child;
    f.last_child = old.last_child;
    f.num_children = old.num_children;
    f.acl_id = acls_.Intern(acl);
    acls_.Release(old.acl_id);
    std::string owned_path(path);
    UntrackOwner(owned_path, old.ephemeral_owner);
    approximate_data_size_ += static_cast<int64_t>(data.size()) -
                              static_cast<int64_t>(znode::Data(nodes_.Get(id)).size());
    Save(id, f, &data);
    TrackOwner(owned_path, f.ephemeral_owner);
    return Err::kOk;
  }
  std::string_view parent_path, name;
  if (!SplitPath(path, &parent_path, &name)) return Err::kBadArguments;
  NodeId parent = nodes_.Find(parent_path);
  if (parent == kNoId) return Err::kNoNode;
  NodeFields pf = Load(parent);
  f.acl_id = acls_.Intern(acl);
  AddChild(parent, &pf, f, path, data);
  Save(parent, pf);
  return Err::kOk;
}

}  // namespace zk::tree
