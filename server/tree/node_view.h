// A read-only look at one znode of a DataTree.
//
// Valid until the next change to the tree (a block may move when it changes),
// so use it at once and keep copies of what must outlive that.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "jute/zookeeper.h"
#include "server/tree/acl_cache.h"
#include "server/tree/ephemeral_type.h"
#include "server/tree/znode.h"

namespace zk::tree {

class NodeView {
 public:
  std::string_view path() const { return znode::Path(node_); }
  std::string_view data() const { return znode::Data(node_); }

  // The Stat clients see, filled as ZooKeeper's DataNode.copyStat does:
  // dataLength and numChildren computed, cversion translated from creations
  // to changes (2 * cversion() - numChildren), and ephemeralOwner 0 for
  // containers and TTL nodes.
  data::Stat stat() const;

  // The raw persisted stat (snapshots, replication).
  data::StatPersisted persisted_stat() const;

  const std::vector<data::ACL>& acl() const { return acls_->Get(fields_.acl_id); }
  AclId acl_id() const { return fields_.acl_id; }

  int64_t czxid() const { return fields_.czxid; }
  int64_t mzxid() const { return fields_.mzxid; }
  int64_t pzxid() const { return fields_.pzxid; }
  int64_t ctime() const { return fields_.ctime; }
  int64_t mtime() const { return fields_.mtime; }
  int32_t version() const { return fields_.version; }
  // Raw: the number of child creations, which the prep stage bumps and names
  // sequential children after. Not Stat.cversion.
  int32_t cversion() const { return fields_.cversion; }
  int32_t aversion() const { return fields_.aversion; }
  // Raw: may encode a container or a TTL (see ephemeral_type.h).
  int64_t ephemeral_owner() const { return fields_.ephemeral_owner; }
  EphemeralKind ephemeral_kind() const {
    return ClassifyOwner(fields_.ephemeral_owner, extended_types_);
  }
  int32_t num_children() const { return static_cast<int32_t>(fields_.num_children); }
  int32_t data_length() const { return static_cast<int32_t>(data().size()); }
  bool data_null() const { return fields_.data_null; }

 private:
  friend class DataTree;
  NodeView(const Znode* node, const AclCache* acls, bool extended_types)
      : node_(node), fields_(znode::Fields(node)), acls_(acls), extended_types_(extended_types) {}

  const Znode* node_;
  NodeFields fields_;
  const AclCache* acls_;
  bool extended_types_;
};

}  // namespace zk::tree
