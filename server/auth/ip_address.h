// The "ip" scheme: ACL ids are an address ("10.1.2.3", "fe80:0:0:0:0:0:0:1")
// or a CIDR block ("10.0.0.0/8", "2001:db8::/32"); a client's id is its own
// address as Java prints it.
//
// Parsing follows ZooKeeper's IPAuthenticationProvider exactly: IPv4 is four
// Integer.parseInt fields (so "+1" and "010" are accepted), the prefix length
// is Integer.parseInt too, an IPv4 id never matches an IPv6 expression.
// ZooKeeper 3.8 itself only knew IPv4 here (an IPv6 ACL was InvalidACL);
// IPv6 follows the parser later ZooKeeper releases added: up to eight
// hexadecimal groups of at most four characters with one optional "::", no
// embedded IPv4 tail and no "%zone" suffix.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace zk::auth {

struct IpBytes {
  std::array<uint8_t, 16> bytes{};
  int length = 0;  // 4 or 16
};

// addr2Bytes: an address without prefix; nullopt if it is neither form.
std::optional<IpBytes> ParseIpAddress(std::string_view text);

// isValid: an address with an optional "/bits", 0 <= bits <= address width.
bool IpIsValid(std::string_view acl_expr);

// matches: `client_id` lies in the block `acl_expr` (a bare address is a
// full-width block).
bool IpMatches(std::string_view client_id, std::string_view acl_expr);

}  // namespace zk::auth
