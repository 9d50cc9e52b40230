// Results of storage operations. LevelDB's Status is small, carries a message
// and already distinguishes NotFound, Corruption and IOError, so storage uses
// it directly instead of inventing another one.
#pragma once

#include <leveldb/status.h>

namespace zk::storage {

using Status = leveldb::Status;

}  // namespace zk::storage
