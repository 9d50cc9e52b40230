// Interned, reference-counted ACL lists (ZooKeeper's ReferenceCountedACLCache).
//
// Most znodes share a handful of ACL lists, so each node stores a 4-byte id
// instead of its own copy. Lists are compared in order, as ZooKeeper does: the
// same entries in another order are another list.
//
// Thread-safety: none; owned by the data tree's thread.
#pragma once

#include <cstdint>
#include <deque>
#include <unordered_map>
#include <vector>

#include "jute/zookeeper.h"

namespace zk::tree {

using AclId = uint32_t;

class AclCache {
 public:
  AclCache() = default;
  AclCache(const AclCache&) = delete;
  AclCache& operator=(const AclCache&) = delete;

  // Returns the id of `acl`, adding it if new, and takes one reference on it.
  AclId Intern(const std::vector<data::ACL>& acl);

  // Takes one more reference on an id already held.
  // REQUIRES: `id` is live.
  void AddRef(AclId id);

  // Drops one reference; the list is forgotten when none remain.
  // REQUIRES: `id` is live.
  void Release(AclId id);

  // REQUIRES: `id` is live. The reference stays valid until the id is released
  // for the last time (entries never move).
  const std::vector<data::ACL>& Get(AclId id) const;

  bool Contains(AclId id) const { return id < entries_.size() && entries_[id].refs > 0; }
  // References held on `id`, 0 if it is not live.
  uint32_t RefCount(AclId id) const { return Contains(id) ? entries_[id].refs : 0; }
  // Forgets every list.
  void Clear();

  // Number of distinct live lists.
  size_t size() const { return live_; }

  // Calls fn(id, acl, refs) for every live list, in id order.
  template <class Fn>
  void ForEach(Fn&& fn) const {
    for (AclId id = 0; id < entries_.size(); ++id) {
      if (entries_[id].refs > 0) fn(id, entries_[id].acl, entries_[id].refs);
    }
  }

 private:
  struct Entry {
    std::vector<data::ACL> acl;
    uint64_t hash = 0;
    uint32_t refs = 0;
  };

  static uint64_t Hash(const std::vector<data::ACL>& acl);

  std::deque<Entry> entries_;  // indexed by id; a deque so references stay put
  std::vector<AclId> free_ids_;
  std::unordered_multimap<uint64_t, AclId> by_hash_;
  size_t live_ = 0;
};

}  // namespace zk::tree
