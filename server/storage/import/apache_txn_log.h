// Reading Apache ZooKeeper transaction log files (log.<first zxid>).
//
// Layout: FileHeader ("ZKLG", version 2, dbid), then records of
//   checksum long (Adler32 of the txn bytes) | length int | txn bytes | 'B'
// until zero padding (ZooKeeper preallocates the file) or the end of the
// file. The txn bytes are a TxnHeader, the body record and, from 3.6 on,
// an optional TxnDigest.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "server/pipeline/txn.h"
#include "server/storage/status.h"

namespace zk::storage::apache {

// "log." + hex zxid of the file's first txn. False for anything else.
bool ParseLogName(std::string_view name, int64_t* first_zxid);

struct LogScan {
  int64_t dbid = 0;
  uint64_t records = 0;   // intact records passed to the callback
  size_t end_offset = 0;  // where reading stopped
  bool torn = false;      // stopped at a damaged record rather than at the end
  std::string problem;    // what was wrong with it, when torn
};

// Calls fn(txn bytes) for each intact record in order, until fn returns false,
// the padding, the end of the file, or the first damaged record (a short
// read, a checksum mismatch, a missing end-of-record byte: *scan says which).
// Fails only when the file header is not a version-2 log's.
Status ScanLog(std::string_view file, const std::function<bool(std::string_view txn)>& fn,
               LogScan* scan);

// Decodes one logged txn into our Txn, accepting what older and newer
// ZooKeeper versions write: a closeSession without a body (before 3.6), a
// trailing TxnDigest (3.6+), and reconfig, which is replayed as the
// setData of /zookeeper/config that it is.
bool DecodeLoggedTxn(std::string_view bytes, pipeline::Txn* txn);

}  // namespace zk::storage::apache
