// Big-endian fixed-width integers, the byte order of every storage format.
#pragma once

#include <cstdint>
#include <string>

namespace zk::storage {

inline void PutBigEndian32(std::string* out, uint32_t v) {
  char b[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
               static_cast<char>(v)};
  out->append(b, 4);
}

inline void PutBigEndian64(std::string* out, uint64_t v) {
  PutBigEndian32(out, static_cast<uint32_t>(v >> 32));
  PutBigEndian32(out, static_cast<uint32_t>(v));
}

inline uint32_t GetBigEndian32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return (uint32_t{u[0]} << 24) | (uint32_t{u[1]} << 16) | (uint32_t{u[2]} << 8) | uint32_t{u[3]};
}

inline uint64_t GetBigEndian64(const char* p) {
  return (uint64_t{GetBigEndian32(p)} << 32) | GetBigEndian32(p + 4);
}

}  // namespace zk::storage
