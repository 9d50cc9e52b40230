#include "jute/archive.h"

namespace jute {
namespace {

void AppendBigEndian(std::string* out, uint64_t value, int bytes) {
  for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((value >> shift) & 0xff));
  }
}

uint64_t LoadBigEndian(const char* bytes, int n) {
  uint64_t value = 0;
  for (int i = 0; i < n; ++i) {
    value = (value << 8) | static_cast<uint8_t>(bytes[i]);
  }
  return value;
}

}  // namespace

void OutputArchive::WriteInt(int32_t value) {
  AppendBigEndian(out_, static_cast<uint32_t>(value), 4);
}

void OutputArchive::WriteLong(int64_t value) {
  AppendBigEndian(out_, static_cast<uint64_t>(value), 8);
}

void OutputArchive::WriteBool(bool value) { out_->push_back(value ? 1 : 0); }

void OutputArchive::WriteString(std::string_view value) { WriteBuffer(value); }

void OutputArchive::WriteBuffer(std::string_view value) {
  WriteInt(static_cast<int32_t>(value.size()));
  out_->append(value);
}

void OutputArchive::WriteBuffer(std::string_view value, bool is_null) {
  if (is_null) {
    WriteInt(-1);
  } else {
    WriteBuffer(value);
  }
}

void OutputArchive::WriteVectorSize(int32_t count) { WriteInt(count); }

bool InputArchive::Take(size_t n, const char** bytes) {
  if (failed_ || Remaining() < n) return Fail();
  *bytes = data_.data() + pos_;
  pos_ += n;
  return true;
}

bool InputArchive::ReadInt(int32_t* value) {
  const char* bytes;
  if (!Take(4, &bytes)) return false;
  *value = static_cast<int32_t>(static_cast<uint32_t>(LoadBigEndian(bytes, 4)));
  return true;
}

bool InputArchive::ReadLong(int64_t* value) {
  const char* bytes;
  if (!Take(8, &bytes)) return false;
  *value = static_cast<int64_t>(LoadBigEndian(bytes, 8));
  return true;
}

bool InputArchive::ReadBool(bool* value) {
  const char* bytes;
  if (!Take(1, &bytes)) return false;
  *value = bytes[0] != 0;
  return true;
}

bool InputArchive::ReadLength(std::string* value) {
  int32_t length;
  if (!ReadInt(&length)) return false;
  if (length == -1) {
    value->clear();
    return true;
  }
  // Check against the input before allocating anything.
  if (length < 0 || length > max_buffer_ || static_cast<size_t>(length) > Remaining()) {
    return Fail();
  }
  const char* bytes;
  if (!Take(static_cast<size_t>(length), &bytes)) return false;
  value->assign(bytes, static_cast<size_t>(length));
  return true;
}

bool InputArchive::ReadString(std::string* value) { return ReadLength(value); }

bool InputArchive::ReadBuffer(std::string* value) { return ReadLength(value); }

bool InputArchive::ReadBuffer(std::string* value, bool* is_null) {
  size_t start = pos_;
  if (!ReadLength(value)) return false;
  // A null buffer is the 4-byte length -1 and nothing else.
  *is_null = pos_ - start == 4 && value->empty() &&
             static_cast<unsigned char>(data_[start]) == 0xff;
  return true;
}

bool InputArchive::ReadVectorSize(int32_t* count, size_t min_element_bytes) {
  int32_t n;
  if (!ReadInt(&n)) return false;
  if (n == -1) {
    *count = 0;
    return true;
  }
  if (n < 0 || min_element_bytes == 0 || static_cast<size_t>(n) > Remaining() / min_element_bytes) {
    return Fail();
  }
  *count = n;
  return true;
}

}  // namespace jute
