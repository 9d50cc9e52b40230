#include "tests/unit/storage_import/apache_files.h"

#include <snappy.h>
#include <zlib.h>

#include <algorithm>
#include <fstream>
#include <stdexcept>

#include "jute/archive.h"
#include "server/storage/byte_order.h"
#include "server/storage/import/apache_format.h"

namespace zk::storage::apache::testing {
namespace {

uint32_t Adler(const std::string& bytes) {
  return static_cast<uint32_t>(adler32(adler32(0L, Z_NULL, 0),
                                       reinterpret_cast<const Bytef*>(bytes.data()),
                                       static_cast<uInt>(bytes.size())));
}

void Seal(std::string* out) {
  uint32_t sum = Adler(*out);
  jute::OutputArchive archive(out);
  archive.WriteLong(sum);
  archive.WriteString("/");
}

}  // namespace

data::StatPersisted MakeStat(int64_t czxid, int64_t mzxid, int64_t pzxid, int32_t version,
                             int32_t cversion, int32_t aversion, int64_t owner) {
  data::StatPersisted st;
  st.czxid = czxid;
  st.mzxid = mzxid;
  st.pzxid = pzxid;
  st.ctime = 1700000000000 + czxid;
  st.mtime = 1700000000000 + mzxid;
  st.version = version;
  st.cversion = cversion;
  st.aversion = aversion;
  st.ephemeralOwner = owner;
  return st;
}

SnapshotBuilder& SnapshotBuilder::Session(int64_t id, int32_t timeout_ms) {
  sessions_.emplace_back(id, timeout_ms);
  return *this;
}

SnapshotBuilder& SnapshotBuilder::Acl(int64_t ref, std::vector<data::ACL> acl) {
  acls_.push_back({ref, std::move(acl)});
  return *this;
}

SnapshotBuilder& SnapshotBuilder::Node(SnapNode node) {
  nodes_.push_back(std::move(node));
  return *this;
}

SnapshotBuilder& SnapshotBuilder::SystemNodes() {
  Node({"", "", -1, data::StatPersisted{}});
  Node({"/zookeeper", "", -1, data::StatPersisted{}});
  Node({"/zookeeper/quota", "", -1, data::StatPersisted{}});
  return *this;
}

SnapshotBuilder& SnapshotBuilder::Digest(int64_t zxid) {
  digest_ = true;
  digest_zxid_ = zxid;
  return *this;
}

SnapshotBuilder& SnapshotBuilder::LastProcessedZxid(int64_t zxid) {
  last_zxid_ = true;
  last_processed_zxid_ = zxid;
  return *this;
}

std::string SnapshotBuilder::Build() const {
  std::string out;
  jute::OutputArchive archive(&out);
  archive.WriteInt(0x5a4b534e);
  archive.WriteInt(2);
  archive.WriteLong(-1);
  archive.WriteInt(static_cast<int32_t>(sessions_.size()));
  for (const auto& [id, timeout] : sessions_) {
    archive.WriteLong(id);
    archive.WriteInt(timeout);
  }
  archive.WriteInt(static_cast<int32_t>(acls_.size()));
  for (const SnapAcl& acl : acls_) {
    archive.WriteLong(acl.ref);
    archive.WriteVectorSize(static_cast<int32_t>(acl.acl.size()));
    for (const data::ACL& entry : acl.acl) entry.Serialize(archive);
  }
  for (const SnapNode& node : nodes_) {
    archive.WriteString(node.path);
    archive.WriteBuffer(node.data, node.null_data);
    archive.WriteLong(node.acl_ref);
    node.stat.Serialize(archive);
  }
  archive.WriteString("/");
  Seal(&out);
  if (digest_) {
    archive.WriteLong(digest_zxid_);
    archive.WriteInt(2);
    archive.WriteLong(0x1234567890);
    Seal(&out);
  }
  if (last_zxid_) {
    archive.WriteLong(last_processed_zxid_);
    Seal(&out);
  }
  return out;
}

std::string LogRecord(const std::string& txn_bytes) {
  std::string out;
  jute::OutputArchive archive(&out);
  archive.WriteLong(Adler(txn_bytes));
  archive.WriteBuffer(txn_bytes, false);
  out.push_back('B');
  return out;
}

std::string BuildLog(const std::vector<pipeline::Txn>& txns, size_t padding, bool with_digest) {
  std::string out;
  jute::OutputArchive archive(&out);
  archive.WriteInt(0x5a4b4c47);
  archive.WriteInt(2);
  archive.WriteLong(0);
  for (const pipeline::Txn& txn : txns) {
    std::string bytes = pipeline::EncodeTxn(txn);
    if (with_digest) {
      jute::OutputArchive digest(&bytes);
      digest.WriteInt(2);
      digest.WriteLong(txn.header.zxid * 7919);
    }
    out += LogRecord(bytes);
  }
  out.append(padding, '\0');
  return out;
}

std::string Gzip(const std::string& bytes) {
  z_stream zs{};
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    throw std::runtime_error("deflateInit2");
  }
  std::string out(deflateBound(&zs, bytes.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  zs.avail_in = static_cast<uInt>(bytes.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate");
  return out;
}

std::string SnappyJava(const std::string& bytes, size_t block_size) {
  std::string out(kSnappyMagic);
  PutBigEndian32(&out, kSnappyStreamVersion);
  PutBigEndian32(&out, kSnappyStreamVersion);
  for (size_t pos = 0; pos < bytes.size(); pos += block_size) {
    std::string block;
    snappy::Compress(bytes.data() + pos, std::min(block_size, bytes.size() - pos), &block);
    PutBigEndian32(&out, static_cast<uint32_t>(block.size()));
    out += block;
  }
  return out;
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!file) throw std::runtime_error("cannot write " + path);
}

std::vector<data::ACL> DigestAcl(const std::string& user_hash, int32_t perms) {
  data::ACL acl;
  acl.perms = perms;
  acl.id.scheme = "digest";
  acl.id.id = user_hash;
  return {acl};
}

}  // namespace zk::storage::apache::testing
