// What a learner sends its leader on behalf of its clients: a write request
// (with who the session authenticated as, since ACLs are checked where the
// request is prepared), a new session, or the sessions its clients kept alive.
// The leader prepares and orders them as if its own clients had sent them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "jute/zookeeper.h"
#include "server/pipeline/request.h"

namespace zk::pipeline {

struct Forwarded {
  enum class Kind : int32_t { kRequest = 1, kCreateSession = 2, kTouch = 3 };
  Kind kind = Kind::kRequest;
  Request request;             // kRequest
  std::vector<data::Id> auth;  // kRequest: the session's ids
  int64_t session_id = 0;      // kCreateSession
  int32_t timeout_ms = 0;      // kCreateSession
  std::vector<int64_t> sessions;  // kTouch
};

std::string EncodeForwarded(const Forwarded& f);
// False on any malformed input.
bool DecodeForwarded(std::string_view bytes, Forwarded* f, int32_t max_buffer);

}  // namespace zk::pipeline
