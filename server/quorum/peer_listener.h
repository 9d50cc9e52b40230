// Listens on this server's peer address and keeps the links peers dial to us.
// A peer that reconnects replaces its older link, which is closed.
//
// Thread-safety: all methods run on the io_context thread. Lives by
// shared_from_this while I/O is pending; after Stop() it delivers nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>

#include "server/net/asio.h"
#include "server/quorum/inbound_link.h"

namespace zk::quorum {

class PeerListener : public InboundLink::Owner, public std::enable_shared_from_this<PeerListener> {
 public:
  using Handler = std::function<void(zab::Message)>;

  PeerListener(boost::asio::io_context& io, zab::ServerId self, std::set<zab::ServerId> peers,
               size_t max_frame_bytes, Handler on_message);
  PeerListener(const PeerListener&) = delete;
  PeerListener& operator=(const PeerListener&) = delete;

  // Binds and listens; false with *error set when that fails.
  bool Listen(const std::string& host, uint16_t port, std::string* error);
  void Start();
  void Stop();

  uint16_t port() const { return port_; }
  // Identified links, one per peer at most.
  size_t identified_links() const { return by_peer_.size(); }

  // InboundLink::Owner
  bool KnownPeer(zab::ServerId id) const override;
  void Identified(InboundLink* link) override;
  void Deliver(zab::Message m) override;
  void Closed(InboundLink* link) override;

 private:
  void DoAccept();

  const zab::ServerId self_;
  const std::set<zab::ServerId> peers_;
  const size_t max_frame_bytes_;
  const size_t max_links_;
  Handler on_message_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;
  uint16_t port_ = 0;
  bool stopped_ = false;
  std::unordered_map<InboundLink*, std::shared_ptr<InboundLink>> links_;
  std::map<zab::ServerId, InboundLink*> by_peer_;
};

}  // namespace zk::quorum
