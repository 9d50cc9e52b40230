// A transaction: what the prep stage decides, the order stage sequences and logs,
// and the apply stage replays on the data tree. Its bytes are TxnHeader followed by
// the body record, the layout ZooKeeper's transaction log uses.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "jute/zookeeper.h"

namespace zk::pipeline {

using TxnBody =
    std::variant<std::monostate, txn::CreateTxn, txn::CreateContainerTxn, txn::CreateTTLTxn,
                 txn::DeleteTxn, txn::SetDataTxn, txn::SetACLTxn, txn::CheckVersionTxn,
                 txn::CreateSessionTxn, txn::CloseSessionTxn, txn::ErrorTxn, txn::MultiTxn>;

struct Txn {
  txn::TxnHeader header;
  TxnBody body;
};

std::string EncodeTxn(const Txn& txn);
// The body alone, as a sub-transaction of a MultiTxn carries it.
std::string EncodeTxnBody(const TxnBody& body);
// False when the bytes are not a well-formed transaction of a known type.
bool DecodeTxn(std::string_view bytes, Txn* txn);

// Decodes the body of a transaction of `type` (an OpCode value) from `bytes`.
bool DecodeTxnBody(int32_t type, std::string_view bytes, TxnBody* body);

}  // namespace zk::pipeline
