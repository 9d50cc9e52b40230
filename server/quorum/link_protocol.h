// What travels on a peer link besides the messages themselves: the hello a
// dialling server sends first, and the length header in front of every frame.
//
//   hello:  magic "ZKQP" (4 bytes) | protocol version (u32) | sender id (i64)
//   frame:  length (u32, big-endian, > 0) | EncodeMessage bytes
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "server/zab/types.h"

namespace zk::quorum {

constexpr uint32_t kHelloMagic = 0x5a4b5150;  // "ZKQP"
constexpr uint32_t kLinkProtocolVersion = 1;
constexpr size_t kHelloSize = 16;
constexpr size_t kFrameHeaderSize = 4;

std::string EncodeHello(zab::ServerId id);
// REQUIRES: bytes.size() == kHelloSize. False (with *error set) on a wrong
// magic or version.
bool DecodeHello(std::string_view bytes, zab::ServerId* id, std::string* error);

uint32_t ReadBigEndian32(const char* p);
void WriteBigEndian32(uint32_t v, char* p);

}  // namespace zk::quorum
