// Reading the stream snappy-java's SnappyOutputStream writes, which is what
// Apache ZooKeeper puts in snapshot.<zxid>.snappy. It is not the standard
// snappy framing format: a 16-byte header, then (length, raw snappy block)
// pairs. README.md next to this file gives the layout.
#pragma once

#include <string>
#include <string_view>

#include "server/storage/status.h"

namespace zk::storage::apache {

// Replaces `*out` with the uncompressed bytes of `in`. Each block is checked
// before anything is allocated for it: a bad header, a block length past the
// end, a block that does not decode to exactly its declared length, or a
// length no snappy block of that size can expand to, fails with Corruption.
// The output is therefore bounded by a small multiple of in.size().
Status DecodeSnappyJavaStream(std::string_view in, std::string* out);

}  // namespace zk::storage::apache
