// Helpers for peer transport tests: free ports, a bounded event loop, and a
// transport that records what it receives.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "server/net/asio.h"
#include "server/quorum/peer_transport.h"

namespace zk::quorum::testing {

// Ports that were free a moment ago on 127.0.0.1 (bound together, then released).
std::vector<uint16_t> PickFreePorts(size_t n);

// Runs `io` until `done()` holds or `timeout` passes. Returns done().
bool RunUntil(boost::asio::io_context& io, const std::function<bool()>& done,
              std::chrono::milliseconds timeout = std::chrono::seconds(3));
// Runs `io` for `duration`.
void RunFor(boost::asio::io_context& io, std::chrono::milliseconds duration);

// Fast reconnects so tests do not wait.
TransportOptions TestOptions();

std::vector<PeerAddress> Ensemble(const std::vector<uint16_t>& ports);

zab::Message MakeMessage(zab::ServerId from, zab::ServerId to, std::string payload,
                         uint64_t request_id = 0);

// A transport and everything it delivered.
struct Node {
  Node(boost::asio::io_context& io, zab::ServerId id, const std::vector<PeerAddress>& peers,
       TransportOptions options = TestOptions());
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;
  std::vector<zab::Message> received;
  std::unique_ptr<PeerTransport> transport;
};

}  // namespace zk::quorum::testing
