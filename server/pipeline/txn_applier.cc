#include "server/pipeline/txn_applier.h"

#include "server/tree/data_tree.h"

namespace zk::pipeline {
namespace {

struct Applier {
  tree::DataTree& tree;
  const txn::TxnHeader& header;
  ApplyResult result;

  void operator()(const std::monostate&) {}
  void operator()(const txn::CreateTxn& t) {
    result.path = t.path;
    int64_t owner = t.ephemeral ? header.clientId : 0;
    result.err = tree.CreateNode(t.path, t.data, t.acl, owner, t.parentCVersion, header.zxid,
                                 header.time, &result.stat);
  }
  void operator()(const txn::CreateContainerTxn&) { result.err = Err::kUnimplemented; }
  void operator()(const txn::CreateTTLTxn&) { result.err = Err::kUnimplemented; }
  void operator()(const txn::DeleteTxn& t) { result.err = tree.DeleteNode(t.path, header.zxid); }
  void operator()(const txn::SetDataTxn& t) {
    result.err = tree.SetData(t.path, t.data, t.version, header.zxid, header.time, &result.stat);
  }
  void operator()(const txn::SetACLTxn& t) {
    result.err = tree.SetAcl(t.path, t.acl, t.version, &result.stat);
  }
  void operator()(const txn::CheckVersionTxn&) {}
  void operator()(const txn::CreateSessionTxn&) {}
  void operator()(const txn::CloseSessionTxn& t) {
    tree.KillSession(header.clientId, header.zxid, t.paths2Delete);
  }
  void operator()(const txn::ErrorTxn& t) { result.err = static_cast<Err>(t.err); }
  void operator()(const txn::MultiTxn&) { result.err = Err::kUnimplemented; }
};

}  // namespace

ApplyResult ApplyTxn(tree::DataTree& tree, const Txn& txn) {
  Applier applier{tree, txn.header, {}};
  std::visit(applier, txn.body);
  return applier.result;
}

}  // namespace zk::pipeline
