// Owns every znode block and finds one by full path in O(1), without walking
// the tree.
//
// Blocks live in a slot table indexed by NodeId; the path index is an
// open-addressing hash table of 4-byte NodeIds (linear probing, backward-shift
// deletion) whose keys are the paths stored inside the blocks themselves, so a
// path is kept exactly once.
//
// Thread-safety: none; owned by the data tree's thread.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "server/tree/znode.h"

namespace zk::tree {

class NodeStore {
 public:
  NodeStore() = default;
  ~NodeStore();
  NodeStore(const NodeStore&) = delete;
  NodeStore& operator=(const NodeStore&) = delete;

  // kNoId when no node has this path.
  NodeId Find(std::string_view path) const;

  // REQUIRES: `id` is live.
  Znode* Get(NodeId id) const { return slots_[id]; }

  // Points `id` at a block returned by znode::Update. REQUIRES: same path.
  void Replace(NodeId id, Znode* node) { slots_[id] = node; }

  // Takes ownership of `node` and returns its id.
  // REQUIRES: no live node has the same path.
  NodeId Add(Znode* node);

  // Forgets `id` and destroys its block. REQUIRES: `id` is live.
  void Remove(NodeId id);

  // Destroys every block.
  void Clear();

  size_t size() const { return size_; }

  // Heap bytes held by the slot table and index (not the blocks).
  size_t OverheadBytes() const {
    return slots_.capacity() * sizeof(Znode*) + free_ids_.capacity() * sizeof(NodeId) +
           index_.capacity() * sizeof(NodeId);
  }

 private:
  static size_t Hash(std::string_view path);
  size_t Home(NodeId id) const { return Hash(znode::Path(slots_[id])) & mask_; }
  void InsertIntoIndex(NodeId id);
  void Grow();

  std::vector<Znode*> slots_;  // null for free ids
  std::vector<NodeId> free_ids_;
  std::vector<NodeId> index_;  // kNoId marks an empty bucket
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace zk::tree
