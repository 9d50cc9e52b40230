#include "jute/print.h"

#include <cstdint>

namespace jute {
namespace {

constexpr char kHex[] = "0123456789abcdef";
constexpr size_t kMaxPrintedBytes = 32;

void PrintHexByte(std::ostream& os, char c) {
  const auto byte = static_cast<uint8_t>(c);
  os << kHex[byte >> 4] << kHex[byte & 0xf];
}

}  // namespace

void PrintString(std::ostream& os, std::string_view value) {
  os << '"';
  for (char c : value) {
    if (c == '"' || c == '\\') {
      os << '\\' << c;
    } else if (c >= 0x20 && c < 0x7f) {
      os << c;
    } else {
      os << "\\x";
      PrintHexByte(os, c);
    }
  }
  os << '"';
}

void PrintBuffer(std::ostream& os, std::string_view value) {
  os << "0x";
  for (size_t i = 0; i < value.size() && i < kMaxPrintedBytes; ++i) {
    PrintHexByte(os, value[i]);
  }
  if (value.size() > kMaxPrintedBytes) os << "...(" << value.size() << " bytes)";
}

}  // namespace jute
