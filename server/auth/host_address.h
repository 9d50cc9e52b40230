// A peer address written as java.net.InetAddress.getHostAddress() writes it,
// which is the id ZooKeeper gives every connection under the "ip" scheme:
// IPv4 dotted decimal; IPv4-mapped IPv6 (::ffff:a.b.c.d) as plain IPv4, since
// Java hands those out as Inet4Address; other IPv6 as all eight groups in
// lower-case hex without leading zeros or "::" compression, followed by
// "%<scope id>" when the scope id is not zero.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zk::auth {

std::string JavaHostAddress(const std::array<uint8_t, 4>& v4);
std::string JavaHostAddress(const std::array<uint8_t, 16>& v6, uint32_t scope_id);

// From an address in the usual text forms (what asio's address::to_string or
// inet_ntop give, e.g. "::1", "::ffff:10.0.0.1", "fe80::1%eth0"); a named
// zone is turned into its interface index. nullopt if `text` is no address.
std::optional<std::string> JavaHostAddress(std::string_view text);

}  // namespace zk::auth
