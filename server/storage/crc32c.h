// CRC-32C (Castagnoli), the checksum of log values and snapshot files. Uses
// the SSE4.2 instruction where the CPU has it, a table otherwise; both give
// the same result.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace zk::storage::crc32c {

// The CRC of `data` appended to data whose CRC was `crc` (0 to start).
uint32_t Extend(uint32_t crc, const char* data, size_t n);

inline uint32_t Value(std::string_view data) { return Extend(0, data.data(), data.size()); }

}  // namespace zk::storage::crc32c
