#include "server/admin/java_format.h"

#include <arpa/inet.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace zk::admin {

std::string JavaDouble(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (value == 0) return std::signbit(value) ? "-0.0" : "0.0";
  char buf[64];
  double magnitude = std::fabs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    // Shortest digits that round-trip, in plain notation.
    auto result = std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::fixed);
    std::string text(buf, result.ptr);
    if (text.find('.') == std::string::npos) text += ".0";
    return text;
  }
  // Java's computerized scientific notation: d.ddddE[-]n.
  auto result = std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::scientific);
  std::string text(buf, result.ptr);
  size_t e = text.find('e');
  std::string mantissa = text.substr(0, e);
  int exponent = std::stoi(text.substr(e + 1));
  if (mantissa.find('.') == std::string::npos) mantissa += ".0";
  return mantissa + "E" + std::to_string(exponent);
}

std::string JavaHex(int64_t value) {
  char buf[17];
  auto result = std::to_chars(buf, buf + sizeof(buf), static_cast<uint64_t>(value), 16);
  return std::string(buf, result.ptr);
}

std::string JavaSocketAddress(std::string_view ip, int port) {
  std::string host(ip);
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    const uint8_t* b = v6.s6_addr;
    bool v4_mapped = true;
    for (int i = 0; i < 10; ++i) v4_mapped = v4_mapped && b[i] == 0;
    v4_mapped = v4_mapped && b[10] == 0xff && b[11] == 0xff;
    if (v4_mapped) {
      host = std::to_string(b[12]) + "." + std::to_string(b[13]) + "." + std::to_string(b[14]) +
             "." + std::to_string(b[15]);
    } else {
      host = "[";
      for (int i = 0; i < 16; i += 2) {
        char group[8];
        std::snprintf(group, sizeof(group), "%x", (b[i] << 8) | b[i + 1]);
        host += group;
        if (i < 14) host += ":";
      }
      host += "]";
    }
  }
  return "/" + host + ":" + std::to_string(port);
}

std::string JavaDate(int64_t epoch_millis) {
  std::time_t seconds = static_cast<std::time_t>(epoch_millis / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[64];
  std::strftime(buf, sizeof(buf), "%a %b %d %H:%M:%S UTC %Y", &tm);
  return buf;
}

double AverageOf(int64_t total, int64_t count) {
  if (count <= 0) return 0;
  double average = static_cast<double>(total) / static_cast<double>(count);
  return std::floor(average * 10000 + 0.5) / 10000;
}

}  // namespace zk::admin
