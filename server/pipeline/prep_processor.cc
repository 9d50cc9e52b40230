#include "server/pipeline/prep_processor.h"

#include <glog/logging.h>

#include "jute/archive.h"
#include "protocol/path.h"
#include "server/auth/acl.h"
#include "server/tree/data_tree.h"
#include "server/tree/sequential_name.h"

namespace zk::pipeline {
namespace {

constexpr int32_t kAnyVersion = -1;

proto::CreateRequest WithoutTtl(proto::CreateTTLRequest req) {
  proto::CreateRequest out;
  out.path = std::move(req.path);
  out.data = std::move(req.data);
  out.dataIsNull = req.dataIsNull;
  out.acl = std::move(req.acl);
  out.flags = req.flags;
  return out;
}

// The fields every kind of create transaction shares.
template <class CreateTxnType>
CreateTxnType CreateTxnOf(std::string path, proto::CreateRequest req, int32_t parent_cversion) {
  CreateTxnType txn;
  txn.path = std::move(path);
  txn.data = std::move(req.data);
  txn.dataIsNull = req.dataIsNull;
  txn.acl = std::move(req.acl);
  txn.parentCVersion = parent_cversion;
  return txn;
}

bool IsSequential(CreateMode mode) {
  return mode == CreateMode::kPersistentSequential || mode == CreateMode::kEphemeralSequential ||
         mode == CreateMode::kPersistentSequentialWithTtl;
}

// Paths ZooKeeper never lets a client delete.
bool IsSpecialPath(const std::string& path) {
  return path == "/" || path == "/zookeeper" || path == "/zookeeper/quota" ||
         path == "/zookeeper/config";
}

// The parent of `path`, or an error when the path has no usable parent part.
Err ParentOf(const std::string& path, std::string* parent) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos || path.find('\0') != std::string::npos) {
    return Err::kBadArguments;
  }
  *parent = slash == 0 ? "/" : path.substr(0, slash);
  return Err::kOk;
}

// ZooKeeper's checkAndIncVersion: -1 matches any version.
Err CheckVersion(int32_t expected, int32_t current) {
  return expected == kAnyVersion || expected == current ? Err::kOk : Err::kBadVersion;
}

template <class T>
bool DecodeBody(const Request& request, int32_t max_buffer, T* out) {
  return jute::Decode(request.body, out, max_buffer);
}

txn::TxnHeader Header(const Request& request, int64_t zxid, int64_t now_ms, OpCode type) {
  txn::TxnHeader h;
  h.clientId = request.session_id;
  h.cxid = request.xid;
  h.zxid = zxid;
  h.time = now_ms;
  h.type = static_cast<int32_t>(type);
  return h;
}

}  // namespace

Err PrepProcessor::Check(const NodeRecord& node, int32_t perm) const {
  return auth::CheckAcl(node.acl, perm, *auth_, auth_settings_);
}

bool PrepProcessor::Prepare(const Request& request, const auth::AuthInfo& auth, int64_t zxid,
                            int64_t now_ms, Txn* out, Response* rejected) {
  auth_ = &auth;
  rejected->xid = request.xid;
  Err err = Err::kOk;
  TxnBody body;
  switch (request.op) {
    case OpCode::kMulti:
      if (!PrepareMulti(request, zxid, now_ms, &body, rejected)) return false;
      break;
    case OpCode::kCreate:
    case OpCode::kCreate2:
    case OpCode::kCreateContainer: {
      proto::CreateRequest req;
      err = DecodeBody(request, max_buffer_, &req)
                ? PrepareCreate(request.op, std::move(req), -1, request.session_id, zxid, &body)
                : Err::kMarshallingError;
      break;
    }
    case OpCode::kCreateTtl: {
      proto::CreateTTLRequest req;
      err = DecodeBody(request, max_buffer_, &req)
                ? PrepareCreate(request.op, WithoutTtl(std::move(req)), req.ttl, request.session_id,
                                zxid, &body)
                : Err::kMarshallingError;
      break;
    }
    case OpCode::kDelete: {
      proto::DeleteRequest req;
      err = DecodeBody(request, max_buffer_, &req) ? PrepareDelete(req, zxid, &body)
                                                   : Err::kMarshallingError;
      break;
    }
    case OpCode::kSetData: {
      proto::SetDataRequest req;
      err = DecodeBody(request, max_buffer_, &req) ? PrepareSetData(std::move(req), zxid, &body)
                                                   : Err::kMarshallingError;
      break;
    }
    case OpCode::kSetAcl: {
      proto::SetACLRequest req;
      err = DecodeBody(request, max_buffer_, &req) ? PrepareSetAcl(std::move(req), zxid, &body)
                                                   : Err::kMarshallingError;
      break;
    }
    default: err = Err::kUnimplemented;
  }
  if (err != Err::kOk) {
    rejected->err = err;
    return false;
  }
  out->header = Header(request, zxid, now_ms, request.op);
  out->body = std::move(body);
  return true;
}

Err PrepProcessor::PrepareOp(const MultiOp& op, int64_t session_id, int64_t zxid, int64_t now_ms,
                             TxnBody* body) {
  switch (op.op) {
    case OpCode::kCreate:
    case OpCode::kCreate2:
    case OpCode::kCreateContainer:
      return PrepareCreate(op.op, std::get<proto::CreateRequest>(op.record), -1, session_id, zxid,
                           body);
    case OpCode::kCreateTtl: {
      const auto& req = std::get<proto::CreateTTLRequest>(op.record);
      return PrepareCreate(op.op, WithoutTtl(req), req.ttl, session_id, zxid, body);
    }
    case OpCode::kDelete:
      return PrepareDelete(std::get<proto::DeleteRequest>(op.record), zxid, body);
    case OpCode::kSetData:
      return PrepareSetData(std::get<proto::SetDataRequest>(op.record), zxid, body);
    case OpCode::kCheck: return PrepareCheck(std::get<proto::CheckVersionRequest>(op.record), body);
    default: return Err::kUnimplemented;
  }
}

Err PrepProcessor::PrepareCreate(OpCode op, proto::CreateRequest req, int64_t ttl,
                                 int64_t session_id, int64_t zxid, TxnBody* body) {
  if (req.flags < 0 || req.flags > static_cast<int32_t>(CreateMode::kPersistentSequentialWithTtl)) {
    return Err::kBadArguments;
  }
  auto mode = static_cast<CreateMode>(req.flags);
  bool with_ttl =
      mode == CreateMode::kPersistentWithTtl || mode == CreateMode::kPersistentSequentialWithTtl;
  if (with_ttl && !extended_types_) return Err::kUnimplemented;
  // A TTL goes with a TTL mode, and only there (EphemeralType.validateTTL).
  if (with_ttl ? (ttl <= 0 || ttl > tree::kMaxTtl) : ttl >= 0) return Err::kBadArguments;
  bool container = mode == CreateMode::kContainer || op == OpCode::kCreateContainer;
  std::string parent_path;
  if (Err err = ParentOf(req.path, &parent_path); err != Err::kOk) return err;
  if (Err err = auth::FixupAcl(req.path, *auth_, auth_settings_, &req.acl); err != Err::kOk) {
    return err;
  }
  std::optional<NodeRecord> parent = pending_.Lookup(parent_path);
  if (!parent) return Err::kNoNode;
  if (Err err = Check(*parent, perms::kCreate); err != Err::kOk) return err;

  std::string path = req.path;
  if (IsSequential(mode)) path = tree::SequentialPath(path, parent->cversion);
  if (!ValidatePath(path).empty()) return Err::kBadArguments;
  if (pending_.Lookup(path)) return Err::kNodeExists;
  if (tree::ClassifyOwner(parent->ephemeral_owner, extended_types_) ==
      tree::EphemeralKind::kNormal) {
    return Err::kNoChildrenForEphemerals;
  }

  if (Err err = tree_->CheckQuota(path, static_cast<int64_t>(req.data.size()), 1);
      err != Err::kOk) {
    return err;
  }

  bool ephemeral = mode == CreateMode::kEphemeral || mode == CreateMode::kEphemeralSequential;
  int32_t new_cversion = parent->cversion + 1;
  parent->cversion = new_cversion;
  parent->child_count++;
  NodeRecord node;
  node.ephemeral_owner = ephemeral   ? session_id
                         : container ? tree::kContainerOwner
                         : with_ttl  ? tree::TtlOwner(ttl)
                                     : 0;
  node.acl = req.acl;
  pending_.Record(zxid, parent_path, std::move(parent));
  pending_.Record(zxid, path, std::move(node));

  if (container) {
    *body = CreateTxnOf<txn::CreateContainerTxn>(std::move(path), std::move(req), new_cversion);
  } else if (with_ttl) {
    auto txn = CreateTxnOf<txn::CreateTTLTxn>(std::move(path), std::move(req), new_cversion);
    txn.ttl = ttl;
    *body = std::move(txn);
  } else {
    auto txn = CreateTxnOf<txn::CreateTxn>(std::move(path), std::move(req), new_cversion);
    txn.ephemeral = ephemeral;
    *body = std::move(txn);
  }
  return Err::kOk;
}

Err PrepProcessor::PrepareDelete(const proto::DeleteRequest& req, int64_t zxid, TxnBody* body) {
  std::string parent_path;
  if (Err err = ParentOf(req.path, &parent_path); err != Err::kOk) return err;
  if (IsSpecialPath(req.path)) return Err::kBadArguments;
  std::optional<NodeRecord> parent = pending_.Lookup(parent_path);
  if (!parent) return Err::kNoNode;
  if (Err err = Check(*parent, perms::kDelete); err != Err::kOk) return err;
  std::optional<NodeRecord> node = pending_.Lookup(req.path);
  if (!node) return Err::kNoNode;
  if (Err err = CheckVersion(req.version, node->version); err != Err::kOk) return err;
  if (node->child_count > 0) return Err::kNotEmpty;

  parent->child_count--;
  pending_.Record(zxid, parent_path, std::move(parent));
  pending_.Record(zxid, req.path, std::nullopt);
  txn::DeleteTxn txn;
  txn.path = req.path;
  *body = std::move(txn);
  return Err::kOk;
}

Err PrepProcessor::PrepareSetData(proto::SetDataRequest req, int64_t zxid, TxnBody* body) {
  if (!ValidatePath(req.path).empty()) return Err::kBadArguments;
  std::optional<NodeRecord> node = pending_.Lookup(req.path);
  if (!node) return Err::kNoNode;
  if (Err err = Check(*node, perms::kWrite); err != Err::kOk) return err;
  // Like ZooKeeper, quotas are checked against the applied tree's stats.
  std::optional<tree::NodeView> applied = tree_->Find(req.path);
  int64_t old_size = applied ? static_cast<int64_t>(applied->data().size()) : 0;
  if (Err err = tree_->CheckQuota(req.path, static_cast<int64_t>(req.data.size()) - old_size, 0);
      err != Err::kOk) {
    return err;
  }
  if (Err err = CheckVersion(req.version, node->version); err != Err::kOk) return err;
  int32_t new_version = node->version + 1;
  node->version = new_version;
  pending_.Record(zxid, req.path, std::move(node));

  txn::SetDataTxn txn;
  txn.path = std::move(req.path);
  txn.data = std::move(req.data);
  txn.dataIsNull = req.dataIsNull;
  txn.version = new_version;
  *body = std::move(txn);
  return Err::kOk;
}

Err PrepProcessor::PrepareSetAcl(proto::SetACLRequest req, int64_t zxid, TxnBody* body) {
  if (!ValidatePath(req.path).empty()) return Err::kBadArguments;
  if (Err err = auth::FixupAcl(req.path, *auth_, auth_settings_, &req.acl); err != Err::kOk) {
    return err;
  }
  std::optional<NodeRecord> node = pending_.Lookup(req.path);
  if (!node) return Err::kNoNode;
  if (Err err = Check(*node, perms::kAdmin); err != Err::kOk) return err;
  if (Err err = CheckVersion(req.version, node->aversion); err != Err::kOk) return err;
  int32_t new_aversion = node->aversion + 1;
  node->aversion = new_aversion;
  node->acl = req.acl;
  pending_.Record(zxid, req.path, std::move(node));

  txn::SetACLTxn txn;
  txn.path = std::move(req.path);
  txn.acl = std::move(req.acl);
  txn.version = new_aversion;
  *body = std::move(txn);
  return Err::kOk;
}

Err PrepProcessor::PrepareCheck(const proto::CheckVersionRequest& req, TxnBody* body) {
  if (!ValidatePath(req.path).empty()) return Err::kBadArguments;
  std::optional<NodeRecord> node = pending_.Lookup(req.path);
  if (!node) return Err::kNoNode;
  if (Err err = Check(*node, perms::kRead); err != Err::kOk) return err;
  if (Err err = CheckVersion(req.version, node->version); err != Err::kOk) return err;
  txn::CheckVersionTxn txn;
  txn.path = req.path;
  txn.version = node->version + 1;
  *body = std::move(txn);
  return Err::kOk;
}

// All or nothing: every op is prepared against the changes of the ops before
// it; if one fails, none is kept, and the client hears which one failed, OK for
// those before it and RuntimeInconsistency for those after, as in ZooKeeper.
bool PrepProcessor::PrepareMulti(const Request& request, int64_t zxid, int64_t now_ms,
                                 TxnBody* body, Response* rejected) {
  std::vector<MultiOp> ops;
  if (!DecodeMultiRequest(request.body, max_buffer_, &ops)) {
    rejected->err = Err::kMarshallingError;
    return false;
  }
  txn::MultiTxn multi;
  size_t failed_at = ops.size();
  Err failure = Err::kOk;
  pending_.BeginStage();
  for (size_t i = 0; i < ops.size(); i++) {
    TxnBody sub;
    Err err = PrepareOp(ops[i], request.session_id, zxid, now_ms, &sub);
    if (err != Err::kOk) {
      failed_at = i;
      failure = err;
      break;
    }
    txn::Txn entry;
    entry.type = static_cast<int32_t>(ops[i].op);
    entry.data = EncodeTxnBody(sub);
    multi.txns.push_back(std::move(entry));
  }
  if (failed_at == ops.size()) {
    pending_.CommitStage();
    *body = std::move(multi);
    return true;
  }
  pending_.DiscardStage();
  rejected->err = Err::kOk;
  rejected->body.clear();
  for (size_t i = 0; i < ops.size(); i++) {
    Err err = i < failed_at ? Err::kOk : i == failed_at ? failure : Err::kRuntimeInconsistency;
    AppendMultiResult(&rejected->body, OpCode::kError, err, "");
  }
  FinishMultiResponse(&rejected->body);
  return false;
}

Err PrepProcessor::PrepareDeleteContainer(const std::string& path, int64_t zxid, int64_t now_ms,
                                          Txn* out) {
  std::string parent_path;
  if (Err err = ParentOf(path, &parent_path); err != Err::kOk) return err;
  std::optional<NodeRecord> node = pending_.Lookup(path);
  if (!node) return Err::kNoNode;
  if (node->child_count > 0) return Err::kNotEmpty;
  if (tree::ClassifyOwner(node->ephemeral_owner, extended_types_) == tree::EphemeralKind::kNormal) {
    return Err::kBadVersion;
  }
  std::optional<NodeRecord> parent = pending_.Lookup(parent_path);
  if (!parent) return Err::kNoNode;
  parent->child_count--;
  pending_.Record(zxid, parent_path, std::move(parent));
  pending_.Record(zxid, path, std::nullopt);
  out->header.clientId = 0;
  out->header.cxid = 0;
  out->header.zxid = zxid;
  out->header.time = now_ms;
  out->header.type = static_cast<int32_t>(OpCode::kDeleteContainer);
  txn::DeleteTxn txn;
  txn.path = path;
  out->body = std::move(txn);
  return Err::kOk;
}

Txn PrepProcessor::PrepareCreateSession(int64_t session_id, int32_t timeout_ms, int64_t zxid,
                                        int64_t now_ms) {
  Txn txn;
  txn.header.clientId = session_id;
  txn.header.zxid = zxid;
  txn.header.time = now_ms;
  txn.header.type = static_cast<int32_t>(OpCode::kCreateSession);
  txn::CreateSessionTxn body;
  body.timeOut = timeout_ms;
  txn.body = body;
  return txn;
}

Txn PrepProcessor::PrepareCloseSession(int64_t session_id, int32_t xid, int64_t zxid,
                                       int64_t now_ms) {
  Txn txn;
  txn.header.clientId = session_id;
  txn.header.cxid = xid;
  txn.header.zxid = zxid;
  txn.header.time = now_ms;
  txn.header.type = static_cast<int32_t>(OpCode::kCloseSession);
  txn::CloseSessionTxn body;
  for (const std::string& path : tree_->EphemeralPaths(session_id)) {
    std::optional<NodeRecord> node = pending_.Lookup(path);
    if (!node || node->ephemeral_owner != session_id) continue;
    std::string parent_path = std::string(ParentPath(path));
    if (std::optional<NodeRecord> parent = pending_.Lookup(parent_path)) {
      parent->child_count--;
      pending_.Record(zxid, parent_path, std::move(parent));
    }
    pending_.Record(zxid, path, std::nullopt);
    body.paths2Delete.push_back(path);
  }
  txn.body = std::move(body);
  return txn;
}

}  // namespace zk::pipeline
