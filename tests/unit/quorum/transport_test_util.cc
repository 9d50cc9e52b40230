#include "tests/unit/quorum/transport_test_util.h"

namespace zk::quorum::testing {

std::vector<uint16_t> PickFreePorts(size_t n) {
  boost::asio::io_context io;
  std::vector<std::unique_ptr<boost::asio::ip::tcp::acceptor>> holders;
  std::vector<uint16_t> ports;
  for (size_t i = 0; i < n; i++) {
    auto acceptor = std::make_unique<boost::asio::ip::tcp::acceptor>(
        io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
    ports.push_back(acceptor->local_endpoint().port());
    holders.push_back(std::move(acceptor));
  }
  return ports;
}

bool RunUntil(boost::asio::io_context& io, const std::function<bool()>& done,
              std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    if (io.stopped()) io.restart();
    io.run_for(std::chrono::milliseconds(2));
  }
  return done();
}

void RunFor(boost::asio::io_context& io, std::chrono::milliseconds duration) {
  RunUntil(
      io, [] { return false; }, duration);
}

TransportOptions TestOptions() {
  TransportOptions options;
  options.min_backoff = std::chrono::milliseconds(5);
  options.max_backoff = std::chrono::milliseconds(40);
  return options;
}

std::vector<PeerAddress> Ensemble(const std::vector<uint16_t>& ports) {
  std::vector<PeerAddress> peers;
  for (size_t i = 0; i < ports.size(); i++) {
    peers.push_back({static_cast<zab::ServerId>(i + 1), "127.0.0.1", ports[i]});
  }
  return peers;
}

zab::Message MakeMessage(zab::ServerId from, zab::ServerId to, std::string payload,
                         uint64_t request_id) {
  zab::Message m;
  m.type = zab::MessageType::kRequest;
  m.from = from;
  m.to = to;
  m.payload = std::move(payload);
  m.request_id = request_id;
  return m;
}

Node::Node(boost::asio::io_context& io, zab::ServerId id, const std::vector<PeerAddress>& peers,
           TransportOptions options)
    : transport(std::make_unique<PeerTransport>(
          io, id, peers, [this](zab::Message m) { received.push_back(std::move(m)); }, options)) {}

}  // namespace zk::quorum::testing
