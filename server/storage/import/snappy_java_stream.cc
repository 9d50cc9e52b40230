#include "server/storage/import/snappy_java_stream.h"

#include <snappy.h>

#include <cstdint>

#include "server/storage/byte_order.h"
#include "server/storage/import/apache_format.h"

namespace zk::storage::apache {
namespace {

Status Corrupt(const std::string& what) {
  return Status::Corruption("apache snapshot", "snappy stream: " + what);
}

// A header at the start of `in`: the magic, the writer's version, then the
// oldest reader version that can read it.
Status CheckHeader(std::string_view in) {
  if (in.size() < kSnappyHeaderSize) return Corrupt("truncated header");
  if (in.substr(0, kSnappyMagic.size()) != kSnappyMagic) {
    return Corrupt("bad magic (not written by snappy-java's SnappyOutputStream)");
  }
  auto version = static_cast<int32_t>(GetBigEndian32(in.data() + kSnappyMagic.size()));
  auto compatible = static_cast<int32_t>(GetBigEndian32(in.data() + kSnappyMagic.size() + 4));
  if (version < kSnappyStreamVersion) {
    return Corrupt("unsupported version " + std::to_string(version));
  }
  if (compatible > kSnappyStreamVersion) {
    return Corrupt("needs a reader of version " + std::to_string(compatible));
  }
  return Status::OK();
}

// Appends one raw snappy block to `out`, after checking its declared length
// against what `block` can possibly hold.
Status AppendBlock(std::string_view block, std::string* out) {
  size_t length = 0;
  if (block.empty() || !snappy::GetUncompressedLength(block.data(), block.size(), &length)) {
    return Corrupt("bad block preamble");
  }
  if (length / kSnappyMaxExpansion > block.size()) {
    return Corrupt("block claims " + std::to_string(length) + " bytes from " +
                   std::to_string(block.size()));
  }
  size_t old_size = out->size();
  out->resize(old_size + length);
  if (!snappy::RawUncompress(block.data(), block.size(), out->data() + old_size)) {
    out->resize(old_size);
    return Corrupt("damaged block");
  }
  return Status::OK();
}

}  // namespace

Status DecodeSnappyJavaStream(std::string_view in, std::string* out) {
  out->clear();
  if (Status s = CheckHeader(in); !s.ok()) return s;
  in.remove_prefix(kSnappyHeaderSize);
  while (!in.empty()) {
    if (in.size() < 4) return Corrupt("truncated block length");
    uint32_t length = GetBigEndian32(in.data());
    if (length == kSnappyMagicHead) {
      // Another stream appended to this one starts with its own header.
      if (Status s = CheckHeader(in); !s.ok()) return s;
      in.remove_prefix(kSnappyHeaderSize);
      continue;
    }
    in.remove_prefix(4);
    if (length > in.size()) {
      return Corrupt("block length " + std::to_string(length) + " past the end");
    }
    if (Status s = AppendBlock(in.substr(0, length), out); !s.ok()) return s;
    in.remove_prefix(length);
  }
  return Status::OK();
}

}  // namespace zk::storage::apache
