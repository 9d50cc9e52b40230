// One ensemble member, as written in zoo.cfg:
//   server.N=host:peerPort:electionPort[:participant|:observer][;[clientHost:]clientPort]
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace zk::config {

enum class LearnerType { kParticipant, kObserver };

struct QuorumServer {
  int64_t id = 0;
  std::string host;  // as written; an IPv6 literal without brackets
  int32_t peer_port = 0;
  int32_t election_port = 0;
  LearnerType type = LearnerType::kParticipant;
  // The client address from the part after ';'. client_port 0 means the line
  // had none and the server uses clientPort/clientPortAddress instead. An
  // empty client_host means all interfaces.
  std::string client_host;
  int32_t client_port = 0;

  // Apache's QuorumServer.toString(), as shown in `conf` membership lines:
  // "host:peer:election:participant" plus ";clientHost:clientPort" when the
  // line gave a client port.
  std::string ToString() const;
  bool operator==(const QuorumServer&) const = default;
};

// Parses the value of a server.N line. On failure returns false and sets
// *error to a message (without the key; the caller adds it).
bool ParseQuorumServer(int64_t id, std::string_view value, QuorumServer* out, std::string* error);

// Parses "port" or "host:port" ("[v6]:port" for IPv6); an empty host means
// all interfaces. Port must be in 1..65535.
bool ParseHostPort(std::string_view text, std::string* host, int32_t* port, std::string* error);

// Parses a port number in 1..65535.
bool ParsePort(std::string_view text, int32_t* port);

}  // namespace zk::config
