#include "server/storage/import/apache_snapshot.h"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <unordered_map>

#include "jute/archive.h"
#include "server/storage/byte_order.h"
#include "server/storage/hex_zxid.h"
#include "server/storage/import/apache_format.h"
#include "server/storage/import/snappy_java_stream.h"
#include "server/tree/data_tree.h"

namespace zk::storage::apache {
namespace {

Status Corrupt(const std::string& what) { return Status::Corruption("apache snapshot", what); }

uint32_t Adler32(std::string_view bytes) {
  uLong sum = adler32(0L, Z_NULL, 0);
  // zlib takes uInt lengths; feed large streams in pieces.
  while (!bytes.empty()) {
    size_t n = std::min<size_t>(bytes.size(), 1u << 30);
    sum = adler32(sum, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(n));
    bytes.remove_prefix(n);
  }
  return static_cast<uint32_t>(sum);
}

constexpr size_t kSealSize = 8 + 4 + 1;    // checksum long, then the path "/"
constexpr size_t kDigestSize = 8 + 4 + 8;  // zxid, digest version, digest
constexpr size_t kLastZxidSize = 8;

// A seal at `pos`: the Adler32 of stream[0, pos) as a long, then the path "/".
bool SealAt(std::string_view stream, size_t pos) {
  if (stream.size() < pos || stream.size() - pos < kSealSize) return false;
  const char* p = stream.data() + pos;
  if (GetBigEndian64(p) != Adler32(stream.substr(0, pos))) return false;
  if (GetBigEndian32(p + 8) != kEndPath.size()) return false;
  return std::string_view(p + 12, kEndPath.size()) == kEndPath;
}

// The optional sections after the first seal. Which ones are present depends
// on the writer's settings, so each is accepted only if its seal verifies.
// Bytes left over that would hold a whole section and its seal are a damaged
// section: ZooKeeper reads it and fails on the seal, so we fail too. A
// shorter tail (a section cut short) is ignored, as ZooKeeper's reader does.
Status ParseTrailer(std::string_view stream, size_t pos, SnapshotTrailer* trailer) {
  if (SealAt(stream, pos + kDigestSize)) {
    trailer->has_digest = true;
    trailer->digest_zxid = static_cast<int64_t>(GetBigEndian64(stream.data() + pos));
    pos += kDigestSize + kSealSize;
  }
  if (SealAt(stream, pos + kLastZxidSize)) {
    trailer->last_processed_zxid = static_cast<int64_t>(GetBigEndian64(stream.data() + pos));
    pos += kLastZxidSize + kSealSize;
  }
  if (stream.size() - pos >= kLastZxidSize + kSealSize) {
    return Corrupt("checksum mismatch in a section after the tree");
  }
  return Status::OK();
}

Status InflateGzip(std::string_view in, std::string* out) {
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return Status::IOError("zlib", "inflateInit2");
  out->clear();
  char buf[1 << 16];
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  int rc = Z_OK;
  while (true) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof(buf);
    rc = inflate(&zs, Z_NO_FLUSH);
    out->append(buf, sizeof(buf) - zs.avail_out);
    if (rc == Z_STREAM_END) {
      if (zs.avail_in == 0) break;
      inflateReset(&zs);  // another gzip member follows
      continue;
    }
    if (rc != Z_OK) break;
    if (zs.avail_in == 0 && zs.avail_out != 0) break;  // input ended mid-stream
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) return Corrupt("gzip stream is damaged or truncated");
  return Status::OK();
}

}  // namespace

bool ParseSnapshotName(std::string_view name, int64_t* zxid, Compression* compression) {
  if (name.substr(0, kSnapshotPrefix.size()) != kSnapshotPrefix) return false;
  std::string_view rest = name.substr(kSnapshotPrefix.size());
  *compression = Compression::kNone;
  size_t dot = rest.find('.');
  if (dot != std::string_view::npos) {
    std::string_view ext = rest.substr(dot + 1);
    if (ext == "gz") {
      *compression = Compression::kGzip;
    } else if (ext == "snappy") {
      *compression = Compression::kSnappy;
    } else {
      return false;
    }
    rest = rest.substr(0, dot);
  }
  return ParseHexZxid(rest, zxid, /*allow_upper=*/true);
}

Status Decompress(std::string_view file_bytes, Compression compression, std::string* stream) {
  switch (compression) {
    case Compression::kNone: stream->assign(file_bytes); return Status::OK();
    case Compression::kGzip: return InflateGzip(file_bytes, stream);
    case Compression::kSnappy: return DecodeSnappyJavaStream(file_bytes, stream);
  }
  return Status::InvalidArgument("unknown compression");
}

Status ParseApacheSnapshot(std::string_view stream, SnapshotVisitor* visitor,
                           SnapshotTrailer* trailer) {
  SnapshotTrailer local;
  if (trailer == nullptr) trailer = &local;
  *trailer = SnapshotTrailer();
  jute::InputArchive in(stream, INT32_MAX);
  int32_t magic = 0, version = 0;
  if (!in.ReadInt(&magic) || !in.ReadInt(&version) || !in.ReadLong(&trailer->dbid)) {
    return Corrupt("file too short");
  }
  if (magic != kSnapshotMagic) return Corrupt("bad magic (not a ZooKeeper snapshot)");
  if (version != kFormatVersion) return Corrupt("unsupported version " + std::to_string(version));

  int32_t session_count = 0;
  if (!in.ReadInt(&session_count) || session_count < 0) return Corrupt("bad session count");
  Status s;
  for (int32_t i = 0; i < session_count; ++i) {
    SessionEntry session;
    if (!in.ReadLong(&session.id) || !in.ReadInt(&session.timeout_ms)) {
      return Corrupt("truncated sessions");
    }
    if (s = visitor->Session(session); !s.ok()) return s;
  }

  int32_t acl_count = 0;
  if (!in.ReadInt(&acl_count) || acl_count < 0) return Corrupt("bad ACL cache size");
  for (int32_t i = 0; i < acl_count; ++i) {
    int64_t ref = 0;
    int32_t entries = 0;
    if (!in.ReadLong(&ref) || !in.ReadVectorSize(&entries, 12)) return Corrupt("truncated ACLs");
    std::vector<data::ACL> acl(static_cast<size_t>(std::max(entries, 0)));
    for (data::ACL& entry : acl) {
      if (!entry.Deserialize(in)) return Corrupt("truncated ACLs");
    }
    if (s = visitor->Acl(ref, acl); !s.ok()) return s;
  }

  std::string path, data;
  data::StatPersisted stat;
  while (true) {
    if (!in.ReadString(&path)) return Corrupt("truncated node list");
    if (path == kEndPath) break;
    int64_t acl_ref = 0;
    bool data_null = false;  // ZooKeeper writes null data as length -1
    if (!in.ReadBuffer(&data, &data_null) || !in.ReadLong(&acl_ref) || !stat.Deserialize(in)) {
      return Corrupt("truncated node " + path);
    }
    if (s = visitor->Node(path.empty() ? std::string_view(kEndPath) : std::string_view(path), data,
                          data_null, acl_ref, stat);
        !s.ok()) {
      return s;
    }
  }
  size_t pos = in.Position();
  if (!SealAt(stream, pos)) return Corrupt("checksum mismatch or missing seal");
  return ParseTrailer(stream, pos + kSealSize, trailer);
}

namespace {

class TreeLoader : public SnapshotVisitor {
 public:
  TreeLoader(tree::DataTree* tree, std::vector<SessionEntry>* sessions)
      : tree_(tree), sessions_(sessions) {}

  Status Session(const SessionEntry& session) override {
    sessions_->push_back(session);
    return Status::OK();
  }
  Status Acl(int64_t ref, const std::vector<data::ACL>& acl) override {
    acls_[ref] = acl;
    return Status::OK();
  }
  Status Node(std::string_view path, std::string_view data, bool data_null, int64_t acl_ref,
              const data::StatPersisted& stat) override {
    const std::vector<data::ACL>* acl = &open_acl_;
    if (acl_ref != kOpenUnsafeAclRef) {
      auto it = acls_.find(acl_ref);
      if (it == acls_.end()) {
        return Corrupt("unknown ACL reference " + std::to_string(acl_ref) + " in " +
                       std::string(path));
      }
      acl = &it->second;
    }
    if (tree_->RestoreNode(path, data, *acl, stat, data_null) != Err::kOk) {
      return Corrupt("cannot restore " + std::string(path) + " (parent missing?)");
    }
    return Status::OK();
  }

 private:
  tree::DataTree* tree_;
  std::vector<SessionEntry>* sessions_;
  std::unordered_map<int64_t, std::vector<data::ACL>> acls_;
  const std::vector<data::ACL> open_acl_{data::ACL{perms::kAll, data::Id{"world", "anyone"}}};
};

}  // namespace

Status LoadApacheSnapshot(std::string_view stream, tree::DataTree* tree,
                          std::vector<SessionEntry>* sessions, SnapshotTrailer* trailer) {
  tree->Reset();
  sessions->clear();
  TreeLoader loader(tree, sessions);
  Status s = ParseApacheSnapshot(stream, &loader, trailer);
  if (!s.ok()) return s;
  tree->FinishRestore();
  return Status::OK();
}

}  // namespace zk::storage::apache
