// The ZAB hard state (acceptedEpoch, currentEpoch and the leader the accepted
// epoch was granted to) in one small file, replaced atomically, as ZooKeeper
// keeps its acceptedEpoch and currentEpoch files.
#pragma once

#include <string>

#include "server/storage/file_env.h"
#include "server/storage/status.h"
#include "server/zab/types.h"

namespace zk::replication {

// `dir`/epoch. A missing file reads as the zero state (a new server).
storage::Status LoadHardState(storage::FileEnv* env, const std::string& dir, zab::HardState* out);
// Durable when it returns OK.
storage::Status SaveHardState(storage::FileEnv* env, const std::string& dir,
                              const zab::HardState& hs);

}  // namespace zk::replication
