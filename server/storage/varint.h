// Variable-length integers (LEB128: 7 bits a byte, low group first) and
// zigzag mapping of signed values, for the compact snapshot format. Reading
// is bounds-checked: a malformed number fails instead of reading past the end.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace zk::storage {

inline void PutVarint64(std::string* out, uint64_t v) {
  char buf[10];
  int n = 0;
  while (v >= 0x80) {
    buf[n++] = static_cast<char>(v | 0x80);
    v >>= 7;
  }
  buf[n++] = static_cast<char>(v);
  out->append(buf, static_cast<size_t>(n));
}

// Small magnitudes of either sign become small unsigned numbers.
inline uint64_t ZigZag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
inline int64_t UnZigZag(uint64_t v) {
  return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
}

inline void PutSignedVarint(std::string* out, int64_t v) { PutVarint64(out, ZigZag(v)); }

// Reads numbers and byte strings from a buffer; once a read fails, every
// later one fails too, so a caller may check ok() once per record.
class VarintReader {
 public:
  explicit VarintReader(std::string_view in) : p_(in.data()), end_(in.data() + in.size()) {}

  bool ReadVarint64(uint64_t* v) {
    uint64_t result = 0;
    for (int shift = 0; shift < 64 && p_ < end_; shift += 7) {
      auto byte = static_cast<unsigned char>(*p_++);
      result |= uint64_t{byte & 0x7fu} << shift;
      if ((byte & 0x80) == 0) {
        *v = result;
        return true;
      }
    }
    return Fail();
  }
  bool ReadSigned(int64_t* v) {
    uint64_t u;
    if (!ReadVarint64(&u)) return false;
    *v = UnZigZag(u);
    return true;
  }
  bool ReadSigned32(int32_t* v) {
    int64_t wide;
    if (!ReadSigned(&wide) || wide < INT32_MIN || wide > INT32_MAX) return Fail();
    *v = static_cast<int32_t>(wide);
    return true;
  }
  // A varint length, then that many bytes (a view into the buffer).
  bool ReadBytes(std::string_view* bytes) {
    uint64_t n;
    if (!ReadVarint64(&n)) return false;
    return ReadFixed(n, bytes);
  }
  bool ReadFixed(uint64_t n, std::string_view* bytes) {
    if (failed_ || n > static_cast<uint64_t>(end_ - p_)) return Fail();
    *bytes = std::string_view(p_, static_cast<size_t>(n));
    p_ += n;
    return true;
  }

  bool ok() const { return !failed_; }
  bool AtEnd() const { return p_ == end_; }

 private:
  bool Fail() {
    failed_ = true;
    p_ = end_;
    return false;
  }

  const char* p_;
  const char* end_;
  bool failed_ = false;
};

}  // namespace zk::storage
