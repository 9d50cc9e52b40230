// Streams a snapshot in the current (version 3) format of FORMAT.md: the
// header, then snappy-compressed blocks of compact records. Memory use is a
// block or two whatever the tree's size, so it can run in a forked child
// (see fork_snapshot.h) as well as into a buffer in memory.
//
// The encoder does no logging and takes no locks, so it is safe to run in a
// child forked from a threaded process; it allocates only a few block-sized
// buffers (glibc's malloc stays usable after fork).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "server/storage/snapshot.h"

namespace zk::tree {
class DataTree;
}

namespace zk::storage {

// Where encoded bytes go, in order. Returns false to abandon the snapshot.
class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual bool Append(std::string_view bytes) = 0;
};

// Writes the header and every block, not the trailer (length and checksum,
// which the sink's owner adds). Returns false if the sink failed or the tree
// does not hold the nodes it counts. Sets *node_count to the nodes written.
// REQUIRES: nothing changes `tree` meanwhile.
bool EncodeSnapshot(const tree::DataTree& tree, const std::vector<SessionEntry>& sessions,
                    int64_t zxid, ByteSink* sink, uint64_t* node_count);

// Parses the blocks of a version-2 or -3 file (`version`): `blocks` is
// everything between the header and the trailer, already verified against
// the checksum.
Status ParseSnapshotBlocks(std::string_view blocks, int32_t version, SnapshotVisitor* visitor);

}  // namespace zk::storage
