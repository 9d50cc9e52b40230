#include "server/auth/host_address.h"

#include <arpa/inet.h>
#include <net/if.h>

#include <cstdio>
#include <cstdlib>

namespace zk::auth {

std::string JavaHostAddress(const std::array<uint8_t, 4>& v4) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%u.%u.%u.%u", v4[0], v4[1], v4[2], v4[3]);
  return buf;
}

std::string JavaHostAddress(const std::array<uint8_t, 16>& v6, uint32_t scope_id) {
  bool mapped = v6[10] == 0xFF && v6[11] == 0xFF;
  for (int i = 0; i < 10 && mapped; ++i) mapped = v6[i] == 0;
  if (mapped) return JavaHostAddress(std::array<uint8_t, 4>{v6[12], v6[13], v6[14], v6[15]});
  std::string out;
  char buf[8];
  for (int i = 0; i < 8; ++i) {
    std::snprintf(buf, sizeof(buf), "%x", (v6[2 * i] << 8) | v6[2 * i + 1]);
    if (i > 0) out.push_back(':');
    out += buf;
  }
  if (scope_id != 0) out += "%" + std::to_string(scope_id);
  return out;
}

std::optional<std::string> JavaHostAddress(std::string_view text) {
  std::string addr(text);
  uint32_t scope_id = 0;
  const bool has_zone = addr.find('%') != std::string::npos;
  if (const size_t pct = addr.find('%'); pct != std::string::npos) {
    const std::string zone = addr.substr(pct + 1);
    addr.resize(pct);
    if (zone.empty()) return std::nullopt;
    char* end = nullptr;
    const unsigned long numeric = std::strtoul(zone.c_str(), &end, 10);
    if (*end == '\0' && zone[0] != '-' && zone[0] != '+') {
      scope_id = static_cast<uint32_t>(numeric);
    } else {
      scope_id = if_nametoindex(zone.c_str());
      if (scope_id == 0) return std::nullopt;
    }
  }
  std::array<uint8_t, 16> v6{};
  if (inet_pton(AF_INET6, addr.c_str(), v6.data()) == 1) return JavaHostAddress(v6, scope_id);
  std::array<uint8_t, 4> v4{};
  if (!has_zone && inet_pton(AF_INET, addr.c_str(), v4.data()) == 1) {
    return JavaHostAddress(v4);
  }
  return std::nullopt;
}

}  // namespace zk::auth
