#include "server/auth/java_text.h"

#include <limits>

namespace zk::auth {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

bool IsContinuation(unsigned char b) { return (b & 0xC0) == 0x80; }

// Decodes bytes the way java.lang.String's UTF-8 constructor does (checked
// against OpenJDK 17): each ill-formed piece becomes one U+FFFD, and how many
// bytes a piece spans follows Java's rules, which differ from the Unicode
// "maximal subpart" advice for encoded surrogates and some truncated tails.
std::u32string DecodeLikeJava(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  const size_t n = s.size();
  auto at = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  size_t i = 0;
  while (i < n) {
    const unsigned char b1 = at(i++);
    if (b1 < 0x80) {
      out.push_back(b1);
    } else if (b1 >= 0xC2 && b1 <= 0xDF) {
      if (i < n && IsContinuation(at(i))) {
        out.push_back(((b1 & 0x1F) << 6) | (at(i++) & 0x3F));
      } else {
        out.push_back(kReplacement);  // the next byte, if any, starts afresh
      }
    } else if (b1 >= 0xE0 && b1 <= 0xEF) {
      // E0 must be followed by A0..BF; ED A0..BF decodes to a surrogate.
      auto bad_second = [&](unsigned char b2) {
        return (b1 == 0xE0 && (b2 & 0xE0) == 0x80) || !IsContinuation(b2);
      };
      if (i + 1 < n) {
        const unsigned char b2 = at(i), b3 = at(i + 1);
        if (bad_second(b2)) {
          out.push_back(kReplacement);  // b1 alone
        } else if (!IsContinuation(b3)) {
          ++i;  // b1 and b2 form the bad piece
          out.push_back(kReplacement);
        } else {
          i += 2;
          const char32_t c = ((b1 & 0x0F) << 12) | ((b2 & 0x3F) << 6) | (b3 & 0x3F);
          out.push_back(c >= 0xD800 && c <= 0xDFFF ? kReplacement : c);
        }
      } else {
        out.push_back(kReplacement);
        if (i < n && bad_second(at(i))) continue;  // the last byte starts afresh
        break;                                     // a truncated tail is one piece
      }
    } else if (b1 >= 0xF0 && b1 <= 0xF7) {
      auto bad_second = [&](unsigned char b2) {
        return b1 > 0xF4 || (b1 == 0xF0 && (b2 < 0x90 || b2 > 0xBF)) ||
               (b1 == 0xF4 && (b2 & 0xF0) != 0x80) || !IsContinuation(b2);
      };
      if (i + 2 < n) {
        const unsigned char b2 = at(i), b3 = at(i + 1), b4 = at(i + 2);
        const char32_t uc =
            ((b1 & 0x07) << 18) | ((b2 & 0x3F) << 12) | ((b3 & 0x3F) << 6) | (b4 & 0x3F);
        const bool malformed = !IsContinuation(b2) || !IsContinuation(b3) || !IsContinuation(b4) ||
                               uc < 0x10000 || uc > 0x10FFFF;
        if (!malformed) {
          i += 3;
          out.push_back(uc);
          continue;
        }
        out.push_back(kReplacement);
        if (bad_second(b2)) continue;  // b1 alone
        i += IsContinuation(b3) ? 2 : 1;
      } else {
        out.push_back(kReplacement);
        if (b1 > 0xF4 || (i < n && bad_second(at(i)))) continue;
        ++i;  // b2 (if any) belongs to the bad piece
        if (i < n && !IsContinuation(at(i))) continue;
        break;  // a truncated tail is one piece
      }
    } else {
      out.push_back(kReplacement);
    }
  }
  return out;
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
  for (char32_t cp : DecodeLikeJava(bytes)) AppendUtf8(cp, &out);
  return out;
}

int32_t JavaStringHash(std::string_view utf8) {
  uint32_t h = 0;  // unsigned so that overflow wraps as Java's int does
  for (char32_t cp : DecodeLikeJava(utf8)) {
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
