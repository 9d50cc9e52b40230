#include "client/lib/connect_string.h"

#include <charconv>

#include "protocol/path.h"

namespace zk::client {
namespace {

bool ParseHost(std::string_view item, HostPort* out) {
  std::string_view host = item;
  uint32_t port = 2181;
  // "[::1]:2181", "host:2181" or "host".
  size_t colon = item.rfind(':');
  bool bracketed = !item.empty() && item.front() == '[';
  if (colon != std::string_view::npos && (!bracketed || colon > item.find(']'))) {
    host = item.substr(0, colon);
    std::string_view digits = item.substr(colon + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (ec != std::errc() || end != digits.data() + digits.size() || port == 0 || port > 65535) {
      return false;
    }
  }
  if (bracketed) {
    if (host.size() < 3 || host.back() != ']') return false;
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) return false;
  out->host = std::string(host);
  out->port = static_cast<uint16_t>(port);
  return true;
}

}  // namespace

bool ParseConnectString(std::string_view text, ConnectString* out, std::string* error) {
  *out = ConnectString();
  size_t slash = text.find('/');
  std::string_view hosts = text.substr(0, slash);
  if (slash != std::string_view::npos) {
    std::string_view chroot = text.substr(slash);
    if (chroot.size() > 1) {
      std::string why = ValidatePath(chroot);
      if (!why.empty()) {
        *error = "invalid chroot: " + why;
        return false;
      }
      out->chroot = std::string(chroot);
    }
  }
  while (!hosts.empty()) {
    size_t comma = hosts.find(',');
    std::string_view item = hosts.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) {
      HostPort hp;
      if (!ParseHost(item, &hp)) {
        *error = "invalid host: " + std::string(item);
        return false;
      }
      out->hosts.push_back(std::move(hp));
    }
    hosts = comma == std::string_view::npos ? std::string_view() : hosts.substr(comma + 1);
  }
  if (out->hosts.empty()) {
    *error = "no hosts in connect string";
    return false;
  }
  return true;
}

std::string PrependChroot(std::string_view chroot, std::string_view client_path) {
  if (chroot.empty()) return std::string(client_path);
  if (client_path == "/") return std::string(chroot);
  std::string out(chroot);
  out.append(client_path);
  return out;
}

std::string StripChroot(std::string_view chroot, std::string_view server_path) {
  if (chroot.empty()) return std::string(server_path);
  if (server_path == chroot) return "/";
  if (server_path.size() > chroot.size() && server_path.substr(0, chroot.size()) == chroot &&
      server_path[chroot.size()] == '/') {
    return std::string(server_path.substr(chroot.size()));
  }
  return std::string(server_path);
}

}  // namespace zk::client
