// multi and multiRead bodies: a run of (MultiHeader, op record) pairs closed by
// a header with done = true, the layout of ZooKeeper's MultiOperationRecord and
// MultiResponse.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "jute/zookeeper.h"
#include "protocol/errors.h"
#include "protocol/opcodes.h"

namespace zk::pipeline {

using MultiOpRecord =
    std::variant<proto::CreateRequest, proto::CreateTTLRequest, proto::DeleteRequest,
                 proto::SetDataRequest, proto::CheckVersionRequest, proto::GetDataRequest,
                 proto::GetChildrenRequest>;

struct MultiOp {
  OpCode op;
  MultiOpRecord record;
};

// False when the body is malformed or names an op a multi cannot hold.
bool DecodeMultiRequest(std::string_view body, int32_t max_buffer, std::vector<MultiOp>* ops);

// Appends one result: `op` is the result's type (kError for an error result,
// whose `body` is then ignored and an ErrorResponse written instead).
void AppendMultiResult(std::string* out, OpCode op, Err err, std::string_view body);
// Closes a response with the done marker.
void FinishMultiResponse(std::string* out);

}  // namespace zk::pipeline
