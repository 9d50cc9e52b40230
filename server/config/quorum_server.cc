#include "server/config/quorum_server.h"

#include <cctype>
#include <vector>

#include "server/config/java_properties.h"

namespace zk::config {
namespace {

constexpr std::string_view kWrongFormat =
    " does not have the form server_config or server_config;client_config where server_config "
    "is host:port:port or host:port:port:type and client_config is port or host:port";

std::vector<std::string_view> Split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t pos = text.find(sep, start);
    parts.push_back(text.substr(start, pos == std::string_view::npos ? pos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return parts;
}

// Splits on ':' but keeps a leading "[v6 literal]" whole (without brackets).
bool SplitWithLeadingHost(std::string_view text, std::vector<std::string_view>* parts,
                          std::string* error) {
  if (!text.empty() && text[0] == '[') {
    size_t close = text.find("]:");
    if (close == std::string_view::npos) {
      *error = std::string(text) + " starts with '[' but has no matching ']:'";
      return false;
    }
    *parts = Split(text.substr(close + 2), ':');
    parts->insert(parts->begin(), text.substr(1, close - 1));
    return true;
  }
  *parts = Split(text, ':');
  return true;
}

std::string DelimitedHost(const std::string& host) {
  return host.find(':') == std::string::npos ? host : "[" + host + "]";
}

}  // namespace

bool ParsePort(std::string_view text, int32_t* port) {
  int32_t value = 0;
  if (!ParseJavaInt(TrimJava(text), &value) || value < 1 || value > 65535) return false;
  *port = value;
  return true;
}

bool ParseHostPort(std::string_view text, std::string* host, int32_t* port, std::string* error) {
  std::vector<std::string_view> parts;
  if (!SplitWithLeadingHost(TrimJava(text), &parts, error)) return false;
  if (parts.size() > 2) {
    *error = "'" + std::string(text) + "' is not port or host:port";
    return false;
  }
  std::string_view port_text = parts.back();
  if (!ParsePort(port_text, port)) {
    *error = "invalid port '" + std::string(port_text) + "'";
    return false;
  }
  *host = parts.size() == 2 ? std::string(parts[0]) : "";
  return true;
}

bool ParseQuorumServer(int64_t id, std::string_view value, QuorumServer* out, std::string* error) {
  std::string_view trimmed = TrimJava(value);
  std::vector<std::string_view> server_client = Split(trimmed, ';');
  if (server_client.size() > 2) {
    *error = std::string(trimmed) + std::string(kWrongFormat);
    return false;
  }
  if (server_client[0].find('|') != std::string_view::npos) {
    *error = "multiple addresses per server (host|host) are not supported";
    return false;
  }
  std::vector<std::string_view> parts;
  if (!SplitWithLeadingHost(server_client[0], &parts, error)) return false;
  // Java's split drops trailing empty fields ("h:1:2:" is "h:1:2").
  while (parts.size() > 3 && parts.back().empty()) parts.pop_back();
  if (parts.size() < 3 || parts.size() > 4 || parts[0].empty()) {
    *error = std::string(trimmed) + std::string(kWrongFormat);
    return false;
  }
  QuorumServer server;
  server.id = id;
  server.host = std::string(parts[0]);
  if (!ParsePort(parts[1], &server.peer_port)) {
    *error = "invalid peer port '" + std::string(parts[1]) + "'";
    return false;
  }
  if (!ParsePort(parts[2], &server.election_port)) {
    *error = "invalid election port '" + std::string(parts[2]) + "'";
    return false;
  }
  if (parts.size() == 4) {
    std::string type(parts[3]);
    for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (type == "observer") {
      server.type = LearnerType::kObserver;
    } else if (type == "participant") {
      server.type = LearnerType::kParticipant;
    } else {
      *error = "Unrecognised peertype: " + std::string(parts[3]);
      return false;
    }
  }
  if (server_client.size() == 2 &&
      !ParseHostPort(server_client[1], &server.client_host, &server.client_port, error)) {
    *error = "client address: " + *error;
    return false;
  }
  *out = std::move(server);
  return true;
}

std::string QuorumServer::ToString() const {
  std::string s = DelimitedHost(host) + ":" + std::to_string(peer_port) + ":" +
                  std::to_string(election_port) +
                  (type == LearnerType::kObserver ? ":observer" : ":participant");
  if (client_port != 0) {
    s += ";" + DelimitedHost(client_host.empty() ? "0.0.0.0" : client_host) + ":" +
         std::to_string(client_port);
  }
  return s;
}

}  // namespace zk::config
