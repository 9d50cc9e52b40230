#include "server/tree/node_store.h"

#include <glog/logging.h>

#include <functional>

namespace zk::tree {
namespace {

constexpr size_t kMinBuckets = 16;

}  // namespace

NodeStore::~NodeStore() { Clear(); }

size_t NodeStore::Hash(std::string_view path) { return std::hash<std::string_view>{}(path); }

NodeId NodeStore::Find(std::string_view path) const {
  if (index_.empty()) return kNoId;
  for (size_t i = Hash(path) & mask_;; i = (i + 1) & mask_) {
    NodeId id = index_[i];
    if (id == kNoId) return kNoId;
    if (znode::Path(slots_[id]) == path) return id;
  }
}

NodeId NodeStore::Add(Znode* node) {
  // Keep the load factor at or below 3/4 so probe sequences stay short.
  if ((size_ + 1) * 4 > index_.size() * 3) Grow();
  NodeId id;
  if (!free_ids_.empty()) {
    id = free_ids_.back();
    free_ids_.pop_back();
    slots_[id] = node;
  } else {
    CHECK_LT(slots_.size(), static_cast<size_t>(kNoId)) << "too many znodes";
    id = static_cast<NodeId>(slots_.size());
    slots_.push_back(node);
  }
  InsertIntoIndex(id);
  ++size_;
  return id;
}

void NodeStore::InsertIntoIndex(NodeId id) {
  size_t i = Home(id);
  while (index_[i] != kNoId) i = (i + 1) & mask_;
  index_[i] = id;
}

void NodeStore::Grow() {
  size_t buckets = index_.empty() ? kMinBuckets : index_.size() * 2;
  index_.assign(buckets, kNoId);
  mask_ = buckets - 1;
  for (NodeId id = 0; id < slots_.size(); ++id) {
    if (slots_[id] != nullptr) InsertIntoIndex(id);
  }
}

void NodeStore::Remove(NodeId id) {
  size_t i = Home(id);
  while (index_[i] != id) {
    CHECK_NE(index_[i], kNoId) << "node " << id << " missing from the path index";
    i = (i + 1) & mask_;
  }
  // Backward-shift deletion: pull later members of the probe run into the
  // hole unless their home bucket lies cyclically in (hole, j].
  index_[i] = kNoId;
  for (size_t j = (i + 1) & mask_; index_[j] != kNoId; j = (j + 1) & mask_) {
    size_t home = Home(index_[j]);
    bool stays = i < j ? (home > i && home <= j) : (home > i || home <= j);
    if (stays) continue;
    index_[i] = index_[j];
    index_[j] = kNoId;
    i = j;
  }
  znode::Destroy(slots_[id]);
  slots_[id] = nullptr;
  free_ids_.push_back(id);
  --size_;
}

void NodeStore::Clear() {
  for (Znode* node : slots_) {
    if (node != nullptr) znode::Destroy(node);
  }
  slots_ = {};
  free_ids_ = {};
  index_ = {};
  mask_ = 0;
  size_ = 0;
}

}  // namespace zk::tree
