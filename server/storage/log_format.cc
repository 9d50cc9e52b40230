#include "server/storage/log_format.h"

#include "server/storage/byte_order.h"
#include "server/storage/crc32c.h"

namespace zk::storage::log_format {
namespace {

uint32_t Checksum(std::string_view key, std::string_view txn) {
  return crc32c::Extend(crc32c::Value(key), txn.data(), txn.size());
}

}  // namespace

std::string EncodeKey(int64_t zxid) {
  std::string key;
  PutBigEndian64(&key, static_cast<uint64_t>(zxid));
  return key;
}

bool DecodeKey(std::string_view key, int64_t* zxid) {
  if (key.size() != kKeySize) return false;
  *zxid = static_cast<int64_t>(GetBigEndian64(key.data()));
  return true;
}

std::string EncodeValue(int64_t zxid, std::string_view txn) {
  std::string value;
  EncodeValueInto(zxid, txn, &value);
  return value;
}

void EncodeValueInto(int64_t zxid, std::string_view txn, std::string* value) {
  value->clear();
  value->reserve(kChecksumSize + txn.size());
  PutBigEndian32(value, Checksum(EncodeKey(zxid), txn));
  value->append(txn);
}

bool DecodeValue(int64_t zxid, std::string_view value, std::string_view* txn) {
  if (value.size() < kChecksumSize) return false;
  std::string_view body = value.substr(kChecksumSize);
  if (GetBigEndian32(value.data()) != Checksum(EncodeKey(zxid), body)) return false;
  *txn = body;
  return true;
}

}  // namespace zk::storage::log_format
