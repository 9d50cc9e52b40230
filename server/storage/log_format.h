// How the transaction log lays out one transaction in leveldb (see FORMAT.md).
//
//   key   = zxid, 8 bytes big-endian, so leveldb's bytewise order is zxid order
//   value = crc32c(key || txn) as 4 bytes big-endian, then txn
//
// txn is the Jute encoding of TxnHeader followed by the body record. Keys of
// any other length are reserved for bookkeeping and are not transactions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace zk::storage::log_format {

inline constexpr size_t kKeySize = 8;
inline constexpr size_t kChecksumSize = 4;

std::string EncodeKey(int64_t zxid);
// False unless `key` is a transaction key.
bool DecodeKey(std::string_view key, int64_t* zxid);

std::string EncodeValue(int64_t zxid, std::string_view txn);
// The same into *value, reusing its buffer.
void EncodeValueInto(int64_t zxid, std::string_view txn, std::string* value);
// Points *txn into `value`. False when the value is too short or its checksum
// does not match.
bool DecodeValue(int64_t zxid, std::string_view value, std::string_view* txn);

}  // namespace zk::storage::log_format
