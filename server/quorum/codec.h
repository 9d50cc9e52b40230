// The bytes of one zab::Message on a peer link. Every field is encoded, so a
// message decodes to exactly what was encoded. The format is documented in
// README.md; its first byte is a format version.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "server/zab/message.h"

namespace zk::quorum {

// The format version written first. A decoder rejects any other.
constexpr uint8_t kCodecVersion = 1;

std::string EncodeMessage(const zab::Message& m);
// Appends the encoding to *out (lets a caller put a frame header in front
// without copying the body twice).
void AppendMessage(const zab::Message& m, std::string* out);
// Exactly how many bytes EncodeMessage produces.
size_t EncodedSize(const zab::Message& m);

// False on any malformed, truncated or over-long input; *m is then unspecified.
// Never allocates more than a small multiple of bytes.size().
bool DecodeMessage(std::string_view bytes, zab::Message* m);

}  // namespace zk::quorum
