// Carries zab::Message values between the servers of an ensemble.
//
// Each server dials every other server's peer address and uses that
// connection only to send; connections it accepts only receive. Links drop
// messages rather than block or buffer without bound: the ZAB core retries
// whatever matters, and tolerates loss, duplication and reordering.
//
// Thread-safety: every method, and the message handler, runs on the
// io_context's thread. Stop() before destroying (the destructor stops too).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "server/net/asio.h"
#include "server/quorum/peer_address.h"
#include "server/quorum/transport_options.h"
#include "server/zab/message.h"

namespace zk::quorum {

class OutgoingLink;
class PeerListener;

class PeerTransport {
 public:
  using Handler = std::function<void(zab::Message)>;

  // `peers` lists every server, self included: we listen on our own entry's
  // address (port 0 picks a free port; see listen_port()).
  PeerTransport(boost::asio::io_context& io, zab::ServerId self, std::vector<PeerAddress> peers,
                Handler on_message, TransportOptions options = {});
  ~PeerTransport();
  PeerTransport(const PeerTransport&) = delete;
  PeerTransport& operator=(const PeerTransport&) = delete;

  // Binds and listens on our address, then starts dialling the others.
  bool Start(std::string* error);
  // Sends to m.to. Dropped when the link is down, its queue is full, or the
  // message exceeds the frame limit. Never blocks.
  void Send(zab::Message m);
  // Closes everything; nothing is delivered afterwards.
  void Stop();

  // Whether the outgoing link to `id` is connected.
  bool Connected(zab::ServerId id) const;
  // The outgoing link's counters (all zero for an unknown id).
  PeerLinkStats Stats(zab::ServerId id) const;
  // The port we listen on, once started.
  uint16_t listen_port() const;

 private:
  boost::asio::io_context& io_;
  const zab::ServerId self_;
  const std::vector<PeerAddress> peers_;
  Handler on_message_;
  TransportOptions options_;
  std::shared_ptr<PeerListener> listener_;
  std::map<zab::ServerId, std::shared_ptr<OutgoingLink>> links_;
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace zk::quorum
