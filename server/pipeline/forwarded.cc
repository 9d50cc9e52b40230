#include "server/pipeline/forwarded.h"

#include "jute/archive.h"

namespace zk::pipeline {

std::string EncodeForwarded(const Forwarded& f) {
  std::string out;
  jute::OutputArchive a(&out);
  a.WriteInt(static_cast<int32_t>(f.kind));
  switch (f.kind) {
    case Forwarded::Kind::kRequest:
      a.WriteLong(f.request.session_id);
      a.WriteInt(f.request.xid);
      a.WriteInt(static_cast<int32_t>(f.request.op));
      a.WriteBuffer(f.request.body);
      a.WriteVectorSize(static_cast<int32_t>(f.auth.size()));
      for (const data::Id& id : f.auth) id.Serialize(a);
      break;
    case Forwarded::Kind::kCreateSession:
      a.WriteLong(f.session_id);
      a.WriteInt(f.timeout_ms);
      break;
    case Forwarded::Kind::kTouch:
      a.WriteVectorSize(static_cast<int32_t>(f.sessions.size()));
      for (int64_t id : f.sessions) a.WriteLong(id);
      break;
  }
  return out;
}

bool DecodeForwarded(std::string_view bytes, Forwarded* f, int32_t max_buffer) {
  jute::InputArchive in(bytes, max_buffer);
  int32_t kind = 0;
  if (!in.ReadInt(&kind)) return false;
  *f = Forwarded();
  f->kind = static_cast<Forwarded::Kind>(kind);
  int32_t n = 0;
  switch (f->kind) {
    case Forwarded::Kind::kRequest: {
      int32_t op = 0;
      if (!in.ReadLong(&f->request.session_id) || !in.ReadInt(&f->request.xid) ||
          !in.ReadInt(&op) || !in.ReadBuffer(&f->request.body) || !in.ReadVectorSize(&n)) {
        return false;
      }
      f->request.op = static_cast<OpCode>(op);
      for (int32_t i = 0; i < n; i++) {
        data::Id id;
        if (!id.Deserialize(in)) return false;
        f->auth.push_back(std::move(id));
      }
      break;
    }
    case Forwarded::Kind::kCreateSession:
      if (!in.ReadLong(&f->session_id) || !in.ReadInt(&f->timeout_ms)) return false;
      break;
    case Forwarded::Kind::kTouch:
      if (!in.ReadVectorSize(&n)) return false;
      for (int32_t i = 0; i < n; i++) {
        int64_t id = 0;
        if (!in.ReadLong(&id)) return false;
        f->sessions.push_back(id);
      }
      break;
    default: return false;
  }
  return !in.Failed() && in.Remaining() == 0;
}

}  // namespace zk::pipeline
