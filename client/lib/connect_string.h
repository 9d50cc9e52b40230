// Connect strings ("host:port,host:port/chroot") and chroot path translation.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace zk::client {

struct HostPort {
  std::string host;
  uint16_t port = 0;
};

struct ConnectString {
  std::vector<HostPort> hosts;
  std::string chroot;  // empty, or a valid path other than "/"
};

// Parses `text`; a host without a port gets 2181. Returns false (with the
// reason in *error) on an empty host list, a bad port or an invalid chroot.
bool ParseConnectString(std::string_view text, ConnectString* out, std::string* error);

// The server path of a client path: chroot + path ("/" maps to the chroot).
std::string PrependChroot(std::string_view chroot, std::string_view client_path);

// The client path of a server path; a path outside the chroot is returned as is.
std::string StripChroot(std::string_view chroot, std::string_view server_path);

}  // namespace zk::client
