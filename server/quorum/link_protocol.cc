#include "server/quorum/link_protocol.h"

namespace zk::quorum {
namespace {

uint64_t ReadBigEndian64(const char* p) {
  return (uint64_t{ReadBigEndian32(p)} << 32) | ReadBigEndian32(p + 4);
}

}  // namespace

uint32_t ReadBigEndian32(const char* p) {
  auto b = [p](int i) { return uint32_t{static_cast<uint8_t>(p[i])}; };
  return (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
}

void WriteBigEndian32(uint32_t v, char* p) {
  p[0] = static_cast<char>(v >> 24);
  p[1] = static_cast<char>(v >> 16);
  p[2] = static_cast<char>(v >> 8);
  p[3] = static_cast<char>(v);
}

std::string EncodeHello(zab::ServerId id) {
  std::string out(kHelloSize, '\0');
  auto uid = static_cast<uint64_t>(id);
  WriteBigEndian32(kHelloMagic, out.data());
  WriteBigEndian32(kLinkProtocolVersion, out.data() + 4);
  WriteBigEndian32(static_cast<uint32_t>(uid >> 32), out.data() + 8);
  WriteBigEndian32(static_cast<uint32_t>(uid), out.data() + 12);
  return out;
}

bool DecodeHello(std::string_view bytes, zab::ServerId* id, std::string* error) {
  if (bytes.size() != kHelloSize) {
    *error = "short hello";
    return false;
  }
  if (ReadBigEndian32(bytes.data()) != kHelloMagic) {
    *error = "bad magic";
    return false;
  }
  uint32_t version = ReadBigEndian32(bytes.data() + 4);
  if (version != kLinkProtocolVersion) {
    *error = "unsupported protocol version " + std::to_string(version);
    return false;
  }
  *id = static_cast<zab::ServerId>(ReadBigEndian64(bytes.data() + 8));
  return true;
}

}  // namespace zk::quorum
