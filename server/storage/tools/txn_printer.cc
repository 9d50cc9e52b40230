#include "server/storage/tools/txn_printer.h"

#include <cstdio>
#include <ctime>
#include <sstream>

#include "protocol/opcodes.h"

namespace zk::storage {
namespace {

std::string Hex(int64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string Time(int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
  char out[56];
  std::snprintf(out, sizeof(out), "%s.%03lld UTC", buf, static_cast<long long>(ms % 1000));
  return out;
}

std::string Acl(const std::vector<data::ACL>& acl) {
  std::ostringstream out;
  out << "[";
  for (size_t i = 0; i < acl.size(); ++i) {
    if (i > 0) out << ",";
    out << acl[i].id.scheme << ":" << acl[i].id.id << ":" << acl[i].perms;
  }
  out << "]";
  return out.str();
}

std::string TypeName(int32_t type) {
  switch (static_cast<OpCode>(type)) {
    case OpCode::kCreate: return "create";
    case OpCode::kCreate2: return "create2";
    case OpCode::kCreateContainer: return "createContainer";
    case OpCode::kCreateTtl: return "createTTL";
    case OpCode::kDelete: return "delete";
    case OpCode::kDeleteContainer: return "deleteContainer";
    case OpCode::kSetData: return "setData";
    case OpCode::kSetAcl: return "setACL";
    case OpCode::kCheck: return "check";
    case OpCode::kCreateSession: return "createSession";
    case OpCode::kCloseSession: return "closeSession";
    case OpCode::kError: return "error";
    case OpCode::kMulti: return "multi";
    default: return "type " + std::to_string(type);
  }
}

struct BodyPrinter {
  std::ostringstream& out;
  void operator()(const std::monostate&) {}
  void operator()(const txn::CreateTxn& t) {
    out << t.path << " data_len " << t.data.size() << " acl " << Acl(t.acl)
        << (t.ephemeral ? " ephemeral" : "") << " parentCVersion " << t.parentCVersion;
  }
  void operator()(const txn::CreateContainerTxn& t) {
    out << t.path << " data_len " << t.data.size() << " acl " << Acl(t.acl);
  }
  void operator()(const txn::CreateTTLTxn& t) {
    out << t.path << " data_len " << t.data.size() << " acl " << Acl(t.acl) << " ttl " << t.ttl;
  }
  void operator()(const txn::DeleteTxn& t) { out << t.path; }
  void operator()(const txn::SetDataTxn& t) {
    out << t.path << " data_len " << t.data.size() << " version " << t.version;
  }
  void operator()(const txn::SetACLTxn& t) {
    out << t.path << " acl " << Acl(t.acl) << " version " << t.version;
  }
  void operator()(const txn::CheckVersionTxn& t) { out << t.path << " version " << t.version; }
  void operator()(const txn::CreateSessionTxn& t) { out << "timeout " << t.timeOut; }
  void operator()(const txn::CloseSessionTxn& t) { out << "ephemerals " << t.paths2Delete.size(); }
  void operator()(const txn::ErrorTxn& t) { out << "err " << t.err; }
  void operator()(const txn::MultiTxn& t) {
    out << t.txns.size() << " ops:";
    for (const txn::Txn& op : t.txns) {
      pipeline::TxnBody body;
      out << " {" << TypeName(op.type);
      if (pipeline::DecodeTxnBody(op.type, op.data, &body)) {
        out << " ";
        std::visit(BodyPrinter{out}, body);
      }
      out << "}";
    }
  }
};

}  // namespace

std::string DescribeTxn(const pipeline::Txn& txn) {
  std::ostringstream out;
  out << Time(txn.header.time) << " session " << Hex(txn.header.clientId) << " cxid "
      << Hex(txn.header.cxid) << " zxid " << Hex(txn.header.zxid) << " "
      << TypeName(txn.header.type) << " ";
  std::visit(BodyPrinter{out}, txn.body);
  return out.str();
}

}  // namespace zk::storage
