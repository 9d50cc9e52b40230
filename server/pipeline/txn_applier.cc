#include "server/pipeline/txn_applier.h"

#include "server/tree/data_tree.h"

namespace zk::pipeline {
namespace {

ApplyResult Apply(tree::DataTree& tree, const txn::TxnHeader& header, const TxnBody& body);

struct Applier {
  tree::DataTree& tree;
  const txn::TxnHeader& header;
  ApplyResult& result;

  void operator()(const std::monostate&) {}
  void operator()(const txn::CreateTxn& t) {
    result.path = t.path;
    int64_t owner = t.ephemeral ? header.clientId : 0;
    result.err = tree.CreateNode(t.path, t.data, t.acl, owner, t.parentCVersion, header.zxid,
                                 header.time, &result.stat, t.dataIsNull);
  }
  void operator()(const txn::CreateContainerTxn& t) {
    result.path = t.path;
    result.err = tree.CreateNode(t.path, t.data, t.acl, tree::kContainerOwner, t.parentCVersion,
                                 header.zxid, header.time, &result.stat, t.dataIsNull);
  }
  void operator()(const txn::CreateTTLTxn& t) {
    result.path = t.path;
    result.err = tree.CreateNode(t.path, t.data, t.acl, tree::TtlOwner(t.ttl), t.parentCVersion,
                                 header.zxid, header.time, &result.stat, t.dataIsNull);
  }
  void operator()(const txn::DeleteTxn& t) {
    result.path = t.path;
    result.err = tree.DeleteNode(t.path, header.zxid);
  }
  void operator()(const txn::SetDataTxn& t) {
    result.path = t.path;
    result.err = tree.SetData(t.path, t.data, t.version, header.zxid, header.time, &result.stat,
                              t.dataIsNull);
  }
  void operator()(const txn::SetACLTxn& t) {
    result.path = t.path;
    result.err = tree.SetAcl(t.path, t.acl, t.version, &result.stat);
  }
  void operator()(const txn::CheckVersionTxn& t) { result.path = t.path; }
  void operator()(const txn::CreateSessionTxn&) {}
  void operator()(const txn::CloseSessionTxn& t) {
    tree.KillSession(header.clientId, header.zxid, t.paths2Delete);
  }
  void operator()(const txn::ErrorTxn& t) { result.err = static_cast<Err>(t.err); }
  void operator()(const txn::MultiTxn& t) {
    for (const txn::Txn& entry : t.txns) {
      txn::TxnHeader sub_header = header;
      sub_header.type = entry.type;
      TxnBody sub_body;
      if (!DecodeTxnBody(entry.type, entry.data, &sub_body)) {
        sub_header.type = static_cast<int32_t>(OpCode::kError);
        sub_body = txn::ErrorTxn{static_cast<int32_t>(Err::kMarshallingError)};
      }
      result.multi.push_back(Apply(tree, sub_header, sub_body));
      if (result.err == Err::kOk) result.err = result.multi.back().err;
    }
  }
};

ApplyResult Apply(tree::DataTree& tree, const txn::TxnHeader& header, const TxnBody& body) {
  ApplyResult result;
  result.type = static_cast<OpCode>(header.type);
  Applier applier{tree, header, result};
  std::visit(applier, body);
  return result;
}

}  // namespace

ApplyResult ApplyTxn(tree::DataTree& tree, const Txn& txn) {
  return Apply(tree, txn.header, txn.body);
}

}  // namespace zk::pipeline
