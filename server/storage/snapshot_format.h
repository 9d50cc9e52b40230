// Constants of the snapshot file format (FORMAT.md). Fixed-width integers are
// big-endian. Version 1 encodes everything in Jute; version 2 keeps the same
// header and trailer around snappy-compressed blocks of compact records;
// version 3 (written now) is version 2 that also tells null data from empty.
// All are read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace zk::storage::snapshot_format {

inline constexpr std::string_view kMagic = "ZKCS";  // ZooKeeper C++ snapshot
inline constexpr int32_t kVersionJute = 1;
inline constexpr int32_t kVersionCompact = 2;
inline constexpr int32_t kVersionCompactNull = 3;         // node data length + 1, 0 for null
inline constexpr int32_t kVersion = kVersionCompactNull;  // what writers produce
// magic(4) version(4) zxid(8)
inline constexpr size_t kHeaderSize = 16;
// length of everything before the trailer (8), crc32c of it (4)
inline constexpr size_t kTrailerSize = 12;

// Versions 2 and 3: a block is cut after the first record that takes its
// uncompressed size to kBlockTarget or more; no block may decompress to more
// than kMaxBlockBytes (a record holds at most one node, whose data is
// bounded by jute.maxbuffer far below this).
inline constexpr size_t kBlockTarget = 64 << 10;
inline constexpr size_t kMaxBlockBytes = size_t{1} << 30;

inline constexpr std::string_view kFilePrefix = "snapshot.";
inline constexpr std::string_view kTempSuffix = ".tmp";

}  // namespace zk::storage::snapshot_format
