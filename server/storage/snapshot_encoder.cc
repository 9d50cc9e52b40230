#include "server/storage/snapshot_encoder.h"

#include <snappy.h>

#include <string>
#include <unordered_map>

#include "server/storage/byte_order.h"
#include "server/storage/snapshot_format.h"
#include "server/storage/varint.h"
#include "server/tree/data_tree.h"

namespace zk::storage {
namespace fmt = snapshot_format;
namespace {

// Deltas wrap instead of overflowing, so any pair of values round-trips.
int64_t Minus(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b));
}
int64_t Plus(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
}

size_t SharedPrefix(std::string_view a, std::string_view b) {
  size_t n = std::min(a.size(), b.size());
  size_t i = 0;
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

// Collects records and hands the sink one compressed block whenever enough
// are gathered. A record never spans two blocks.
class BlockWriter {
 public:
  explicit BlockWriter(ByteSink* sink) : sink_(sink) { raw_.reserve(fmt::kBlockTarget + 4096); }

  std::string* raw() { return &raw_; }
  // Call after each whole record.
  void EndRecord() {
    if (raw_.size() >= fmt::kBlockTarget) Flush();
  }
  bool Finish() {
    if (!raw_.empty()) Flush();
    return ok_;
  }
  bool ok() const { return ok_; }

 private:
  void Flush() {
    compressed_.resize(4 + snappy::MaxCompressedLength(raw_.size()));
    size_t n = 0;
    snappy::RawCompress(raw_.data(), raw_.size(), compressed_.data() + 4, &n);
    uint32_t len = static_cast<uint32_t>(n);
    compressed_[0] = static_cast<char>(len >> 24);
    compressed_[1] = static_cast<char>(len >> 16);
    compressed_[2] = static_cast<char>(len >> 8);
    compressed_[3] = static_cast<char>(len);
    if (ok_) ok_ = sink_->Append(std::string_view(compressed_.data(), 4 + n));
    raw_.clear();
  }

  ByteSink* sink_;
  std::string raw_;
  std::string compressed_;
  bool ok_ = true;
};

void PutAcl(std::string* out, const std::vector<data::ACL>& acl) {
  PutVarint64(out, acl.size());
  for (const data::ACL& entry : acl) {
    PutSignedVarint(out, entry.perms);
    PutVarint64(out, entry.id.scheme.size());
    out->append(entry.id.scheme);
    PutVarint64(out, entry.id.id.size());
    out->append(entry.id.id);
  }
}

// The per-node state that later nodes are encoded relative to.
struct NodeContext {
  std::string_view path;
  int64_t czxid = 0;
  int64_t ctime = 0;
};

void PutNode(std::string* out, const tree::NodeView& node, NodeContext* prev,
             std::vector<bool>* acl_seen) {
  std::string_view path = node.path();
  size_t shared = SharedPrefix(prev->path, path);
  PutVarint64(out, shared);
  PutVarint64(out, path.size() - shared);
  out->append(path.substr(shared));
  std::string_view data = node.data();
  PutVarint64(out, node.data_null() ? 0 : uint64_t{data.size()} + 1);
  out->append(data);

  // 0 defines the node's ACL list inline, the first time it is used.
  tree::AclId acl_id = node.acl_id();
  if (acl_id >= acl_seen->size()) acl_seen->resize(acl_id + 1, false);
  if ((*acl_seen)[acl_id]) {
    PutVarint64(out, uint64_t{acl_id} + 1);
  } else {
    (*acl_seen)[acl_id] = true;
    PutVarint64(out, 0);
    PutVarint64(out, acl_id);
    PutAcl(out, node.acl());
  }

  PutSignedVarint(out, Minus(node.czxid(), prev->czxid));
  PutSignedVarint(out, Minus(node.mzxid(), node.czxid()));
  PutSignedVarint(out, Minus(node.pzxid(), node.czxid()));
  PutSignedVarint(out, Minus(node.ctime(), prev->ctime));
  PutSignedVarint(out, Minus(node.mtime(), node.ctime()));
  PutSignedVarint(out, node.version());
  PutSignedVarint(out, node.cversion());
  PutSignedVarint(out, node.aversion());
  PutSignedVarint(out, node.ephemeral_owner());
  *prev = {path, node.czxid(), node.ctime()};
}

}  // namespace

bool EncodeSnapshot(const tree::DataTree& tree, const std::vector<SessionEntry>& sessions,
                    int64_t zxid, ByteSink* sink, uint64_t* node_count) {
  std::string header(fmt::kMagic);
  PutBigEndian32(&header, static_cast<uint32_t>(fmt::kVersion));
  PutBigEndian64(&header, static_cast<uint64_t>(zxid));
  if (!sink->Append(header)) return false;

  BlockWriter blocks(sink);
  std::string* raw = blocks.raw();
  PutVarint64(raw, sessions.size());
  blocks.EndRecord();
  for (const SessionEntry& s : sessions) {
    PutBigEndian64(raw, static_cast<uint64_t>(s.id));
    PutSignedVarint(raw, s.timeout_ms);
    blocks.EndRecord();
  }

  const uint64_t expected = tree.NodeCount();
  PutVarint64(raw, expected);
  blocks.EndRecord();
  uint64_t count = 0;
  NodeContext prev;
  std::vector<bool> acl_seen;
  tree.ForEachNode([&](const tree::NodeView& node) {
    if (!blocks.ok()) return;
    PutNode(raw, node, &prev, &acl_seen);
    blocks.EndRecord();
    ++count;
  });
  *node_count = count;
  return blocks.Finish() && count == expected;
}

namespace {

Status Corrupt(const std::string& what) { return Status::Corruption("snapshot", what); }

// Hands out the decompressed blocks one at a time.
class BlockReader {
 public:
  explicit BlockReader(std::string_view blocks) : rest_(blocks) {}

  // Loads the next block; false at the end or on damage (see status()).
  bool Next(std::string_view* block) {
    if (rest_.empty()) return false;
    if (rest_.size() < 4) return Fail("truncated block header");
    uint32_t len = GetBigEndian32(rest_.data());
    if (len > rest_.size() - 4) return Fail("block runs past the end");
    std::string_view compressed = rest_.substr(4, len);
    rest_.remove_prefix(4 + len);
    size_t raw_len = 0;
    if (!snappy::GetUncompressedLength(compressed.data(), compressed.size(), &raw_len) ||
        raw_len > fmt::kMaxBlockBytes) {
      return Fail("bad block length");
    }
    buffer_.resize(raw_len);
    if (!snappy::RawUncompress(compressed.data(), compressed.size(), buffer_.data())) {
      return Fail("block does not decompress");
    }
    *block = buffer_;
    return true;
  }
  const Status& status() const { return status_; }

 private:
  bool Fail(const std::string& what) {
    status_ = Corrupt(what);
    rest_ = {};
    return false;
  }

  std::string_view rest_;
  std::string buffer_;
  Status status_;
};

// Reads records that each lie inside one block, moving to the next block
// only between records.
class RecordReader {
 public:
  explicit RecordReader(std::string_view blocks) : blocks_(blocks) {}

  // Positions at the next record; false when none is left.
  bool StartRecord() {
    while (in_.AtEnd()) {
      std::string_view block;
      if (!blocks_.Next(&block)) return false;
      in_ = VarintReader(block);
    }
    return true;
  }
  VarintReader& in() { return in_; }
  bool AtEnd() { return !StartRecord() && blocks_.status().ok(); }
  Status Error(const std::string& what) const {
    return blocks_.status().ok() ? Corrupt(what) : blocks_.status();
  }

 private:
  BlockReader blocks_;
  VarintReader in_{std::string_view()};
};

bool ReadAcl(VarintReader& in, std::vector<data::ACL>* acl) {
  uint64_t n;
  if (!in.ReadVarint64(&n) || n > fmt::kMaxBlockBytes) return false;
  acl->resize(static_cast<size_t>(n));
  for (data::ACL& entry : *acl) {
    std::string_view scheme, id;
    if (!in.ReadSigned32(&entry.perms) || !in.ReadBytes(&scheme) || !in.ReadBytes(&id)) {
      return false;
    }
    entry.id.scheme.assign(scheme);
    entry.id.id.assign(id);
  }
  return true;
}

// Version 3 node data: a varint of length + 1 (0 for null), then the bytes.
bool ReadNullableBytes(VarintReader& in, std::string_view* bytes, bool* is_null) {
  uint64_t n;
  if (!in.ReadVarint64(&n)) return false;
  *is_null = n == 0;
  if (n == 0) {
    *bytes = {};
    return true;
  }
  return in.ReadFixed(n - 1, bytes);
}

}  // namespace

Status ParseSnapshotBlocks(std::string_view blocks, int32_t version, SnapshotVisitor* visitor) {
  const bool null_aware = version >= fmt::kVersionCompactNull;
  RecordReader reader(blocks);
  uint64_t session_count;
  if (!reader.StartRecord() || !reader.in().ReadVarint64(&session_count)) {
    return reader.Error("bad session count");
  }
  for (uint64_t i = 0; i < session_count; ++i) {
    SessionEntry session;
    std::string_view id;
    if (!reader.StartRecord() || !reader.in().ReadFixed(8, &id) ||
        !reader.in().ReadSigned32(&session.timeout_ms)) {
      return reader.Error("truncated sessions");
    }
    session.id = static_cast<int64_t>(GetBigEndian64(id.data()));
    if (Status s = visitor->Session(session); !s.ok()) return s;
  }

  uint64_t node_count;
  if (!reader.StartRecord() || !reader.in().ReadVarint64(&node_count)) {
    return reader.Error("bad node count");
  }
  std::string path;
  NodeContext prev;
  std::vector<data::ACL> acl;
  data::StatPersisted stat;
  for (uint64_t i = 0; i < node_count; ++i) {
    if (!reader.StartRecord()) return reader.Error("truncated node list");
    VarintReader& in = reader.in();
    uint64_t shared, acl_ref;
    std::string_view suffix, data;
    bool data_null = false;
    if (!in.ReadVarint64(&shared) || shared > path.size() || !in.ReadBytes(&suffix) ||
        !(null_aware ? ReadNullableBytes(in, &data, &data_null) : in.ReadBytes(&data)) ||
        !in.ReadVarint64(&acl_ref)) {
      return reader.Error("truncated node");
    }
    path.resize(static_cast<size_t>(shared));
    path.append(suffix);
    if (acl_ref == 0) {
      if (!in.ReadVarint64(&acl_ref) || !ReadAcl(in, &acl)) return reader.Error("truncated ACL");
      if (Status s = visitor->Acl(static_cast<int64_t>(acl_ref), acl); !s.ok()) return s;
    } else {
      --acl_ref;
    }
    int64_t dczxid, dmzxid, dpzxid, dctime, dmtime;
    if (!in.ReadSigned(&dczxid) || !in.ReadSigned(&dmzxid) || !in.ReadSigned(&dpzxid) ||
        !in.ReadSigned(&dctime) || !in.ReadSigned(&dmtime) || !in.ReadSigned32(&stat.version) ||
        !in.ReadSigned32(&stat.cversion) || !in.ReadSigned32(&stat.aversion) ||
        !in.ReadSigned(&stat.ephemeralOwner)) {
      return reader.Error("truncated stat");
    }
    stat.czxid = Plus(prev.czxid, dczxid);
    stat.mzxid = Plus(stat.czxid, dmzxid);
    stat.pzxid = Plus(stat.czxid, dpzxid);
    stat.ctime = Plus(prev.ctime, dctime);
    stat.mtime = Plus(stat.ctime, dmtime);
    prev.czxid = stat.czxid;
    prev.ctime = stat.ctime;
    if (Status s = visitor->Node(path, data, data_null, static_cast<int64_t>(acl_ref), stat);
        !s.ok()) {
      return s;
    }
  }
  if (!reader.AtEnd()) return reader.Error("trailing bytes after the node list");
  return Status::OK();
}

}  // namespace zk::storage
