// Writes a snapshot from a forked child process, so the owner thread stalls
// only for fork() itself rather than for a copy of the tree.
//
// The child sees the tree as it was at fork() (the kernel copies a page only
// when the parent writes to it), streams it through EncodeSnapshot into
// the temp file, fsyncs and exits with _exit. The child does no logging and
// takes no locks: after fork() only the calling thread exists, and a lock
// another thread held would never be released. The parent waits for the
// child (on any thread) and renames the file into place itself.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "server/storage/snapshot.h"
#include "server/storage/status.h"

namespace zk::tree {
class DataTree;
}

namespace zk::storage {

// Forks a child that writes `temp_path` (the whole file, trailer included)
// and fsyncs it. REQUIRES: runs on the thread that owns `tree` and
// `sessions`; the directory of `temp_path` exists.
Status StartForkedSnapshot(const tree::DataTree& tree, const std::vector<SessionEntry>& sessions,
                           int64_t zxid, const std::string& temp_path, pid_t* child);

// Blocks until `child` exits. OK only if it wrote and synced the whole file.
Status WaitForkedSnapshot(pid_t child);

}  // namespace zk::storage
