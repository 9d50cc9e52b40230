#include "protocol/path.h"

#include <cstdint>
#include <vector>

namespace zk {
namespace {

constexpr char32_t kReplacement = 0xfffd;

// Decodes UTF-8 into code points; malformed bytes become U+FFFD, as Java's decoder does.
std::vector<char32_t> DecodeUtf8(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    auto b = static_cast<uint8_t>(s[i]);
    int extra = b < 0x80           ? 0
                : (b >> 5) == 0x6  ? 1
                : (b >> 4) == 0xe  ? 2
                : (b >> 3) == 0x1e ? 3
                                   : -1;
    bool truncated = extra > 0 && i + extra >= s.size();
    if (extra < 0 || truncated) {
      out.push_back(kReplacement);
      i++;
      continue;
    }
    char32_t cp = extra == 0 ? b : b & (0x3f >> extra);
    bool ok = true;
    for (int k = 1; k <= extra; k++) {
      auto c = static_cast<uint8_t>(s[i + k]);
      if ((c & 0xc0) != 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (c & 0x3f);
    }
    if (!ok) {
      out.push_back(kReplacement);
      i++;
      continue;
    }
    out.push_back(cp);
    i += extra + 1;
  }
  return out;
}

// Characters ZooKeeper refuses in a path. Java sees code points above U+FFFF as
// surrogate pairs, which fall in the refused U+D800..U+F8FF range.
bool IsRefusedChar(char32_t c) {
  return (c > 0x0000 && c <= 0x001f) || (c >= 0x007f && c <= 0x009f) ||
         (c >= 0xd800 && c <= 0xf8ff) || (c >= 0xfff0);
}

}  // namespace

namespace {

// The checks after the first character, over bytes (ASCII paths) or decoded
// code points alike.
template <class Chars>
std::string CheckChars(const Chars& chars) {
  for (size_t i = 1; i < chars.size(); i++) {
    char32_t c = static_cast<char32_t>(chars[i]);
    char32_t last = static_cast<char32_t>(chars[i - 1]);
    bool ends_segment = i + 1 == chars.size() || chars[i + 1] == '/';
    if (c == 0) return "null character not allowed @" + std::to_string(i);
    if (c == '/' && last == '/') return "empty node name specified @" + std::to_string(i);
    if (c == '.' && last == '.' && chars[i - 2] == '/' && ends_segment)
      return "relative paths not allowed @" + std::to_string(i);
    if (c == '.' && last == '/' && ends_segment)
      return "relative paths not allowed @" + std::to_string(i);
    if (IsRefusedChar(c)) return "invalid character @" + std::to_string(i);
  }
  return "";
}

bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<uint8_t>(c) >= 0x80) return false;
  }
  return true;
}

}  // namespace

std::string ValidatePath(std::string_view path, bool sequential) {
  std::string with_suffix;
  if (sequential) {
    with_suffix = std::string(path) + "1";
    path = with_suffix;
  }
  if (path.empty()) return "Path length must be > 0";
  if (path[0] != '/') return "Path must start with / character";
  if (path.size() == 1) return "";
  if (path.back() == '/') return "Path must not end with / character";
  // Bytes are code points in an ASCII path: no need to decode (or allocate).
  if (IsAscii(path)) return CheckChars(path);
  return CheckChars(DecodeUtf8(path));
}

std::string_view ParentPath(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == 0 ? path.substr(0, 1) : path.substr(0, slash);
}

std::string_view NodeName(std::string_view path) { return path.substr(path.rfind('/') + 1); }

}  // namespace zk
