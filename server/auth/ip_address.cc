#include "server/auth/ip_address.h"

#include <vector>

#include "server/auth/java_text.h"

namespace zk::auth {
namespace {

constexpr int kV6Groups = 8;

std::optional<IpBytes> ParseV4(std::string_view text) {
  const std::vector<std::string_view> parts = JavaSplit(text, ".", -1);
  if (parts.size() != 4) return std::nullopt;
  IpBytes out;
  out.length = 4;
  for (int i = 0; i < 4; ++i) {
    int32_t v = 0;
    if (!JavaParseInt(parts[i], 10, &v) || v < 0 || v > 255) return std::nullopt;
    out.bytes[i] = static_cast<uint8_t>(v);
  }
  return out;
}

// Writes `groups` as 16-bit big-endian values from byte `at`.
bool PutGroups(const std::vector<std::string_view>& groups, size_t at, IpBytes* out) {
  for (std::string_view g : groups) {
    int32_t v = 0;
    // parseInt(g, 16) also takes a sign, and the low 16 bits are kept.
    if (g.empty() || g.size() > 4 || !JavaParseInt(g, 16, &v)) return false;
    out->bytes[at++] = static_cast<uint8_t>((v >> 8) & 0xFF);
    out->bytes[at++] = static_cast<uint8_t>(v & 0xFF);
  }
  return true;
}

std::optional<IpBytes> ParseV6(std::string_view text) {
  const std::vector<std::string_view> halves = JavaSplit(text, "::", -1);
  std::vector<std::string_view> head, tail;
  if (halves.size() == 1) {
    head = JavaSplit(halves[0], ":", -1);
    if (head.size() != kV6Groups) return std::nullopt;
  } else if (halves.size() == 2) {
    if (!halves[0].empty()) head = JavaSplit(halves[0], ":", -1);
    if (!halves[1].empty()) tail = JavaSplit(halves[1], ":", -1);
    if (head.size() + tail.size() >= kV6Groups) return std::nullopt;
  } else {
    return std::nullopt;
  }
  IpBytes out;
  out.length = 16;
  if (!PutGroups(head, 0, &out) || !PutGroups(tail, 16 - 2 * tail.size(), &out)) {
    return std::nullopt;
  }
  return out;
}

// Clears every bit after the first `bits`.
void Mask(IpBytes* ip, int bits) {
  int start = bits / 8;
  uint8_t keep = static_cast<uint8_t>(~((1u << (8 - bits % 8)) - 1));
  for (; start < ip->length; ++start) {
    ip->bytes[start] &= keep;
    keep = 0;
  }
}

// The address and prefix length of "addr[/bits]"; nullopt if invalid.
std::optional<std::pair<IpBytes, int>> ParseBlock(std::string_view expr) {
  const std::vector<std::string_view> parts = JavaSplit(expr, "/", 2);
  std::optional<IpBytes> addr = ParseIpAddress(parts[0]);
  if (!addr) return std::nullopt;
  int32_t bits = addr->length * 8;
  if (parts.size() == 2) {
    if (!JavaParseInt(parts[1], 10, &bits) || bits < 0 || bits > addr->length * 8) {
      return std::nullopt;
    }
  }
  return std::make_pair(*addr, static_cast<int>(bits));
}

}  // namespace

std::optional<IpBytes> ParseIpAddress(std::string_view text) {
  if (text.find(':') != std::string_view::npos) return ParseV6(text);
  if (text.find('.') != std::string_view::npos) return ParseV4(text);
  return std::nullopt;
}

bool IpIsValid(std::string_view acl_expr) { return ParseBlock(acl_expr).has_value(); }

bool IpMatches(std::string_view client_id, std::string_view acl_expr) {
  std::optional<std::pair<IpBytes, int>> block = ParseBlock(acl_expr);
  if (!block) return false;
  auto& [acl_addr, bits] = *block;
  std::optional<IpBytes> remote = ParseIpAddress(client_id);
  if (!remote || remote->length != acl_addr.length) return false;
  Mask(&acl_addr, bits);
  Mask(&*remote, bits);
  return remote->bytes == acl_addr.bytes;
}

}  // namespace zk::auth
