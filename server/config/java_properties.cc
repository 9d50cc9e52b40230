#include "server/config/java_properties.h"

#include <limits>

namespace zk::config {
namespace {

bool IsPropertiesSpace(char c) { return c == ' ' || c == '\t' || c == '\f'; }

// Splits text into natural lines; \n, \r and \r\n all end a line.
std::vector<std::string_view> NaturalLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || text[i] == '\r') {
      lines.push_back(text.substr(start, i - start));
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

std::string_view SkipLeadingSpace(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && IsPropertiesSpace(line[i])) ++i;
  return line.substr(i);
}

// True when the line ends in an odd number of backslashes, which escapes the
// line terminator.
bool EndsWithContinuation(std::string_view line) {
  size_t count = 0;
  for (size_t i = line.size(); i > 0 && line[i - 1] == '\\'; --i) ++count;
  return count % 2 == 1;
}

// Joins continued natural lines into logical lines, dropping blank and
// comment lines.
std::vector<std::string> LogicalLines(std::string_view text) {
  std::vector<std::string> logical;
  std::string current;
  bool continuing = false;
  for (std::string_view natural : NaturalLines(text)) {
    std::string_view line = SkipLeadingSpace(natural);
    if (!continuing) {
      if (line.empty() || line[0] == '#' || line[0] == '!') continue;
      current.clear();
    }
    continuing = EndsWithContinuation(line);
    if (continuing) line.remove_suffix(1);
    current.append(line);
    if (!continuing) logical.push_back(current);
  }
  // A continuation on the last line just ends the property.
  if (continuing) logical.push_back(current);
  return logical;
}

void AppendUtf8(uint32_t code_point, std::string* out) {
  if (code_point < 0x80) {
    out->push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Resolves the escapes in a key or value.
bool Unescape(std::string_view text, std::string* out, std::string* error) {
  out->clear();
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c != '\\' || i + 1 == text.size()) {
      out->push_back(c);
      continue;
    }
    c = text[++i];
    switch (c) {
      case 't': out->push_back('\t'); break;
      case 'n': out->push_back('\n'); break;
      case 'r': out->push_back('\r'); break;
      case 'f': out->push_back('\f'); break;
      case 'u': {
        uint32_t code_point = 0;
        for (int k = 0; k < 4; ++k) {
          int digit = i + 1 < text.size() ? HexValue(text[i + 1]) : -1;
          if (digit < 0) {
            *error = "malformed \\uxxxx encoding";
            return false;
          }
          code_point = code_point * 16 + static_cast<uint32_t>(digit);
          ++i;
        }
        AppendUtf8(code_point, out);
        break;
      }
      default: out->push_back(c);
    }
  }
  return true;
}

// Finds where the key ends: the first unescaped '=', ':' or whitespace.
size_t KeyEnd(std::string_view line) {
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '\\') {
      ++i;
    } else if (c == '=' || c == ':' || IsPropertiesSpace(c)) {
      return i;
    }
  }
  return line.size();
}

template <typename Int>
bool ParseDigits(std::string_view text, int base, Int* value) {
  if (text.empty()) return false;
  bool negative = false;
  if (text[0] == '-' || text[0] == '+') {
    negative = text[0] == '-';
    text.remove_prefix(1);
    if (text.empty()) return false;
  }
  // Accumulate negatively so the most negative value fits.
  constexpr Int kMin = std::numeric_limits<Int>::min();
  Int result = 0;
  for (char c : text) {
    int digit = HexValue(c);
    if (digit < 0 || digit >= base) return false;
    if (result < (kMin + digit) / base) return false;
    result = result * base - digit;
  }
  if (!negative) {
    if (result == kMin) return false;
    result = -result;
  }
  *value = result;
  return true;
}

}  // namespace

bool ParseJavaProperties(std::string_view text, PropertyList* out, std::string* error) {
  out->clear();
  for (const std::string& line : LogicalLines(text)) {
    std::string_view view(line);
    size_t key_end = KeyEnd(view);
    std::string_view raw_key = view.substr(0, key_end);
    std::string_view rest = SkipLeadingSpace(view.substr(key_end));
    if (!rest.empty() && (rest[0] == '=' || rest[0] == ':')) {
      rest = SkipLeadingSpace(rest.substr(1));
    }
    std::string key, value;
    if (!Unescape(raw_key, &key, error) || !Unescape(rest, &value, error)) {
      *error = "line '" + line + "': " + *error;
      return false;
    }
    out->emplace_back(std::move(key), std::move(value));
  }
  return true;
}

PropertyList ParseJvmSystemProperties(std::string_view flags) {
  PropertyList result;
  size_t i = 0;
  while (i < flags.size()) {
    while (i < flags.size() && (flags[i] == ' ' || flags[i] == '\t' || flags[i] == '\n')) ++i;
    size_t start = i;
    while (i < flags.size() && flags[i] != ' ' && flags[i] != '\t' && flags[i] != '\n') ++i;
    std::string_view word = flags.substr(start, i - start);
    if (word.size() < 3 || word.substr(0, 2) != "-D") continue;
    word.remove_prefix(2);
    size_t eq = word.find('=');
    std::string_view key = word.substr(0, eq);
    if (key.empty()) continue;
    std::string_view value = eq == std::string_view::npos ? "" : word.substr(eq + 1);
    result.emplace_back(std::string(key), std::string(value));
  }
  return result;
}

bool ParseJavaInt(std::string_view text, int32_t* value) {
  return ParseDigits<int32_t>(text, 10, value);
}

bool ParseJavaLong(std::string_view text, int64_t* value) {
  return ParseDigits<int64_t>(text, 10, value);
}

bool DecodeJavaInt(std::string_view text, int32_t* value) {
  if (text.empty()) return false;
  std::string sign;
  if (text[0] == '-' || text[0] == '+') {
    sign = text.substr(0, 1);
    text.remove_prefix(1);
  }
  int base = 10;
  if (text.substr(0, 2) == "0x" || text.substr(0, 2) == "0X") {
    base = 16;
    text.remove_prefix(2);
  } else if (text.substr(0, 1) == "#") {
    base = 16;
    text.remove_prefix(1);
  } else if (text.size() > 1 && text[0] == '0') {
    base = 8;
    text.remove_prefix(1);
  }
  // A second sign after the radix prefix is invalid, as in Java.
  if (text.empty() || text[0] == '-' || text[0] == '+') return false;
  return ParseDigits<int32_t>(sign + std::string(text), base, value);
}

std::string_view TrimJava(std::string_view text) {
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && static_cast<unsigned char>(text[begin]) <= ' ') ++begin;
  while (end > begin && static_cast<unsigned char>(text[end - 1]) <= ' ') --end;
  return text.substr(begin, end - begin);
}

}  // namespace zk::config
