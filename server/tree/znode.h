// One znode stored as a single compact heap block.
//
// A block holds a fixed base, then only the optional field groups whose
// values differ from what a fresh leaf would have, then the path and the data:
//
//   base (37 bytes)  flags u8, path_len u32, data_len u32, czxid i64, ctime i64,
//                    acl u32, prev_sibling u32, next_sibling u32
//   kModified  (20)  mzxid i64, mtime i64, version i32     (absent: mzxid=czxid, mtime=ctime,
//   version=0) kParent    (24)  pzxid i64, cversion i32, first_child u32, last_child u32,
//                    num_children u32                      (absent: pzxid=czxid, cversion=0, no
//                    children)
//   kAversion   (4)  aversion i32                          (absent: 0)
//   kOwner      (8)  ephemeral_owner i64                   (absent: 0)
//   path bytes, data bytes
//
// A never-modified leaf of 100 bytes under a 20-byte path thus takes 157
// bytes plus malloc's overhead. Fields are read and written with memcpy, so
// nothing is aligned. Nodes refer to each other by NodeId (an index into the
// node store), never by pointer, so a block may be reallocated freely.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace zk::tree {

using NodeId = uint32_t;
inline constexpr NodeId kNoId = 0xffffffffu;

// Every field of a znode other than its path and data, unpacked.
// Stat fields are raw, as ZooKeeper persists them (StatPersisted): cversion
// counts child creations, and ephemeral_owner may encode a container or TTL.
struct NodeFields {
  int64_t czxid = 0;
  int64_t mzxid = 0;
  int64_t pzxid = 0;
  int64_t ctime = 0;
  int64_t mtime = 0;
  int64_t ephemeral_owner = 0;
  int32_t version = 0;
  int32_t cversion = 0;
  int32_t aversion = 0;
  uint32_t acl_id = 0;
  NodeId prev_sibling = kNoId;
  NodeId next_sibling = kNoId;
  NodeId first_child = kNoId;
  NodeId last_child = kNoId;
  uint32_t num_children = 0;
  bool data_null = false;  // the data is null (length -1 on the wire), not empty

  bool operator==(const NodeFields&) const = default;
};

// Opaque handle to a block; never dereferenced as a C++ object.
struct Znode;

namespace znode {

// Allocates a block. Never returns null (aborts on out-of-memory, like new).
Znode* Create(const NodeFields& fields, std::string_view path, std::string_view data);
void Destroy(Znode* node);

NodeFields Fields(const Znode* node);
std::string_view Path(const Znode* node);
std::string_view Data(const Znode* node);
// The last path component ("" for the root).
std::string_view Name(const Znode* node);

// Cheap single-field reads for hot paths.
uint32_t AclId(const Znode* node);
NodeId NextSibling(const Znode* node);
void SetPrevSibling(Znode* node, NodeId id);  // base fields: always in place
void SetNextSibling(Znode* node, NodeId id);

// Stores `fields` (and `data`, when not null) and returns the block to use
// from now on: `node` itself when the layout is unchanged, otherwise a new
// block (and `node` is freed).
Znode* Update(Znode* node, const NodeFields& fields, const std::string_view* data = nullptr);

// Bytes requested from malloc for this block.
size_t BlockSize(const Znode* node);

}  // namespace znode
}  // namespace zk::tree
