#include "server/tree/znode.h"

#include <cstdlib>
#include <cstring>
#include <new>

namespace zk::tree {
namespace {

enum Flag : uint8_t {
  kModified = 1,
  kParent = 2,
  kAversion = 4,
  kOwner = 8,
  kNullData = 16,  // data was set as null, which clients read back as null
};

// Base layout offsets.
constexpr size_t kFlagsAt = 0;
constexpr size_t kPathLenAt = 1;
constexpr size_t kDataLenAt = 5;
constexpr size_t kCzxidAt = 9;
constexpr size_t kCtimeAt = 17;
constexpr size_t kAclAt = 25;
constexpr size_t kPrevAt = 29;
constexpr size_t kNextAt = 33;
constexpr size_t kBaseSize = 37;

constexpr size_t kModifiedSize = 8 + 8 + 4;
constexpr size_t kParentSize = 8 + 4 + 4 + 4 + 4;
constexpr size_t kAversionSize = 4;
constexpr size_t kOwnerSize = 8;

char* Bytes(Znode* node) { return reinterpret_cast<char*>(node); }
const char* Bytes(const Znode* node) { return reinterpret_cast<const char*>(node); }

template <class T>
T Load(const char* at) {
  T value;
  std::memcpy(&value, at, sizeof value);
  return value;
}

template <class T>
void Store(char* at, T value) {
  std::memcpy(at, &value, sizeof value);
}

uint8_t FlagsFor(const NodeFields& f) {
  uint8_t flags = 0;
  if (f.mzxid != f.czxid || f.mtime != f.ctime || f.version != 0) flags |= kModified;
  if (f.pzxid != f.czxid || f.cversion != 0 || f.num_children != 0) flags |= kParent;
  if (f.aversion != 0) flags |= kAversion;
  if (f.ephemeral_owner != 0) flags |= kOwner;
  if (f.data_null) flags |= kNullData;
  return flags;
}

size_t HeaderSize(uint8_t flags) {
  size_t size = kBaseSize;
  if (flags & kModified) size += kModifiedSize;
  if (flags & kParent) size += kParentSize;
  if (flags & kAversion) size += kAversionSize;
  if (flags & kOwner) size += kOwnerSize;
  return size;
}

uint8_t FlagsOf(const char* b) { return Load<uint8_t>(b + kFlagsAt); }
uint32_t PathLen(const char* b) { return Load<uint32_t>(b + kPathLenAt); }
uint32_t DataLen(const char* b) { return Load<uint32_t>(b + kDataLenAt); }

// Writes every field group; the flags byte and lengths must already be set.
void WriteFields(char* b, const NodeFields& f) {
  uint8_t flags = FlagsOf(b);
  Store(b + kCzxidAt, f.czxid);
  Store(b + kCtimeAt, f.ctime);
  Store(b + kAclAt, f.acl_id);
  Store(b + kPrevAt, f.prev_sibling);
  Store(b + kNextAt, f.next_sibling);
  char* at = b + kBaseSize;
  if (flags & kModified) {
    Store(at, f.mzxid);
    Store(at + 8, f.mtime);
    Store(at + 16, f.version);
    at += kModifiedSize;
  }
  if (flags & kParent) {
    Store(at, f.pzxid);
    Store(at + 8, f.cversion);
    Store(at + 12, f.first_child);
    Store(at + 16, f.last_child);
    Store(at + 20, f.num_children);
    at += kParentSize;
  }
  if (flags & kAversion) {
    Store(at, f.aversion);
    at += kAversionSize;
  }
  if (flags & kOwner) Store(at, f.ephemeral_owner);
}

char* Allocate(uint8_t flags, std::string_view path, std::string_view data) {
  size_t header = HeaderSize(flags);
  char* b = static_cast<char*>(std::malloc(header + path.size() + data.size()));
  if (b == nullptr) throw std::bad_alloc();
  Store(b + kFlagsAt, flags);
  Store(b + kPathLenAt, static_cast<uint32_t>(path.size()));
  Store(b + kDataLenAt, static_cast<uint32_t>(data.size()));
  if (!path.empty()) std::memcpy(b + header, path.data(), path.size());
  if (!data.empty()) std::memcpy(b + header + path.size(), data.data(), data.size());
  return b;
}

}  // namespace

namespace znode {

Znode* Create(const NodeFields& fields, std::string_view path, std::string_view data) {
  char* b = Allocate(FlagsFor(fields), path, data);
  WriteFields(b, fields);
  return reinterpret_cast<Znode*>(b);
}

void Destroy(Znode* node) { std::free(node); }

NodeFields Fields(const Znode* node) {
  const char* b = Bytes(node);
  uint8_t flags = FlagsOf(b);
  NodeFields f;
  f.czxid = Load<int64_t>(b + kCzxidAt);
  f.ctime = Load<int64_t>(b + kCtimeAt);
  f.acl_id = Load<uint32_t>(b + kAclAt);
  f.prev_sibling = Load<NodeId>(b + kPrevAt);
  f.next_sibling = Load<NodeId>(b + kNextAt);
  f.mzxid = f.czxid;
  f.mtime = f.ctime;
  f.pzxid = f.czxid;
  const char* at = b + kBaseSize;
  if (flags & kModified) {
    f.mzxid = Load<int64_t>(at);
    f.mtime = Load<int64_t>(at + 8);
    f.version = Load<int32_t>(at + 16);
    at += kModifiedSize;
  }
  if (flags & kParent) {
    f.pzxid = Load<int64_t>(at);
    f.cversion = Load<int32_t>(at + 8);
    f.first_child = Load<NodeId>(at + 12);
    f.last_child = Load<NodeId>(at + 16);
    f.num_children = Load<uint32_t>(at + 20);
    at += kParentSize;
  }
  if (flags & kAversion) {
    f.aversion = Load<int32_t>(at);
    at += kAversionSize;
  }
  if (flags & kOwner) f.ephemeral_owner = Load<int64_t>(at);
  f.data_null = (flags & kNullData) != 0;
  return f;
}

std::string_view Path(const Znode* node) {
  const char* b = Bytes(node);
  return {b + HeaderSize(FlagsOf(b)), PathLen(b)};
}

std::string_view Data(const Znode* node) {
  const char* b = Bytes(node);
  return {b + HeaderSize(FlagsOf(b)) + PathLen(b), DataLen(b)};
}

std::string_view Name(const Znode* node) {
  std::string_view path = Path(node);
  return path.substr(path.rfind('/') + 1);
}

uint32_t AclId(const Znode* node) { return Load<uint32_t>(Bytes(node) + kAclAt); }
NodeId NextSibling(const Znode* node) { return Load<NodeId>(Bytes(node) + kNextAt); }
void SetPrevSibling(Znode* node, NodeId id) { Store(Bytes(node) + kPrevAt, id); }
void SetNextSibling(Znode* node, NodeId id) { Store(Bytes(node) + kNextAt, id); }

Znode* Update(Znode* node, const NodeFields& fields, const std::string_view* data) {
  char* b = Bytes(node);
  uint8_t flags = FlagsFor(fields);
  bool same_data_size = data == nullptr || data->size() == DataLen(b);
  if (flags == FlagsOf(b) && same_data_size) {
    WriteFields(b, fields);
    if (data != nullptr && !data->empty()) {
      // memmove: the new data may be a view of this very block.
      std::memmove(b + HeaderSize(flags) + PathLen(b), data->data(), data->size());
    }
    return node;
  }
  char* fresh = Allocate(flags, Path(node), data != nullptr ? *data : Data(node));
  WriteFields(fresh, fields);
  std::free(b);
  return reinterpret_cast<Znode*>(fresh);
}

size_t BlockSize(const Znode* node) {
  const char* b = Bytes(node);
  return HeaderSize(FlagsOf(b)) + PathLen(b) + DataLen(b);
}

}  // namespace znode
}  // namespace zk::tree
