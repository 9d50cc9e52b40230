#include "server/pipeline/prep_processor.h"

#include "jute/archive.h"
#include "protocol/path.h"
#include "server/tree/data_tree.h"
#include "server/tree/sequential_name.h"

namespace zk::pipeline {
namespace {

constexpr int32_t kAnyVersion = -1;

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

txn::TxnHeader Header(const Request& request, int64_t zxid, int64_t now_ms) {
  txn::TxnHeader h;
  h.clientId = request.session_id;
  h.cxid = request.xid;
  h.zxid = zxid;
  h.time = now_ms;
  h.type = static_cast<int32_t>(request.op);
  return h;
}

}  // namespace

Err PrepProcessor::Prepare(const Request& request, int64_t zxid, int64_t now_ms, Txn* out) {
  switch (request.op) {
    case OpCode::kCreate:
    case OpCode::kCreate2:
      return PrepareCreate(request, zxid, now_ms, out);
    case OpCode::kDelete:
      return PrepareDelete(request, zxid, out);
    case OpCode::kSetData:
      return PrepareSetData(request, zxid, now_ms, out);
    default:
      return Err::kUnimplemented;
  }
}

Err PrepProcessor::PrepareCreate(const Request& request, int64_t zxid, int64_t now_ms,
                                 Txn* out) {
  proto::CreateRequest req;
  if (!jute::Decode(request.body, &req)) return Err::kMarshallingError;
  if (req.flags < 0 || req.flags > static_cast<int32_t>(CreateMode::kPersistentSequentialWithTtl)) {
    return Err::kBadArguments;
  }
  auto mode = static_cast<CreateMode>(req.flags);
  if (mode == CreateMode::kContainer || mode == CreateMode::kPersistentWithTtl ||
      mode == CreateMode::kPersistentSequentialWithTtl) {
    return Err::kUnimplemented;
  }
  std::string parent_path;
  if (Err err = ParentOf(req.path, &parent_path); err != Err::kOk) return err;
  if (req.acl.empty()) return Err::kInvalidAcl;
  std::optional<NodeRecord> parent = pending_.Lookup(parent_path);
  if (!parent) return Err::kNoNode;

  std::string path = req.path;
  if (IsSequential(mode)) path = tree::SequentialPath(path, parent->cversion);
  if (!ValidatePath(path).empty()) return Err::kBadArguments;
  if (pending_.Lookup(path)) return Err::kNodeExists;
  if (tree::ClassifyOwner(parent->ephemeral_owner, extended_types_) ==
      tree::EphemeralKind::kNormal) {
    return Err::kNoChildrenForEphemerals;
  }

  bool ephemeral = mode == CreateMode::kEphemeral || mode == CreateMode::kEphemeralSequential;
  int32_t new_cversion = parent->cversion + 1;
  txn::CreateTxn body;
  body.path = path;
  body.data = std::move(req.data);
  body.acl = req.acl;
  body.ephemeral = ephemeral;
  body.parentCVersion = new_cversion;

  parent->cversion = new_cversion;
  parent->child_count++;
  NodeRecord node;
  node.ephemeral_owner = ephemeral ? request.session_id : 0;
  node.acl = std::move(req.acl);
  pending_.Record(zxid, parent_path, std::move(parent));
  pending_.Record(zxid, path, std::move(node));

  out->header = Header(request, zxid, now_ms);
  out->body = std::move(body);
  return Err::kOk;
}

Err PrepProcessor::PrepareDelete(const Request& request, int64_t zxid, Txn* out) {
  proto::DeleteRequest req;
  if (!jute::Decode(request.body, &req)) return Err::kMarshallingError;
  std::string parent_path;
  if (Err err = ParentOf(req.path, &parent_path); err != Err::kOk) return err;
  if (IsSpecialPath(req.path)) return Err::kBadArguments;
  std::optional<NodeRecord> parent = pending_.Lookup(parent_path);
  if (!parent) return Err::kNoNode;
  std::optional<NodeRecord> node = pending_.Lookup(req.path);
  if (!node) return Err::kNoNode;
  if (req.version != kAnyVersion && req.version != node->version) return Err::kBadVersion;
  if (node->child_count > 0) return Err::kNotEmpty;

  parent->child_count--;
  pending_.Record(zxid, parent_path, std::move(parent));
  pending_.Record(zxid, req.path, std::nullopt);

  out->header = Header(request, zxid, 0);
  txn::DeleteTxn body;
  body.path = req.path;
  out->body = std::move(body);
  return Err::kOk;
}

Err PrepProcessor::PrepareSetData(const Request& request, int64_t zxid, int64_t now_ms,
                                  Txn* out) {
  proto::SetDataRequest req;
  if (!jute::Decode(request.body, &req)) return Err::kMarshallingError;
  if (!ValidatePath(req.path).empty()) return Err::kBadArguments;
  std::optional<NodeRecord> node = pending_.Lookup(req.path);
  if (!node) return Err::kNoNode;
  if (req.version != kAnyVersion && req.version != node->version) return Err::kBadVersion;
  int32_t new_version = node->version + 1;

  node->version = new_version;
  pending_.Record(zxid, req.path, std::move(node));

  out->header = Header(request, zxid, now_ms);
  txn::SetDataTxn body;
  body.path = req.path;
  body.data = std::move(req.data);
  body.version = new_version;
  out->body = std::move(body);
  return Err::kOk;
}

Txn PrepProcessor::PrepareCreateSession(int64_t session_id, int32_t timeout_ms, int64_t zxid,
                                        int64_t now_ms) {
  Txn txn;
  txn.header.clientId = session_id;
  txn.header.cxid = 0;
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
