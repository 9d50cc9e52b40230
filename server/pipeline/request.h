// A client request as the pipeline sees it, and the reply it produces.
#pragma once

#include <cstdint>
#include <string>

#include "protocol/errors.h"
#include "protocol/opcodes.h"

namespace zk::pipeline {

struct Request {
  int64_t session_id = 0;
  int32_t xid = 0;
  OpCode op = OpCode::kPing;
  std::string body;  // the request record, after the RequestHeader
  int64_t received_ms = 0;
};

// True for the requests that change state and so become transactions.
inline bool IsWrite(OpCode op) {
  switch (op) {
    case OpCode::kCreate:
    case OpCode::kCreate2:
    case OpCode::kCreateContainer:
    case OpCode::kCreateTtl:
    case OpCode::kDelete:
    case OpCode::kDeleteContainer:
    case OpCode::kSetData:
    case OpCode::kSetAcl:
    case OpCode::kCheck:
    case OpCode::kMulti:
    case OpCode::kCloseSession:
    case OpCode::kReconfig: return true;
    default: return false;
  }
}

struct Response {
  int32_t xid = 0;
  int64_t zxid = 0;
  Err err = Err::kOk;
  std::string body;  // the response record; empty on error
};

}  // namespace zk::pipeline
