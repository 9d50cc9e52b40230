#include "server/pipeline/read_processor.h"

#include <algorithm>

#include "jute/archive.h"
#include "jute/zookeeper.h"
#include "server/auth/acl.h"
#include "server/auth/authenticate.h"
#include "server/pipeline/multi_codec.h"
#include "server/tree/data_tree.h"

namespace zk::pipeline {
namespace {

// Who is reading: ACL checks need the session's identities.
struct Reader {
  const auth::AuthInfo& auth;
  const auth::AuthSettings& settings;

  // kOk when the node exists and the reader may `perm` it.
  Err Check(tree::DataTree& tree, const std::string& path, int32_t perm) const {
    std::optional<tree::NodeView> node = tree.Find(path);
    if (!node) return Err::kNoNode;
    return auth::CheckAcl(node->acl(), perm, auth, settings);
  }
};

template <class Req>
bool DecodeRequest(const Request& request, Req* out, Response* response) {
  if (jute::Decode(request.body, out)) return true;
  response->err = Err::kMarshallingError;
  return false;
}

void Exists(tree::DataTree& tree, const Request& request, Response* response) {
  proto::ExistsRequest req;
  if (!DecodeRequest(request, &req, response)) return;
  // An exists watch is set whether or not the node is there: it fires on creation.
  if (req.watch) tree.AddWatch(req.path, request.session_id, tree::WatchKind::kData);
  proto::ExistsResponse rsp;
  response->err = tree.GetStat(req.path, &rsp.stat);
  if (response->err == Err::kOk) response->body = jute::Encode(rsp);
}

void GetData(tree::DataTree& tree, const Reader& reader, const Request& request,
             Response* response) {
  proto::GetDataRequest req;
  if (!DecodeRequest(request, &req, response)) return;
  proto::GetDataResponse rsp;
  response->err = reader.Check(tree, req.path, perms::kRead);
  if (response->err != Err::kOk) return;
  response->err = tree.GetData(req.path, &rsp.data, &rsp.stat, &rsp.dataIsNull);
  if (response->err != Err::kOk) return;
  if (req.watch) tree.AddWatch(req.path, request.session_id, tree::WatchKind::kData);
  response->body = jute::Encode(rsp);
}

void GetChildren(tree::DataTree& tree, const Reader& reader, const Request& request,
                 Response* response) {
  proto::GetChildrenRequest req;
  if (!DecodeRequest(request, &req, response)) return;
  proto::GetChildrenResponse rsp;
  data::Stat stat;
  response->err = reader.Check(tree, req.path, perms::kRead);
  if (response->err != Err::kOk) return;
  response->err = tree.GetChildren(req.path, &rsp.children, &stat);
  if (response->err != Err::kOk) return;
  if (req.watch) tree.AddWatch(req.path, request.session_id, tree::WatchKind::kChild);
  response->body = jute::Encode(rsp);
}

void GetChildren2(tree::DataTree& tree, const Reader& reader, const Request& request,
                  Response* response) {
  proto::GetChildren2Request req;
  if (!DecodeRequest(request, &req, response)) return;
  proto::GetChildren2Response rsp;
  response->err = reader.Check(tree, req.path, perms::kRead);
  if (response->err != Err::kOk) return;
  response->err = tree.GetChildren(req.path, &rsp.children, &rsp.stat);
  if (response->err != Err::kOk) return;
  if (req.watch) tree.AddWatch(req.path, request.session_id, tree::WatchKind::kChild);
  response->body = jute::Encode(rsp);
}

void GetAcl(tree::DataTree& tree, const Reader& reader, const Request& request,
            Response* response) {
  proto::GetACLRequest req;
  if (!DecodeRequest(request, &req, response)) return;
  proto::GetACLResponse rsp;
  response->err = reader.Check(tree, req.path, perms::kRead | perms::kAdmin);
  if (response->err != Err::kOk) return;
  response->err = tree.GetAcl(req.path, &rsp.acl, &rsp.stat);
  if (response->err != Err::kOk) return;
  // Without ADMIN a client sees digest ids masked, as in ZooKeeper.
  if (reader.Check(tree, req.path, perms::kAdmin) != Err::kOk) {
    rsp.acl = auth::RedactDigests(rsp.acl);
  }
  response->body = jute::Encode(rsp);
}

void GetAllChildrenNumber(tree::DataTree& tree, const Reader& reader, const Request& request,
                          Response* response) {
  proto::GetAllChildrenNumberRequest req;
  if (!DecodeRequest(request, &req, response)) return;
  proto::GetAllChildrenNumberResponse rsp;
  response->err = reader.Check(tree, req.path, perms::kRead);
  if (response->err != Err::kOk) return;
  response->err = tree.CountDescendants(req.path, &rsp.totalNumber);
  if (response->err == Err::kOk) response->body = jute::Encode(rsp);
}

void GetEphemerals(tree::DataTree& tree, const Request& request, Response* response) {
  proto::GetEphemeralsRequest req;
  if (!DecodeRequest(request, &req, response)) return;
  proto::GetEphemeralsResponse rsp;
  for (const std::string& path : tree.EphemeralPaths(request.session_id)) {
    if (path.starts_with(req.prefixPath)) rsp.ephemerals.push_back(path);
  }
  response->body = jute::Encode(rsp);
}

void Sync(const Request& request, Response* response) {
  proto::SyncRequest req;
  if (!DecodeRequest(request, &req, response)) return;
  proto::SyncResponse rsp;
  rsp.path = req.path;
  response->body = jute::Encode(rsp);
}

// Re-registers the watches a client held before reconnecting.
void SetWatches(tree::DataTree& tree, const Request& request, Response* response) {
  proto::SetWatches req;
  if (!DecodeRequest(request, &req, response)) return;
  tree.SetWatches(req.relativeZxid, req.dataWatches, req.existWatches, req.childWatches, {}, {},
                  request.session_id);
}

// Several reads in one request; each op answers on its own, failures included.
void MultiRead(tree::DataTree& tree, const Reader& reader, const Request& request,
               Response* response) {
  std::vector<MultiOp> ops;
  if (!DecodeMultiRequest(request.body, INT32_MAX, &ops)) {
    response->err = Err::kMarshallingError;
    return;
  }
  for (const MultiOp& op : ops) {
    Err err = Err::kUnimplemented;
    std::string body;
    const std::string& path =
        op.op == OpCode::kGetData       ? std::get<proto::GetDataRequest>(op.record).path
        : op.op == OpCode::kGetChildren ? std::get<proto::GetChildrenRequest>(op.record).path
                                        : std::string();
    if (Err denied = reader.Check(tree, path, perms::kRead); denied != Err::kOk) {
      err = denied;
    } else if (op.op == OpCode::kGetData) {
      proto::GetDataResponse rsp;
      err = tree.GetData(std::get<proto::GetDataRequest>(op.record).path, &rsp.data, &rsp.stat,
                         &rsp.dataIsNull);
      if (err == Err::kOk) body = jute::Encode(rsp);
    } else if (op.op == OpCode::kGetChildren) {
      proto::GetChildrenResponse rsp;
      err = tree.GetChildren(std::get<proto::GetChildrenRequest>(op.record).path, &rsp.children,
                             nullptr);
      if (err == Err::kOk) body = jute::Encode(rsp);
    }
    AppendMultiResult(&response->body, err == Err::kOk ? op.op : OpCode::kError, err, body);
  }
  FinishMultiResponse(&response->body);
}

void SetWatches2(tree::DataTree& tree, const Request& request, Response* response) {
  proto::SetWatches2 req;
  if (!DecodeRequest(request, &req, response)) return;
  tree.SetWatches(req.relativeZxid, req.dataWatches, req.existWatches, req.childWatches,
                  req.persistentWatches, req.persistentRecursiveWatches, request.session_id);
}

// addWatch: a persistent (mode 0) or persistent-recursive (mode 1) watch.
void AddWatch(tree::DataTree& tree, const Request& request, Response* response) {
  proto::AddWatchRequest req;
  if (!DecodeRequest(request, &req, response)) return;
  if (req.mode != 0 && req.mode != 1) {
    response->err = Err::kBadArguments;
    return;
  }
  tree.AddWatch(
      req.path, request.session_id,
      req.mode == 0 ? tree::WatchKind::kPersistent : tree::WatchKind::kPersistentRecursive);
  proto::ErrorResponse rsp;
  rsp.err = 0;
  response->body = jute::Encode(rsp);
}

bool IsWatcherType(int32_t type) { return type >= 1 && type <= 5; }

void CheckWatches(tree::DataTree& tree, const Request& request, Response* response) {
  proto::CheckWatchesRequest req;
  if (!DecodeRequest(request, &req, response)) return;
  if (!IsWatcherType(req.type) ||
      !tree.ContainsWatch(req.path, request.session_id, static_cast<tree::WatcherType>(req.type))) {
    response->err = Err::kNoWatcher;
  }
}

void RemoveWatches(tree::DataTree& tree, const Request& request, Response* response) {
  proto::RemoveWatchesRequest req;
  if (!DecodeRequest(request, &req, response)) return;
  if (!IsWatcherType(req.type) ||
      !tree.RemoveWatch(req.path, request.session_id, static_cast<tree::WatcherType>(req.type))) {
    response->err = Err::kNoWatcher;
  }
}

void WhoAmI(const Reader& reader, Response* response) {
  proto::WhoAmIResponse rsp;
  rsp.clientInfo = auth::WhoAmI(reader.auth, reader.settings);
  response->body = jute::Encode(rsp);
}

}  // namespace

Response ExecuteRead(tree::DataTree& tree, const Request& request, const auth::AuthInfo& auth,
                     const auth::AuthSettings& settings) {
  Reader reader{auth, settings};
  Response response;
  response.xid = request.xid;
  switch (request.op) {
    case OpCode::kExists: Exists(tree, request, &response); break;
    case OpCode::kGetData: GetData(tree, reader, request, &response); break;
    case OpCode::kGetChildren: GetChildren(tree, reader, request, &response); break;
    case OpCode::kGetChildren2: GetChildren2(tree, reader, request, &response); break;
    case OpCode::kGetAcl: GetAcl(tree, reader, request, &response); break;
    case OpCode::kGetAllChildrenNumber:
      GetAllChildrenNumber(tree, reader, request, &response);
      break;
    case OpCode::kGetEphemerals: GetEphemerals(tree, request, &response); break;
    case OpCode::kSync: Sync(request, &response); break;
    case OpCode::kSetWatches: SetWatches(tree, request, &response); break;
    case OpCode::kMultiRead: MultiRead(tree, reader, request, &response); break;
    case OpCode::kWhoAmI: WhoAmI(reader, &response); break;
    case OpCode::kSetWatches2: SetWatches2(tree, request, &response); break;
    case OpCode::kAddWatch: AddWatch(tree, request, &response); break;
    case OpCode::kCheckWatches: CheckWatches(tree, request, &response); break;
    case OpCode::kRemoveWatches: RemoveWatches(tree, request, &response); break;
    case OpCode::kPing: break;
    default: response.err = Err::kUnimplemented; break;
  }
  return response;
}

}  // namespace zk::pipeline
