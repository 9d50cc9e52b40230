#include "server/pipeline/txn.h"

#include "jute/archive.h"
#include "protocol/opcodes.h"

namespace zk::pipeline {
namespace {

template <class T>
bool DecodeAs(jute::InputArchive& in, TxnBody* body) {
  T record;
  if (!record.Deserialize(in)) return false;
  *body = std::move(record);
  return true;
}

bool DecodeBody(int32_t type, jute::InputArchive& in, TxnBody* body) {
  switch (static_cast<OpCode>(type)) {
    case OpCode::kCreate:
    case OpCode::kCreate2: return DecodeAs<txn::CreateTxn>(in, body);
    case OpCode::kCreateContainer: return DecodeAs<txn::CreateContainerTxn>(in, body);
    case OpCode::kCreateTtl: return DecodeAs<txn::CreateTTLTxn>(in, body);
    case OpCode::kDelete:
    case OpCode::kDeleteContainer: return DecodeAs<txn::DeleteTxn>(in, body);
    case OpCode::kSetData: return DecodeAs<txn::SetDataTxn>(in, body);
    case OpCode::kSetAcl: return DecodeAs<txn::SetACLTxn>(in, body);
    case OpCode::kCheck: return DecodeAs<txn::CheckVersionTxn>(in, body);
    case OpCode::kCreateSession: return DecodeAs<txn::CreateSessionTxn>(in, body);
    case OpCode::kCloseSession: return DecodeAs<txn::CloseSessionTxn>(in, body);
    case OpCode::kError: return DecodeAs<txn::ErrorTxn>(in, body);
    case OpCode::kMulti: return DecodeAs<txn::MultiTxn>(in, body);
    default: return false;
  }
}

// Most txns (a header, a path, a small value) fit here without regrowing.
constexpr size_t kTypicalTxnBytes = 256;

void SerializeBody(const TxnBody& body, jute::OutputArchive& archive) {
  std::visit(
      [&archive](const auto& record) {
        if constexpr (!std::is_same_v<std::decay_t<decltype(record)>, std::monostate>) {
          record.Serialize(archive);
        }
      },
      body);
}

}  // namespace

std::string EncodeTxnBody(const TxnBody& body) {
  std::string out;
  out.reserve(kTypicalTxnBytes);
  jute::OutputArchive archive(&out);
  SerializeBody(body, archive);
  return out;
}

std::string EncodeTxn(const Txn& txn) {
  std::string out;
  out.reserve(kTypicalTxnBytes);
  jute::OutputArchive archive(&out);
  txn.header.Serialize(archive);
  SerializeBody(txn.body, archive);
  return out;
}

bool DecodeTxn(std::string_view bytes, Txn* txn) {
  jute::InputArchive in(bytes, INT32_MAX);
  if (!txn->header.Deserialize(in)) return false;
  return DecodeBody(txn->header.type, in, &txn->body) && !in.Failed();
}

bool DecodeTxnBody(int32_t type, std::string_view bytes, TxnBody* body) {
  jute::InputArchive in(bytes, INT32_MAX);
  return DecodeBody(type, in, body) && !in.Failed();
}

}  // namespace zk::pipeline
