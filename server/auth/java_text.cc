#include "server/auth/java_text.h"

#include <limits>

namespace zk::auth {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

// Decodes one code point at s[*i], advancing *i past it. Ill-formed input
// yields U+FFFD and advances over its maximal subpart only (the Unicode
// recommendation, which Java's decoder follows).
char32_t NextCodePoint(std::string_view s, size_t* i) {
  const auto b0 = static_cast<unsigned char>(s[*i]);
  if (b0 < 0x80) {
    ++*i;
    return b0;
  }
  int need = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  char32_t cp = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 1;
    cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 2;
    cp = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;  // no UTF-16 surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 3;
    cp = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    ++*i;
    return kReplacement;
  }
  size_t j = *i + 1;
  for (int k = 0; k < need; ++k, ++j) {
    if (j >= s.size()) {
      *i = j;
      return kReplacement;
    }
    const auto b = static_cast<unsigned char>(s[j]);
    const unsigned char min = k == 0 ? lo : 0x80;
    const unsigned char max = k == 0 ? hi : 0xBF;
    if (b < min || b > max) {
      *i = j;  // the offending byte starts the next sequence
      return kReplacement;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  *i = j;
  return cp;
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

int DigitValue(char c, int radix) {
  int v = -1;
  if (c >= '0' && c <= '9') v = c - '0';
  if (c >= 'a' && c <= 'z') v = c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') v = c - 'A' + 10;
  return v < radix ? v : -1;
}

}  // namespace

std::string JavaUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size();) AppendUtf8(NextCodePoint(bytes, &i), &out);
  return out;
}

int32_t JavaStringHash(std::string_view utf8) {
  uint32_t h = 0;  // unsigned so that overflow wraps as Java's int does
  for (size_t i = 0; i < utf8.size();) {
    const char32_t cp = NextCodePoint(utf8, &i);
    if (cp >= 0x10000) {
      const char32_t v = cp - 0x10000;
      h = 31 * h + static_cast<uint32_t>(0xD800 + (v >> 10));
      h = 31 * h + static_cast<uint32_t>(0xDC00 + (v & 0x3FF));
    } else {
      h = 31 * h + static_cast<uint32_t>(cp);
    }
  }
  return static_cast<int32_t>(h);
}

std::vector<std::string_view> JavaSplit(std::string_view s, std::string_view sep, int limit) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (limit <= 0 || static_cast<int>(parts.size()) < limit - 1) {
    const size_t at = s.find(sep, start);
    if (at == std::string_view::npos) break;
    parts.push_back(s.substr(start, at - start));
    start = at + sep.size();
  }
  if (parts.empty()) return {s};
  parts.push_back(s.substr(start));
  if (limit == 0) {
    while (!parts.empty() && parts.back().empty()) parts.pop_back();
  }
  return parts;
}

bool JavaParseInt(std::string_view s, int radix, int32_t* out) {
  if (s.empty()) return false;
  bool negative = false;
  size_t i = 0;
  if (s[0] == '+' || s[0] == '-') {
    negative = s[0] == '-';
    if (s.size() == 1) return false;
    i = 1;
  }
  // Accumulate negatively, as Java does, so that INT_MIN parses.
  const int64_t limit = negative ? int64_t{std::numeric_limits<int32_t>::min()}
                                 : -int64_t{std::numeric_limits<int32_t>::max()};
  int64_t result = 0;
  for (; i < s.size(); ++i) {
    const int d = DigitValue(s[i], radix);
    if (d < 0) return false;
    result = result * radix - d;
    if (result < limit) return false;
  }
  *out = static_cast<int32_t>(negative ? result : -result);
  return true;
}

}  // namespace zk::auth
