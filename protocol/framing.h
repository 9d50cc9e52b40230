// Client frames: a 4-byte big-endian length, then that many bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace zk {

inline int32_t ReadFrameLength(const unsigned char* p) {
  return static_cast<int32_t>((uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) |
                              (uint32_t{p[2]} << 8) | uint32_t{p[3]});
}

// A length is acceptable when it is positive and within jute.maxbuffer.
inline bool IsValidFrameLength(int32_t len, int32_t max_buffer) {
  return len > 0 && len <= max_buffer;
}

// Prefixes `body` with its length.
inline std::string MakeFrame(std::string_view body) {
  std::string out;
  out.reserve(body.size() + 4);
  auto n = static_cast<uint32_t>(body.size());
  out.push_back(static_cast<char>(n >> 24));
  out.push_back(static_cast<char>(n >> 16));
  out.push_back(static_cast<char>(n >> 8));
  out.push_back(static_cast<char>(n));
  out.append(body);
  return out;
}

}  // namespace zk
