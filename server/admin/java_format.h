// How the JVM prints numbers, socket addresses and dates. ZooKeeper's admin
// output is whatever Java's toString produced, and scripts parse it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace zk::admin {

// Double.toString: "0.0", "7.6667", "1.0E7", "1.0E-4".
std::string JavaDouble(double value);

// Long.toHexString: lower case, no leading zeros, two's complement for
// negatives (-1 is "ffffffffffffffff").
std::string JavaHex(int64_t value);

// InetSocketAddress.toString for an accepted socket (no host name):
// "/127.0.0.1:2181", "/[0:0:0:0:0:0:0:1]:2181". IPv6 is written in Java's
// uncompressed form and IPv4-mapped IPv6 addresses as plain IPv4, as Java
// does. Text that is not an IP address is used as is.
std::string JavaSocketAddress(std::string_view ip, int port);

// java.util.Date.toString in UTC: "Thu Nov 26 05:02:06 UTC 2026".
std::string JavaDate(int64_t epoch_millis);

// The average ZooKeeper reports for latencies (AvgMinMaxCounter.getAvg):
// total/count rounded half-up to 4 decimal places, 0 when count is 0.
double AverageOf(int64_t total, int64_t count);

}  // namespace zk::admin
