// Constants of the snapshot file format (FORMAT.md). Every integer is
// big-endian; strings, buffers and records use the Jute encoding.
#pragma once

#include <cstdint>
#include <string_view>

namespace zk::storage::snapshot_format {

inline constexpr std::string_view kMagic = "ZKCS";  // ZooKeeper C++ snapshot
inline constexpr int32_t kVersion = 1;
// magic(4) version(4) zxid(8)
inline constexpr size_t kHeaderSize = 16;
// length of everything before the trailer (8), crc32c of it (4)
inline constexpr size_t kTrailerSize = 12;

inline constexpr std::string_view kFilePrefix = "snapshot.";
inline constexpr std::string_view kTempSuffix = ".tmp";

}  // namespace zk::storage::snapshot_format
