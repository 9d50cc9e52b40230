// The Jute binary encoding used by ZooKeeper's client protocol and txn log.
//
// Every value is big-endian: int is 4 bytes, long 8, boolean 1 (0 or 1).
// ustring and buffer are an int32 length followed by that many bytes; vector
// is an int32 element count followed by the elements. A length or count of -1
// means null; null decodes as empty, and we always encode empty as length 0.
// Records are the concatenation of their fields, with no framing of their own.
//
// InputArchive treats its input as untrusted: every read checks the bytes
// that remain, lengths are capped by max_buffer (ZooKeeper's jute.maxbuffer),
// and the first error makes the archive fail for good, so a caller may check
// Failed() once after a sequence of reads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace jute {

// ZooKeeper's default jute.maxbuffer: the largest ustring or buffer accepted.
inline constexpr int32_t kDefaultMaxBuffer = 0xfffff;

// Appends the Jute encoding of values to a caller-owned string.
class OutputArchive {
 public:
  // REQUIRES: out outlives the archive.
  explicit OutputArchive(std::string* out) : out_(out) {}

  OutputArchive(const OutputArchive&) = delete;
  OutputArchive& operator=(const OutputArchive&) = delete;

  void WriteInt(int32_t value);
  void WriteLong(int64_t value);
  void WriteBool(bool value);
  void WriteString(std::string_view value);
  void WriteBuffer(std::string_view value);
  // Writes length -1 when is_null, else the value.
  void WriteBuffer(std::string_view value, bool is_null);
  void WriteVectorSize(int32_t count);

 private:
  std::string* out_;
};

// Reads Jute-encoded values from a byte range it does not own.
class InputArchive {
 public:
  // REQUIRES: the bytes behind data outlive the archive.
  explicit InputArchive(std::string_view data, int32_t max_buffer = kDefaultMaxBuffer)
      : data_(data), max_buffer_(max_buffer) {}
  // A temporary string would die before the archive reads it.
  InputArchive(std::string&&, int32_t = kDefaultMaxBuffer) = delete;

  InputArchive(const InputArchive&) = delete;
  InputArchive& operator=(const InputArchive&) = delete;

  // Each returns false, leaves *value unspecified and fails the archive on
  // truncated or malformed input, or if the archive has already failed.
  bool ReadInt(int32_t* value);
  bool ReadLong(int64_t* value);
  // Any non-zero byte reads as true, as Java's DataInput does.
  bool ReadBool(bool* value);
  // Rejects lengths below -1, above max_buffer, or past the end of input.
  bool ReadString(std::string* value);
  bool ReadBuffer(std::string* value);
  // As ReadBuffer, also telling whether the length was -1 (null).
  bool ReadBuffer(std::string* value, bool* is_null);
  // Null (-1) reads as 0. Rejects counts below -1 and counts of elements
  // that could not fit in the remaining bytes if each took at least
  // min_element_bytes (REQUIRES: min_element_bytes >= 1), so a caller may
  // reserve(count) without trusting the peer.
  bool ReadVectorSize(int32_t* count) { return ReadVectorSize(count, 1); }
  bool ReadVectorSize(int32_t* count, size_t min_element_bytes);

  size_t Remaining() const { return data_.size() - pos_; }
  // Bytes consumed so far.
  size_t Position() const { return pos_; }
  bool Failed() const { return failed_; }

 private:
  bool Fail() {
    failed_ = true;
    return false;
  }
  // Returns the next n bytes and advances, or fails the archive.
  bool Take(size_t n, const char** bytes);
  bool ReadLength(std::string* value);

  std::string_view data_;
  size_t pos_ = 0;
  int32_t max_buffer_;
  bool failed_ = false;
};

// The Jute encoding of a record.
template <class T>
std::string Encode(const T& record) {
  std::string out;
  OutputArchive archive(&out);
  record.Serialize(archive);
  return out;
}

// Decodes one record from the front of data. Returns false on any error
// (leaving *record unspecified). Bytes after the record are ignored, as Java
// ZooKeeper ignores them; use InputArchive directly to read several records
// from one buffer or to check Remaining() afterwards.
template <class T>
bool Decode(std::string_view data, T* record, int32_t max_buffer = kDefaultMaxBuffer) {
  InputArchive archive(data, max_buffer);
  return record->Deserialize(archive) && !archive.Failed();
}

}  // namespace jute
