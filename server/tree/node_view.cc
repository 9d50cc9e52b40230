#include "server/tree/node_view.h"

namespace zk::tree {

data::Stat NodeView::stat() const {
  data::Stat s;
  s.czxid = fields_.czxid;
  s.mzxid = fields_.mzxid;
  s.ctime = fields_.ctime;
  s.mtime = fields_.mtime;
  s.version = fields_.version;
  // ZooKeeper stores the count of child creations; every child no longer
  // present was also deleted, so changes = 2 * creations - present. The
  // arithmetic wraps as Java's int does.
  uint32_t changes = 2u * static_cast<uint32_t>(fields_.cversion) - fields_.num_children;
  s.cversion = static_cast<int32_t>(changes);
  s.aversion = fields_.aversion;
  s.ephemeralOwner = ephemeral_kind() == EphemeralKind::kNormal ? fields_.ephemeral_owner : 0;
  s.dataLength = data_length();
  s.numChildren = num_children();
  s.pzxid = fields_.pzxid;
  return s;
}

data::StatPersisted NodeView::persisted_stat() const {
  data::StatPersisted s;
  s.czxid = fields_.czxid;
  s.mzxid = fields_.mzxid;
  s.ctime = fields_.ctime;
  s.mtime = fields_.mtime;
  s.version = fields_.version;
  s.cversion = fields_.cversion;
  s.aversion = fields_.aversion;
  s.ephemeralOwner = fields_.ephemeral_owner;
  s.pzxid = fields_.pzxid;
  return s;
}

}  // namespace zk::tree
