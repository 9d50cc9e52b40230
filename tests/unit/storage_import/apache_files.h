// Builders of small Apache ZooKeeper version-2 files, written the way
// FileSnap and FileTxnLog lay them out, for the import tests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "jute/zookeeper.h"
#include "server/pipeline/txn.h"

namespace zk::storage::apache::testing {

struct SnapNode {
  std::string path;  // "" is the root, as ZooKeeper writes it
  std::string data;
  int64_t acl_ref = -1;
  data::StatPersisted stat;
  bool null_data = false;
};

struct SnapAcl {
  int64_t ref;
  std::vector<data::ACL> acl;
};

// A StatPersisted; ctime and mtime follow from czxid and mzxid.
data::StatPersisted MakeStat(int64_t czxid, int64_t mzxid, int64_t pzxid, int32_t version,
                             int32_t cversion, int32_t aversion = 0, int64_t owner = 0);

class SnapshotBuilder {
 public:
  SnapshotBuilder& Session(int64_t id, int32_t timeout_ms);
  SnapshotBuilder& Acl(int64_t ref, std::vector<data::ACL> acl);
  SnapshotBuilder& Node(SnapNode node);
  // The root, /zookeeper and /zookeeper/quota with zero stats, as a fresh server has.
  SnapshotBuilder& SystemNodes();
  SnapshotBuilder& Digest(int64_t zxid);             // 3.6+ digest section
  SnapshotBuilder& LastProcessedZxid(int64_t zxid);  // 3.7+ section

  // The decompressed stream.
  std::string Build() const;

 private:
  std::vector<std::pair<int64_t, int32_t>> sessions_;
  std::vector<SnapAcl> acls_;
  std::vector<SnapNode> nodes_;
  bool digest_ = false;
  int64_t digest_zxid_ = 0;
  bool last_zxid_ = false;
  int64_t last_processed_zxid_ = 0;
};

// A log file: header, one record per txn (TxnHeader + body, plus a TxnDigest
// when `with_digest`), then `padding` zero bytes.
std::string BuildLog(const std::vector<pipeline::Txn>& txns, size_t padding = 64,
                     bool with_digest = false);
// One record of a log file for raw txn bytes.
std::string LogRecord(const std::string& txn_bytes);

std::string Gzip(const std::string& bytes);

// `bytes` as snappy-java's SnappyOutputStream writes it: the 16-byte header,
// then each `block_size` piece as (length, raw snappy block).
std::string SnappyJava(const std::string& bytes, size_t block_size = 32 * 1024);

void WriteFile(const std::string& path, const std::string& bytes);

std::vector<data::ACL> DigestAcl(const std::string& user_hash, int32_t perms);

}  // namespace zk::storage::apache::testing
