#include "client/lib/ops.h"

#include "client/lib/connect_string.h"
#include "protocol/path.h"

namespace zk::client {
namespace {

bool IsSequential(CreateMode mode) {
  return mode == CreateMode::kPersistentSequential || mode == CreateMode::kEphemeralSequential ||
         mode == CreateMode::kPersistentSequentialWithTtl;
}

bool IsTtl(CreateMode mode) {
  return mode == CreateMode::kPersistentWithTtl || mode == CreateMode::kPersistentSequentialWithTtl;
}

void WriteHeader(jute::OutputArchive& out, OpCode type, bool done) {
  proto::MultiHeader h;
  h.type = static_cast<int32_t>(type);
  h.done = done;
  h.err = -1;
  h.Serialize(out);
}

Err EncodeOne(const Op& op, bool read_only, std::string_view chroot, jute::OutputArchive& out) {
  bool sequential = op.type == OpCode::kCreate && IsSequential(op.mode);
  if (!ValidatePath(op.path, sequential).empty()) return Err::kBadArguments;
  std::string path = PrependChroot(chroot, op.path);
  switch (op.type) {
    case OpCode::kCreate: {
      if (read_only) return Err::kBadArguments;
      if (IsTtl(op.mode)) {
        if (op.ttl_ms <= 0) return Err::kBadArguments;
        WriteHeader(out, OpCode::kCreateTtl, false);
        proto::CreateTTLRequest r{path,     op.data, false, op.acl, static_cast<int32_t>(op.mode),
                                  op.ttl_ms};
        r.Serialize(out);
        return Err::kOk;
      }
      if (op.ttl_ms != -1) return Err::kBadArguments;
      WriteHeader(out,
                  op.mode == CreateMode::kContainer ? OpCode::kCreateContainer : OpCode::kCreate,
                  false);
      proto::CreateRequest r{path, op.data, false, op.acl, static_cast<int32_t>(op.mode)};
      r.Serialize(out);
      return Err::kOk;
    }
    case OpCode::kDelete: {
      if (read_only) return Err::kBadArguments;
      WriteHeader(out, op.type, false);
      proto::DeleteRequest{path, op.version}.Serialize(out);
      return Err::kOk;
    }
    case OpCode::kSetData: {
      if (read_only) return Err::kBadArguments;
      WriteHeader(out, op.type, false);
      proto::SetDataRequest{path, op.data, false, op.version}.Serialize(out);
      return Err::kOk;
    }
    case OpCode::kCheck: {
      if (read_only) return Err::kBadArguments;
      WriteHeader(out, op.type, false);
      proto::CheckVersionRequest{path, op.version}.Serialize(out);
      return Err::kOk;
    }
    case OpCode::kGetData: {
      if (!read_only) return Err::kBadArguments;
      WriteHeader(out, op.type, false);
      proto::GetDataRequest{path, false}.Serialize(out);
      return Err::kOk;
    }
    case OpCode::kGetChildren: {
      if (!read_only) return Err::kBadArguments;
      WriteHeader(out, op.type, false);
      proto::GetChildrenRequest{path, false}.Serialize(out);
      return Err::kOk;
    }
    default: return Err::kBadArguments;
  }
}

}  // namespace

Err EncodeMultiRequest(const std::vector<Op>& ops, bool read_only, std::string_view chroot,
                       std::string* body) {
  jute::OutputArchive out(body);
  for (const Op& op : ops) {
    Err err = EncodeOne(op, read_only, chroot, out);
    if (err != Err::kOk) return err;
  }
  WriteHeader(out, OpCode::kError, true);
  return Err::kOk;
}

bool DecodeMultiResponse(jute::InputArchive& in, std::string_view chroot,
                         std::vector<OpResult>* results) {
  results->clear();
  while (true) {
    proto::MultiHeader h;
    if (!h.Deserialize(in)) return false;
    if (h.done) return true;
    OpResult r;
    r.type = static_cast<OpCode>(h.type);
    r.err = static_cast<Err>(h.err);
    switch (r.type) {
      case OpCode::kCreate: {
        proto::CreateResponse body;
        if (!body.Deserialize(in)) return false;
        r.path = StripChroot(chroot, body.path);
        break;
      }
      case OpCode::kCreate2:
      case OpCode::kCreateContainer:
      case OpCode::kCreateTtl: {
        proto::Create2Response body;
        if (!body.Deserialize(in)) return false;
        r.path = StripChroot(chroot, body.path);
        r.stat = body.stat;
        break;
      }
      case OpCode::kSetData: {
        proto::SetDataResponse body;
        if (!body.Deserialize(in)) return false;
        r.stat = body.stat;
        break;
      }
      case OpCode::kGetData: {
        proto::GetDataResponse body;
        if (!body.Deserialize(in)) return false;
        r.data = std::move(body.data);
        r.stat = body.stat;
        break;
      }
      case OpCode::kGetChildren: {
        proto::GetChildrenResponse body;
        if (!body.Deserialize(in)) return false;
        r.children = std::move(body.children);
        break;
      }
      case OpCode::kError: {
        proto::ErrorResponse body;
        if (!body.Deserialize(in)) return false;
        r.err = static_cast<Err>(body.err);
        break;
      }
      case OpCode::kDelete:
      case OpCode::kCheck: break;
      default: return false;
    }
    results->push_back(std::move(r));
  }
}

Err FirstError(const std::vector<OpResult>& results) {
  for (const auto& r : results) {
    if (r.err != Err::kOk) return r.err;
  }
  return Err::kOk;
}

}  // namespace zk::client
