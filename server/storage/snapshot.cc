#include "server/storage/snapshot.h"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <unordered_map>

#include "jute/archive.h"
#include "server/storage/byte_order.h"
#include "server/storage/crc32c.h"
#include "server/storage/hex_zxid.h"
#include "server/storage/snapshot_encoder.h"
#include "server/storage/snapshot_format.h"
#include "server/tree/data_tree.h"

namespace zk::storage {
namespace fmt = snapshot_format;
namespace {

std::string Hex(int64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "%llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string JoinPath(const std::string& dir, const std::string& name) {
  if (dir.empty() || dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

Status Corrupt(const std::string& what) { return Status::Corruption("snapshot", what); }

// Collects the encoder's output in one buffer.
class StringSink : public ByteSink {
 public:
  explicit StringSink(std::string* out) : out_(out) {}
  bool Append(std::string_view bytes) override {
    out_->append(bytes);
    return true;
  }

 private:
  std::string* out_;
};

}  // namespace

uint64_t SnapshotImage::size() const {
  uint64_t n = 0;
  for (const std::string& p : pieces) n += p.size();
  return n;
}

SnapshotImage SerializeSnapshot(const tree::DataTree& tree,
                                const std::vector<SessionEntry>& sessions, int64_t zxid,
                                std::string reuse) {
  SnapshotImage image;
  image.zxid = zxid;
  std::string bytes = std::move(reuse);
  bytes.clear();
  StringSink sink(&bytes);
  EncodeSnapshot(tree, sessions, zxid, &sink, &image.node_count);
  image.pieces.push_back(std::move(bytes));
  return image;
}

std::string TakeNodeBuffer(SnapshotImage* image) {
  if (image->pieces.empty()) return {};
  std::string buffer = std::move(image->pieces.back());  // the largest
  image->pieces.clear();
  buffer.clear();
  return buffer;
}

std::string SnapshotFileName(int64_t zxid) { return std::string(fmt::kFilePrefix) + Hex(zxid); }

bool ParseSnapshotFileName(std::string_view name, int64_t* zxid) {
  if (name.substr(0, fmt::kFilePrefix.size()) != fmt::kFilePrefix) return false;
  return ParseHexZxid(name.substr(fmt::kFilePrefix.size()), zxid);
}

Status WriteSnapshotFile(FileEnv* env, const std::string& dir, const SnapshotImage& image,
                         std::string* path) {
  Status s = env->CreateDirs(dir);
  if (!s.ok()) return s;
  std::string final_path = JoinPath(dir, SnapshotFileName(image.zxid));
  std::string temp_path = final_path + std::string(fmt::kTempSuffix);
  std::unique_ptr<WritableFile> file;
  s = env->NewWritableFile(temp_path, &file);
  if (!s.ok()) return s;
  uint32_t crc = 0;
  uint64_t length = 0;
  for (const std::string& piece : image.pieces) {
    crc = crc32c::Extend(crc, piece.data(), piece.size());
    length += piece.size();
    if (s.ok()) s = file->Append(piece);
  }
  std::string trailer;
  PutBigEndian64(&trailer, length);
  PutBigEndian32(&trailer, crc);
  if (s.ok()) s = file->Append(trailer);
  if (s.ok()) s = file->Sync();
  Status close = file->Close();
  if (s.ok()) s = close;
  if (s.ok()) s = env->RenameFile(temp_path, final_path);
  if (s.ok()) s = env->SyncDir(dir);
  if (!s.ok()) {
    env->RemoveFile(temp_path);  // best effort; a leftover temp file is ignored anyway
    return s;
  }
  if (path != nullptr) *path = final_path;
  return Status::OK();
}

bool IsTempSnapshotFileName(std::string_view name) {
  const auto& prefix = fmt::kFilePrefix;
  const auto& suffix = fmt::kTempSuffix;
  return name.size() > prefix.size() + suffix.size() && name.substr(0, prefix.size()) == prefix &&
         name.substr(name.size() - suffix.size()) == suffix;
}

Status RemoveTempSnapshots(FileEnv* env, const std::string& dir, int* removed) {
  if (removed != nullptr) *removed = 0;
  std::vector<std::string> names;
  Status s = env->GetChildren(dir, &names);
  if (s.IsNotFound()) return Status::OK();
  if (!s.ok()) return s;
  for (const std::string& name : names) {
    if (!IsTempSnapshotFileName(name)) continue;
    s = env->RemoveFile(JoinPath(dir, name));
    if (!s.ok()) return s;
    if (removed != nullptr) ++*removed;
  }
  return Status::OK();
}

Status ListSnapshots(FileEnv* env, const std::string& dir, std::vector<SnapshotFile>* files) {
  files->clear();
  std::vector<std::string> names;
  Status s = env->GetChildren(dir, &names);
  if (s.IsNotFound()) return Status::OK();
  if (!s.ok()) return s;
  for (const std::string& name : names) {
    int64_t zxid;
    if (ParseSnapshotFileName(name, &zxid)) files->push_back({zxid, JoinPath(dir, name)});
  }
  std::sort(files->begin(), files->end(),
            [](const SnapshotFile& a, const SnapshotFile& b) { return a.zxid > b.zxid; });
  return Status::OK();
}

Status VerifySnapshot(std::string_view bytes) {
  if (bytes.size() < fmt::kHeaderSize + fmt::kTrailerSize) return Corrupt("file too short");
  if (bytes.substr(0, fmt::kMagic.size()) != fmt::kMagic) return Corrupt("bad magic");
  auto version = static_cast<int32_t>(GetBigEndian32(bytes.data() + 4));
  if (version != fmt::kVersionJute && version != fmt::kVersionCompact &&
      version != fmt::kVersionCompactNull) {
    return Corrupt("unsupported version " + std::to_string(version));
  }
  size_t body = bytes.size() - fmt::kTrailerSize;
  if (GetBigEndian64(bytes.data() + body) != body) return Corrupt("length mismatch (truncated?)");
  if (GetBigEndian32(bytes.data() + body + 8) != crc32c::Extend(0, bytes.data(), body)) {
    return Corrupt("checksum mismatch");
  }
  return Status::OK();
}

namespace {
// Version 1: the sections in Jute, as FORMAT.md describes.
Status ParseJuteSections(std::string_view body, SnapshotVisitor* visitor);
}  // namespace

Status ParseSnapshot(std::string_view bytes, SnapshotVisitor* visitor) {
  Status s = VerifySnapshot(bytes);
  if (!s.ok()) return s;
  auto zxid = static_cast<int64_t>(GetBigEndian64(bytes.data() + 8));
  s = visitor->Header(zxid);
  if (!s.ok()) return s;

  std::string_view body =
      bytes.substr(fmt::kHeaderSize, bytes.size() - fmt::kHeaderSize - fmt::kTrailerSize);
  auto version = static_cast<int32_t>(GetBigEndian32(bytes.data() + 4));
  if (version == fmt::kVersionJute) return ParseJuteSections(body, visitor);
  return ParseSnapshotBlocks(body, version, visitor);
}

namespace {

Status ParseJuteSections(std::string_view body, SnapshotVisitor* visitor) {
  Status s;
  jute::InputArchive in(body, INT32_MAX);
  int32_t session_count = 0;
  if (!in.ReadInt(&session_count) || session_count < 0) return Corrupt("bad session count");
  for (int32_t i = 0; i < session_count; ++i) {
    SessionEntry session;
    if (!in.ReadLong(&session.id) || !in.ReadInt(&session.timeout_ms)) {
      return Corrupt("truncated sessions");
    }
    if (s = visitor->Session(session); !s.ok()) return s;
  }
  int32_t acl_count = 0;
  if (!in.ReadInt(&acl_count) || acl_count < 0) return Corrupt("bad ACL count");
  for (int32_t i = 0; i < acl_count; ++i) {
    int64_t ref;
    int32_t entries;
    if (!in.ReadLong(&ref) || !in.ReadVectorSize(&entries)) return Corrupt("truncated ACLs");
    std::vector<data::ACL> acl(static_cast<size_t>(entries));
    for (data::ACL& entry : acl) {
      if (!entry.Deserialize(in)) return Corrupt("truncated ACLs");
    }
    if (s = visitor->Acl(ref, acl); !s.ok()) return s;
  }
  int64_t node_count = 0;
  if (!in.ReadLong(&node_count) || node_count < 0) return Corrupt("bad node count");
  std::string path, data;
  data::StatPersisted stat;
  for (int64_t i = 0; i < node_count; ++i) {
    int64_t acl_ref;
    if (!in.ReadString(&path) || !in.ReadBuffer(&data) || !in.ReadLong(&acl_ref) ||
        !stat.Deserialize(in)) {
      return Corrupt("truncated node list");
    }
    // Version 1 wrote null data as empty; it cannot tell them apart.
    if (s = visitor->Node(path, data, false, acl_ref, stat); !s.ok()) return s;
  }
  if (in.Failed() || in.Remaining() != 0) return Corrupt("trailing bytes after the node list");
  return Status::OK();
}

class TreeLoader : public SnapshotVisitor {
 public:
  TreeLoader(tree::DataTree* tree, std::vector<SessionEntry>* sessions)
      : tree_(tree), sessions_(sessions) {}

  Status Header(int64_t zxid) override {
    zxid_ = zxid;
    return Status::OK();
  }
  Status Session(const SessionEntry& session) override {
    sessions_->push_back(session);
    return Status::OK();
  }
  Status Acl(int64_t ref, const std::vector<data::ACL>& acl) override {
    if (!acls_.emplace(ref, acl).second) return Corrupt("duplicate ACL reference");
    return Status::OK();
  }
  Status Node(std::string_view path, std::string_view data, bool data_null, int64_t acl_ref,
              const data::StatPersisted& stat) override {
    auto it = acls_.find(acl_ref);
    if (it == acls_.end()) return Corrupt("unknown ACL reference in " + std::string(path));
    Err err = tree_->RestoreNode(path, data, it->second, stat, data_null);
    if (err != Err::kOk) return Corrupt("cannot restore " + std::string(path));
    return Status::OK();
  }
  int64_t zxid() const { return zxid_; }

 private:
  tree::DataTree* tree_;
  std::vector<SessionEntry>* sessions_;
  std::unordered_map<int64_t, std::vector<data::ACL>> acls_;
  int64_t zxid_ = 0;
};

}  // namespace

Status LoadSnapshot(std::string_view bytes, tree::DataTree* tree,
                    std::vector<SessionEntry>* sessions, int64_t* zxid) {
  tree->Reset();
  sessions->clear();
  TreeLoader loader(tree, sessions);
  Status s = ParseSnapshot(bytes, &loader);
  if (!s.ok()) return s;
  tree->FinishRestore();
  *zxid = loader.zxid();
  return Status::OK();
}

}  // namespace zk::storage
