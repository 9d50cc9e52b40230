// One-line descriptions of transactions, for the zkstorage tool.
#pragma once

#include <string>

#include "server/pipeline/txn.h"

namespace zk::storage {

// "<time> session 0x.. cxid 0x.. zxid 0x.. <type> <body>", as ZooKeeper's
// TxnLogToolkit prints a log entry.
std::string DescribeTxn(const pipeline::Txn& txn);

}  // namespace zk::storage
