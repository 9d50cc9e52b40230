#include "server/pipeline/multi_codec.h"

#include "jute/archive.h"

namespace zk::pipeline {
namespace {

template <class T>
bool ReadOp(jute::InputArchive& in, OpCode op, std::vector<MultiOp>* ops) {
  T record;
  if (!record.Deserialize(in)) return false;
  ops->push_back(MultiOp{op, std::move(record)});
  return true;
}

}  // namespace

bool DecodeMultiRequest(std::string_view body, int32_t max_buffer, std::vector<MultiOp>* ops) {
  jute::InputArchive in(body, max_buffer);
  for (;;) {
    proto::MultiHeader header;
    if (!header.Deserialize(in)) return false;
    if (header.done) return true;
    auto op = static_cast<OpCode>(header.type);
    bool ok = false;
    switch (op) {
      case OpCode::kCreate:
      case OpCode::kCreate2:
      case OpCode::kCreateContainer: ok = ReadOp<proto::CreateRequest>(in, op, ops); break;
      case OpCode::kCreateTtl: ok = ReadOp<proto::CreateTTLRequest>(in, op, ops); break;
      case OpCode::kDelete:
      case OpCode::kDeleteContainer: ok = ReadOp<proto::DeleteRequest>(in, op, ops); break;
      case OpCode::kSetData: ok = ReadOp<proto::SetDataRequest>(in, op, ops); break;
      case OpCode::kCheck: ok = ReadOp<proto::CheckVersionRequest>(in, op, ops); break;
      case OpCode::kGetData: ok = ReadOp<proto::GetDataRequest>(in, op, ops); break;
      case OpCode::kGetChildren: ok = ReadOp<proto::GetChildrenRequest>(in, op, ops); break;
      default: return false;
    }
    if (!ok) return false;
  }
}

void AppendMultiResult(std::string* out, OpCode op, Err err, std::string_view body) {
  jute::OutputArchive archive(out);
  proto::MultiHeader header;
  header.type = static_cast<int32_t>(op);
  header.done = false;
  header.err = static_cast<int32_t>(err);
  header.Serialize(archive);
  if (op == OpCode::kError) {
    proto::ErrorResponse error;
    error.err = static_cast<int32_t>(err);
    error.Serialize(archive);
  } else {
    out->append(body);
  }
}

void FinishMultiResponse(std::string* out) {
  jute::OutputArchive archive(out);
  proto::MultiHeader header;
  header.type = -1;
  header.done = true;
  header.err = -1;
  header.Serialize(archive);
}

}  // namespace zk::pipeline
