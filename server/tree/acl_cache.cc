#include "server/tree/acl_cache.h"

#include <glog/logging.h>

#include <functional>
#include <string_view>

namespace zk::tree {

uint64_t AclCache::Hash(const std::vector<data::ACL>& acl) {
  std::hash<std::string_view> hash_string;
  uint64_t h = acl.size();
  auto mix = [&h](uint64_t v) { h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2); };
  for (const data::ACL& entry : acl) {
    mix(static_cast<uint32_t>(entry.perms));
    mix(hash_string(entry.id.scheme));
    mix(hash_string(entry.id.id));
  }
  return h;
}

AclId AclCache::Intern(const std::vector<data::ACL>& acl) {
  uint64_t hash = Hash(acl);
  auto [begin, end] = by_hash_.equal_range(hash);
  for (auto it = begin; it != end; ++it) {
    Entry& entry = entries_[it->second];
    if (entry.acl == acl) {
      ++entry.refs;
      return it->second;
    }
  }
  AclId id;
  if (!free_ids_.empty()) {
    id = free_ids_.back();
    free_ids_.pop_back();
  } else {
    id = static_cast<AclId>(entries_.size());
    entries_.emplace_back();
  }
  Entry& entry = entries_[id];
  entry.acl = acl;
  entry.hash = hash;
  entry.refs = 1;
  by_hash_.emplace(hash, id);
  ++live_;
  return id;
}

void AclCache::AddRef(AclId id) {
  CHECK(Contains(id)) << "ACL id " << id << " is not live";
  ++entries_[id].refs;
}

void AclCache::Release(AclId id) {
  CHECK(Contains(id)) << "ACL id " << id << " is not live";
  Entry& entry = entries_[id];
  if (--entry.refs > 0) return;
  auto [begin, end] = by_hash_.equal_range(entry.hash);
  for (auto it = begin; it != end; ++it) {
    if (it->second == id) {
      by_hash_.erase(it);
      break;
    }
  }
  entry.acl = {};
  free_ids_.push_back(id);
  --live_;
}

void AclCache::Clear() {
  entries_.clear();
  free_ids_.clear();
  by_hash_.clear();
  live_ = 0;
}

const std::vector<data::ACL>& AclCache::Get(AclId id) const {
  CHECK(Contains(id)) << "ACL id " << id << " is not live";
  return entries_[id].acl;
}

}  // namespace zk::tree
