// Reading Apache ZooKeeper snapshot files (snapshot.<zxid>[.gz|.snappy]).
//
// The stream, once decompressed: FileHeader, the sessions, the ACL cache,
// the nodes until the path "/", then a seal (Adler32 of every byte before it,
// then the path "/"). ZooKeeper 3.6+ may add a digest section and 3.7+ the
// last processed zxid, each followed by another seal over everything before.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "server/storage/snapshot.h"
#include "server/storage/status.h"

namespace zk::tree {
class DataTree;
}

namespace zk::storage::apache {

enum class Compression { kNone, kGzip, kSnappy };

// A snapshot file name: "snapshot." + hex zxid, optionally ".gz" or ".snappy"
// (zookeeper.snapshot.compression.method). False for anything else.
bool ParseSnapshotName(std::string_view name, int64_t* zxid, Compression* compression);

// The stream inside a snapshot file. Gzip is inflated with zlib, snappy
// (snappy-java's SnappyOutputStream format) decoded with libsnappy. A damaged
// or truncated file fails with Corruption.
Status Decompress(std::string_view file_bytes, Compression compression, std::string* stream);

// What the optional sections after the tree said.
struct SnapshotTrailer {
  int64_t dbid = 0;
  bool has_digest = false;
  int64_t digest_zxid = 0;
  int64_t last_processed_zxid = -1;  // -1 when the section is absent
};

// Parses a decompressed snapshot stream. Calls the visitor's Session, Acl and
// Node (not Header: the zxid is in the file name) in file order; the root,
// stored under the empty path, is passed as "/". ACL reference -1 (open
// ACL, never in the cache) is passed through. Fails with Corruption on a bad
// header, a checksum mismatch or a truncated stream.
Status ParseApacheSnapshot(std::string_view stream, SnapshotVisitor* visitor,
                           SnapshotTrailer* trailer = nullptr);

// Replaces `tree` with the snapshot's nodes and returns its sessions.
Status LoadApacheSnapshot(std::string_view stream, tree::DataTree* tree,
                          std::vector<SessionEntry>* sessions, SnapshotTrailer* trailer = nullptr);

}  // namespace zk::storage::apache
