#include "server/quorum/peer_listener.h"

#include <glog/logging.h>

#include <chrono>

namespace zk::quorum {
namespace {

// Pause after a failed accept (e.g. out of descriptors) instead of spinning.
constexpr std::chrono::milliseconds kAcceptRetry{100};

}  // namespace

PeerListener::PeerListener(boost::asio::io_context& io, zab::ServerId self,
                           std::set<zab::ServerId> peers, size_t max_frame_bytes,
                           Handler on_message)
    : self_(self),
      peers_(std::move(peers)),
      max_frame_bytes_(max_frame_bytes),
      // Room for every peer twice (an old link not yet noticed dead) and a few strays.
      max_links_(2 * peers_.size() + 8),
      on_message_(std::move(on_message)),
      acceptor_(io),
      retry_timer_(io) {}

bool PeerListener::Listen(const std::string& host, uint16_t port, std::string* error) {
  boost::system::error_code ec;
  boost::asio::ip::tcp::resolver resolver(acceptor_.get_executor());
  auto results = resolver.resolve(host, std::to_string(port), ec);
  if (ec || results.empty()) {
    *error = "cannot resolve peer address " + host + ": " + ec.message();
    return false;
  }
  boost::asio::ip::tcp::endpoint endpoint = results.begin()->endpoint();
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(boost::asio::ip::tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(boost::asio::socket_base::max_listen_connections, ec);
  if (ec) {
    *error = "cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message();
    acceptor_.close(ec);
    return false;
  }
  port_ = acceptor_.local_endpoint(ec).port();
  return true;
}

void PeerListener::Start() { DoAccept(); }

void PeerListener::Stop() {
  if (stopped_) return;
  stopped_ = true;
  boost::system::error_code ec;
  acceptor_.close(ec);
  retry_timer_.cancel();
  for (auto& [raw, link] : links_) link->Close();
  links_.clear();
  by_peer_.clear();
}

void PeerListener::DoAccept() {
  acceptor_.async_accept([self = shared_from_this()](const boost::system::error_code& ec,
                                                     boost::asio::ip::tcp::socket socket) {
    if (self->stopped_) return;
    if (ec) {
      LOG(WARNING) << "Accepting a peer connection failed: " << ec.message();
      self->retry_timer_.expires_after(kAcceptRetry);
      self->retry_timer_.async_wait([self](const boost::system::error_code& timer_ec) {
        if (!timer_ec && !self->stopped_) self->DoAccept();
      });
      return;
    }
    if (self->links_.size() >= self->max_links_) {
      LOG(WARNING) << "Refusing a peer connection: " << self->links_.size()
                   << " peer links are open already";
      boost::system::error_code close_ec;
      socket.close(close_ec);
    } else {
      auto link = std::make_shared<InboundLink>(std::move(socket), self.get(), self->self_,
                                                self->max_frame_bytes_);
      self->links_.emplace(link.get(), link);
      link->Start();
    }
    self->DoAccept();
  });
}

bool PeerListener::KnownPeer(zab::ServerId id) const { return peers_.count(id) > 0; }

void PeerListener::Identified(InboundLink* link) {
  auto [it, fresh] = by_peer_.try_emplace(link->peer(), link);
  if (fresh) return;
  // The peer dialled again, so its older link is dead or about to be.
  InboundLink* old = it->second;
  it->second = link;
  VLOG(1) << "Server " << link->peer() << " reconnected from " << link->remote();
  if (auto found = links_.find(old); found != links_.end()) {
    found->second->Close();
    links_.erase(found);
  }
}

void PeerListener::Deliver(zab::Message m) {
  if (!stopped_ && on_message_) on_message_(std::move(m));
}

void PeerListener::Closed(InboundLink* link) {
  if (auto it = by_peer_.find(link->peer()); it != by_peer_.end() && it->second == link) {
    by_peer_.erase(it);
  }
  // The link keeps itself alive while its handler runs.
  links_.erase(link);
}

}  // namespace zk::quorum
