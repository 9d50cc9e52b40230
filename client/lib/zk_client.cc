#include "client/lib/zk_client.h"

#include "client/lib/client_session.h"
#include "client/lib/ops.h"
#include "protocol/path.h"

namespace zk::client {
namespace {

using Request = ClientSession::Request;
using Kind = WatchRegistry::Kind;

template <class Record>
Request MakeRequest(OpCode op, const Record& record, ClientSession::ReplyHandler handler) {
  Request req;
  req.op = op;
  req.body = jute::Encode(record);
  req.handler = std::move(handler);
  return req;
}

// Decodes the response record R when the call succeeded; false when it was
// malformed (reported as kMarshallingError).
template <class R>
bool DecodeBody(Err* err, jute::InputArchive* in, R* out) {
  if (*err != Err::kOk || in == nullptr) return false;
  if (!out->Deserialize(*in)) {
    *err = Err::kMarshallingError;
    return false;
  }
  return true;
}

bool IsSequential(CreateMode mode) {
  return mode == CreateMode::kPersistentSequential || mode == CreateMode::kEphemeralSequential ||
         mode == CreateMode::kPersistentSequentialWithTtl;
}

bool IsTtl(CreateMode mode) {
  return mode == CreateMode::kPersistentWithTtl || mode == CreateMode::kPersistentSequentialWithTtl;
}

bool BadPath(const std::string& path, bool sequential = false) {
  return !ValidatePath(path, sequential).empty();
}

}  // namespace

AclList OpenAclUnsafe() { return {data::ACL{perms::kAll, data::Id{"world", "anyone"}}}; }
AclList CreatorAllAcl() { return {data::ACL{perms::kAll, data::Id{"auth", ""}}}; }
AclList ReadAclUnsafe() { return {data::ACL{perms::kRead, data::Id{"world", "anyone"}}}; }

Op Op::Create(std::string path, std::string data, AclList acl, CreateMode mode, int64_t ttl_ms) {
  Op op;
  op.type = OpCode::kCreate;
  op.path = std::move(path);
  op.data = std::move(data);
  op.acl = std::move(acl);
  op.mode = mode;
  op.ttl_ms = ttl_ms;
  return op;
}

Op Op::Delete(std::string path, int32_t version) {
  Op op;
  op.type = OpCode::kDelete;
  op.path = std::move(path);
  op.version = version;
  return op;
}

Op Op::SetData(std::string path, std::string data, int32_t version) {
  Op op;
  op.type = OpCode::kSetData;
  op.path = std::move(path);
  op.data = std::move(data);
  op.version = version;
  return op;
}

Op Op::Check(std::string path, int32_t version) {
  Op op;
  op.type = OpCode::kCheck;
  op.path = std::move(path);
  op.version = version;
  return op;
}

Op Op::GetData(std::string path) {
  Op op;
  op.type = OpCode::kGetData;
  op.path = std::move(path);
  return op;
}

Op Op::GetChildren(std::string path) {
  Op op;
  op.type = OpCode::kGetChildren;
  op.path = std::move(path);
  return op;
}

ZkClient::ZkClient(ClientOptions options)
    : session_(std::make_shared<ClientSession>(std::move(options))) {
  session_->Start();
}

ZkClient::~ZkClient() { session_->Shutdown(); }

bool ZkClient::Valid() const { return session_->Valid(); }
KeeperState ZkClient::State() const { return session_->State(); }
int64_t ZkClient::SessionId() const { return session_->SessionId(); }
std::string ZkClient::SessionPassword() const { return session_->SessionPassword(); }
int ZkClient::NegotiatedTimeoutMs() const { return session_->NegotiatedTimeoutMs(); }
int64_t ZkClient::LastZxid() const { return session_->LastZxid(); }
std::string ZkClient::CurrentServer() const { return session_->CurrentServer(); }

void ZkClient::Close(VoidCallback done) { session_->Close(std::move(done)); }

void ZkClient::Create(const std::string& path, const std::string& data, const AclList& acl,
                      CreateMode mode, CreateCallback cb, int64_t ttl_ms) {
  Create(path, &data, acl, mode, std::move(cb), ttl_ms);
}

void ZkClient::Create(const std::string& path, const std::string* data, const AclList& acl,
                      CreateMode mode, CreateCallback cb, int64_t ttl_ms) {
  static const std::string kEmpty;
  const std::string& bytes = data != nullptr ? *data : kEmpty;
  bool ttl = IsTtl(mode);
  if (BadPath(path, IsSequential(mode)) || (ttl && ttl_ms <= 0) || (!ttl && ttl_ms != -1)) {
    return cb(Err::kBadArguments, "", Stat());
  }
  ClientSession* s = session_.get();
  auto handler = [s, cb = std::move(cb)](Err err, jute::InputArchive* in) {
    proto::Create2Response r;
    DecodeBody(&err, in, &r);
    return std::function<void()>(
        [cb, err, path = StripChroot(s->Chroot(), r.path), stat = r.stat] { cb(err, path, stat); });
  };
  std::string server_path = PrependChroot(session_->Chroot(), path);
  auto flags = static_cast<int32_t>(mode);
  if (ttl) {
    proto::CreateTTLRequest r{server_path, bytes, data == nullptr, acl, flags, ttl_ms};
    return session_->Submit(MakeRequest(OpCode::kCreateTtl, r, std::move(handler)));
  }
  proto::CreateRequest r{server_path, bytes, data == nullptr, acl, flags};
  OpCode op = mode == CreateMode::kContainer ? OpCode::kCreateContainer : OpCode::kCreate2;
  session_->Submit(MakeRequest(op, r, std::move(handler)));
}

void ZkClient::Delete(const std::string& path, int32_t version, VoidCallback cb) {
  if (BadPath(path)) return cb(Err::kBadArguments);
  proto::DeleteRequest r{PrependChroot(session_->Chroot(), path), version};
  session_->Submit(MakeRequest(OpCode::kDelete, r, [cb = std::move(cb)](Err err, auto*) {
    return std::function<void()>([cb, err] { cb(err); });
  }));
}

void ZkClient::Exists(const std::string& path, StatCallback cb, Watcher watcher) {
  if (BadPath(path)) return cb(Err::kBadArguments, Stat());
  ClientSession* s = session_.get();
  proto::ExistsRequest r{PrependChroot(s->Chroot(), path), static_cast<bool>(watcher)};
  auto handler = [s, path, cb = std::move(cb), watcher = std::move(watcher)](
                     Err err, jute::InputArchive* in) mutable {
    proto::ExistsResponse resp;
    DecodeBody(&err, in, &resp);
    // Registered when the server set it: on the node, or on its creation.
    if (watcher && in != nullptr && (err == Err::kOk || err == Err::kNoNode)) {
      s->Watches().Add(err == Err::kOk ? Kind::kData : Kind::kExist, path, std::move(watcher));
    }
    return std::function<void()>([cb, err, stat = resp.stat] { cb(err, stat); });
  };
  session_->Submit(MakeRequest(OpCode::kExists, r, std::move(handler)));
}

void ZkClient::GetData(const std::string& path, DataCallback cb, Watcher watcher) {
  GetData(path,
          NullableDataCallback([cb = std::move(cb)](Err err, const std::string& data, bool,
                                                    const Stat& stat) { cb(err, data, stat); }),
          std::move(watcher));
}

void ZkClient::GetData(const std::string& path, NullableDataCallback cb, Watcher watcher) {
  if (BadPath(path)) return cb(Err::kBadArguments, "", false, Stat());
  ClientSession* s = session_.get();
  proto::GetDataRequest r{PrependChroot(s->Chroot(), path), static_cast<bool>(watcher)};
  auto handler = [s, path, cb = std::move(cb), watcher = std::move(watcher)](
                     Err err, jute::InputArchive* in) mutable {
    proto::GetDataResponse resp;
    if (DecodeBody(&err, in, &resp) && watcher) {
      s->Watches().Add(Kind::kData, path, std::move(watcher));
    }
    return std::function<void()>([cb, err, data = std::move(resp.data), null = resp.dataIsNull,
                                  stat = resp.stat] { cb(err, data, null, stat); });
  };
  session_->Submit(MakeRequest(OpCode::kGetData, r, std::move(handler)));
}

void ZkClient::SetData(const std::string& path, const std::string& data, int32_t version,
                       StatCallback cb) {
  SetData(path, &data, version, std::move(cb));
}

void ZkClient::SetData(const std::string& path, const std::string* data, int32_t version,
                       StatCallback cb) {
  if (BadPath(path)) return cb(Err::kBadArguments, Stat());
  proto::SetDataRequest r{PrependChroot(session_->Chroot(), path),
                          data != nullptr ? *data : std::string(), data == nullptr, version};
  session_->Submit(MakeRequest(OpCode::kSetData, r, [cb = std::move(cb)](Err err, auto* in) {
    proto::SetDataResponse resp;
    DecodeBody(&err, in, &resp);
    return std::function<void()>([cb, err, stat = resp.stat] { cb(err, stat); });
  }));
}

void ZkClient::GetChildren(const std::string& path, ChildrenCallback cb, Watcher watcher) {
  if (BadPath(path)) return cb(Err::kBadArguments, {}, Stat());
  ClientSession* s = session_.get();
  proto::GetChildrenRequest r{PrependChroot(s->Chroot(), path), static_cast<bool>(watcher)};
  auto handler = [s, path, cb = std::move(cb), watcher = std::move(watcher)](
                     Err err, jute::InputArchive* in) mutable {
    proto::GetChildrenResponse resp;
    if (DecodeBody(&err, in, &resp) && watcher) {
      s->Watches().Add(Kind::kChild, path, std::move(watcher));
    }
    return std::function<void()>(
        [cb, err, children = std::move(resp.children)] { cb(err, children, Stat()); });
  };
  session_->Submit(MakeRequest(OpCode::kGetChildren, r, std::move(handler)));
}

void ZkClient::GetChildren2(const std::string& path, ChildrenCallback cb, Watcher watcher) {
  if (BadPath(path)) return cb(Err::kBadArguments, {}, Stat());
  ClientSession* s = session_.get();
  proto::GetChildren2Request r{PrependChroot(s->Chroot(), path), static_cast<bool>(watcher)};
  auto handler = [s, path, cb = std::move(cb), watcher = std::move(watcher)](
                     Err err, jute::InputArchive* in) mutable {
    proto::GetChildren2Response resp;
    if (DecodeBody(&err, in, &resp) && watcher) {
      s->Watches().Add(Kind::kChild, path, std::move(watcher));
    }
    return std::function<void()>([cb, err, children = std::move(resp.children), stat = resp.stat] {
      cb(err, children, stat);
    });
  };
  session_->Submit(MakeRequest(OpCode::kGetChildren2, r, std::move(handler)));
}

void ZkClient::GetAllChildrenNumber(const std::string& path, CountCallback cb) {
  if (BadPath(path)) return cb(Err::kBadArguments, 0);
  proto::GetAllChildrenNumberRequest r{PrependChroot(session_->Chroot(), path)};
  session_->Submit(
      MakeRequest(OpCode::kGetAllChildrenNumber, r, [cb = std::move(cb)](Err err, auto* in) {
        proto::GetAllChildrenNumberResponse resp;
        DecodeBody(&err, in, &resp);
        return std::function<void()>([cb, err, n = resp.totalNumber] { cb(err, n); });
      }));
}

void ZkClient::GetEphemerals(const std::string& prefix, StringsCallback cb) {
  if (prefix.empty() || prefix[0] != '/') return cb(Err::kBadArguments, {});
  ClientSession* s = session_.get();
  proto::GetEphemeralsRequest r{PrependChroot(s->Chroot(), prefix)};
  session_->Submit(
      MakeRequest(OpCode::kGetEphemerals, r, [s, cb = std::move(cb)](Err err, auto* in) {
        proto::GetEphemeralsResponse resp;
        std::vector<std::string> paths;
        if (DecodeBody(&err, in, &resp)) {
          for (const auto& p : resp.ephemerals) paths.push_back(StripChroot(s->Chroot(), p));
        }
        return std::function<void()>([cb, err, paths = std::move(paths)] { cb(err, paths); });
      }));
}

void ZkClient::Sync(const std::string& path, StringCallback cb) {
  if (BadPath(path)) return cb(Err::kBadArguments, "");
  ClientSession* s = session_.get();
  proto::SyncRequest r{PrependChroot(s->Chroot(), path)};
  session_->Submit(MakeRequest(OpCode::kSync, r, [s, cb = std::move(cb)](Err err, auto* in) {
    proto::SyncResponse resp;
    DecodeBody(&err, in, &resp);
    return std::function<void()>(
        [cb, err, path = StripChroot(s->Chroot(), resp.path)] { cb(err, path); });
  }));
}

namespace {

void SubmitMulti(ClientSession* s, OpCode op, const std::vector<Op>& ops, MultiCallback cb) {
  Request req;
  req.op = op;
  Err err = EncodeMultiRequest(ops, op == OpCode::kMultiRead, s->Chroot(), &req.body);
  if (err != Err::kOk) return cb(err, {});
  req.handler = [s, op, cb = std::move(cb)](Err err, jute::InputArchive* in) {
    std::vector<OpResult> results;
    if (err == Err::kOk && in != nullptr) {
      if (!DecodeMultiResponse(*in, s->Chroot(), &results)) {
        err = Err::kMarshallingError;
      } else if (op == OpCode::kMulti) {
        err = FirstError(results);
      }
    }
    return std::function<void()>([cb, err, results = std::move(results)] { cb(err, results); });
  };
  s->Submit(std::move(req));
}

}  // namespace

void ZkClient::Multi(const std::vector<Op>& ops, MultiCallback cb) {
  SubmitMulti(session_.get(), OpCode::kMulti, ops, std::move(cb));
}

void ZkClient::MultiRead(const std::vector<Op>& ops, MultiCallback cb) {
  SubmitMulti(session_.get(), OpCode::kMultiRead, ops, std::move(cb));
}

void ZkClient::GetAcl(const std::string& path, AclCallback cb) {
  if (BadPath(path)) return cb(Err::kBadArguments, {}, Stat());
  proto::GetACLRequest r{PrependChroot(session_->Chroot(), path)};
  session_->Submit(MakeRequest(OpCode::kGetAcl, r, [cb = std::move(cb)](Err err, auto* in) {
    proto::GetACLResponse resp;
    DecodeBody(&err, in, &resp);
    return std::function<void()>(
        [cb, err, acl = std::move(resp.acl), stat = resp.stat] { cb(err, acl, stat); });
  }));
}

void ZkClient::SetAcl(const std::string& path, const AclList& acl, int32_t aversion,
                      StatCallback cb) {
  if (BadPath(path)) return cb(Err::kBadArguments, Stat());
  proto::SetACLRequest r{PrependChroot(session_->Chroot(), path), acl, aversion};
  session_->Submit(MakeRequest(OpCode::kSetAcl, r, [cb = std::move(cb)](Err err, auto* in) {
    proto::SetACLResponse resp;
    DecodeBody(&err, in, &resp);
    return std::function<void()>([cb, err, stat = resp.stat] { cb(err, stat); });
  }));
}

void ZkClient::AddAuth(const std::string& scheme, const std::string& auth, VoidCallback cb) {
  AddAuth(scheme, &auth, std::move(cb));
}

void ZkClient::AddAuth(const std::string& scheme, const std::string* auth, VoidCallback cb) {
  std::string bytes = auth != nullptr ? *auth : std::string();
  session_->SubmitAuth(scheme, std::move(bytes), auth == nullptr,
                       [cb = std::move(cb)](Err err, jute::InputArchive*) {
                         return std::function<void()>([cb, err] {
                           if (cb) cb(err);
                         });
                       });
}

void ZkClient::AddWatch(const std::string& path, AddWatchMode mode, Watcher watcher,
                        VoidCallback cb) {
  if (BadPath(path) || !watcher) return cb(Err::kBadArguments);
  ClientSession* s = session_.get();
  proto::AddWatchRequest r{PrependChroot(s->Chroot(), path), static_cast<int32_t>(mode)};
  auto handler = [s, path, mode, cb = std::move(cb), watcher = std::move(watcher)](
                     Err err, jute::InputArchive* in) mutable {
    if (err == Err::kOk && in != nullptr) {
      s->Watches().Add(
          mode == AddWatchMode::kPersistent ? Kind::kPersistent : Kind::kPersistentRecursive, path,
          std::move(watcher));
    }
    return std::function<void()>([cb, err] { cb(err); });
  };
  session_->Submit(MakeRequest(OpCode::kAddWatch, r, std::move(handler)));
}

void ZkClient::RemoveWatches(const std::string& path, WatcherType type, VoidCallback cb) {
  if (BadPath(path)) return cb(Err::kBadArguments);
  ClientSession* s = session_.get();
  proto::RemoveWatchesRequest r{PrependChroot(s->Chroot(), path), static_cast<int32_t>(type)};
  auto handler = [s, path, type, cb = std::move(cb)](Err err, jute::InputArchive* in) {
    if (err == Err::kOk && in != nullptr) {
      for (auto& [watcher, event_type] : s->Watches().Remove(path, type)) {
        s->DeliverWatcher(std::move(watcher),
                          WatchedEvent{event_type, KeeperState::kSyncConnected, path});
      }
    }
    return std::function<void()>([cb, err] { cb(err); });
  };
  session_->Submit(MakeRequest(OpCode::kRemoveWatches, r, std::move(handler)));
}

void ZkClient::CheckWatches(const std::string& path, WatcherType type, VoidCallback cb) {
  if (BadPath(path)) return cb(Err::kBadArguments);
  proto::CheckWatchesRequest r{PrependChroot(session_->Chroot(), path), static_cast<int32_t>(type)};
  session_->Submit(MakeRequest(OpCode::kCheckWatches, r, [cb = std::move(cb)](Err err, auto*) {
    return std::function<void()>([cb, err] { cb(err); });
  }));
}

void ZkClient::WhoAmI(WhoAmICallback cb) {
  Request req;
  req.op = OpCode::kWhoAmI;
  req.handler = [cb = std::move(cb)](Err err, jute::InputArchive* in) {
    proto::WhoAmIResponse resp;
    DecodeBody(&err, in, &resp);
    return std::function<void()>([cb, err, infos = std::move(resp.clientInfo)] { cb(err, infos); });
  };
  session_->Submit(std::move(req));
}

}  // namespace zk::client
