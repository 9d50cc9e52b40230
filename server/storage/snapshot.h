// Snapshot files: the data tree and the live sessions as of one zxid, in the
// format FORMAT.md describes.
//
// A server takes snapshots from a forked child (fork_snapshot.h), which
// streams the tree straight to the file. The in-memory path here serves when
// fork() is not available and for tests: SerializeSnapshot() runs on the
// thread that owns the tree and sessions; WriteSnapshotFile() (checksum,
// write, fsync, rename) may run on any thread. Both write the current format
// (version 3); ParseSnapshot() reads versions 1 to 3.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "jute/zookeeper.h"
#include "server/storage/file_env.h"
#include "server/storage/status.h"

namespace zk::tree {
class DataTree;
}

namespace zk::storage {

struct SessionEntry {
  int64_t id = 0;
  int32_t timeout_ms = 0;
  bool operator==(const SessionEntry&) const = default;
};

// A serialized snapshot, not yet checksummed or written.
struct SnapshotImage {
  int64_t zxid = 0;
  uint64_t node_count = 0;
  std::vector<std::string> pieces;  // the file's bytes before the trailer, in order
  uint64_t size() const;
};

// Encodes the tree and sessions into memory. `zxid` is the last txn applied
// to both. REQUIRES: called on the thread that owns them.
//
// A caller that snapshots repeatedly may pass back the previous image's
// buffer (`reuse`, see TakeNodeBuffer) to write into pages already mapped.
SnapshotImage SerializeSnapshot(const tree::DataTree& tree,
                                const std::vector<SessionEntry>& sessions, int64_t zxid,
                                std::string reuse = {});

// The image's largest buffer, emptied but keeping its capacity, for reuse.
std::string TakeNodeBuffer(SnapshotImage* image);

// "snapshot.<zxid in lower-case hex>", the name ZooKeeper uses too.
std::string SnapshotFileName(int64_t zxid);
// False unless `name` is a snapshot file name (temp files are not).
bool ParseSnapshotFileName(std::string_view name, int64_t* zxid);

// Writes `image` as dir/snapshot.<zxid>: a temp file, fsync, rename, fsync of
// the directory. The file is either absent or complete afterwards.
Status WriteSnapshotFile(FileEnv* env, const std::string& dir, const SnapshotImage& image,
                         std::string* path = nullptr);

// True for "snapshot.<anything>.tmp", a snapshot left half written.
bool IsTempSnapshotFileName(std::string_view name);
// Deletes the temp files of `dir` (a missing `dir` has none).
// REQUIRES: no snapshot is being written into `dir`.
Status RemoveTempSnapshots(FileEnv* env, const std::string& dir, int* removed = nullptr);

// Snapshot files of `dir`, newest (highest zxid) first.
struct SnapshotFile {
  int64_t zxid = 0;
  std::string path;
};
Status ListSnapshots(FileEnv* env, const std::string& dir, std::vector<SnapshotFile>* files);

// Receives the parts of a snapshot as it is parsed, in file order.
class SnapshotVisitor {
 public:
  virtual ~SnapshotVisitor() = default;
  virtual Status Header(int64_t zxid) { return Status::OK(); }
  virtual Status Session(const SessionEntry& session) { return Status::OK(); }
  virtual Status Acl(int64_t ref, const std::vector<data::ACL>& acl) { return Status::OK(); }
  // `data_null`: the node's data is null (then `data` is empty), which
  // clients see apart from empty data.
  virtual Status Node(std::string_view path, std::string_view data, bool data_null, int64_t acl_ref,
                      const data::StatPersisted& stat) {
    return Status::OK();
  }
};

// Checks magic, version (1 to 3), length and checksum without parsing.
Status VerifySnapshot(std::string_view bytes);
// Verifies, then parses `bytes`, stopping at the first error a visitor returns.
Status ParseSnapshot(std::string_view bytes, SnapshotVisitor* visitor);

// Replaces the contents of `tree` with the snapshot and returns its sessions.
// On error the tree is left partly loaded; Reset() it or load another.
Status LoadSnapshot(std::string_view bytes, tree::DataTree* tree,
                    std::vector<SessionEntry>* sessions, int64_t* zxid);

}  // namespace zk::storage
