#include "server/quorum/peer_transport.h"

#include <glog/logging.h>

#include <algorithm>
#include <limits>
#include <set>

#include "server/quorum/codec.h"
#include "server/quorum/link_protocol.h"
#include "server/quorum/outgoing_link.h"
#include "server/quorum/peer_listener.h"

namespace zk::quorum {

PeerTransport::PeerTransport(boost::asio::io_context& io, zab::ServerId self,
                             std::vector<PeerAddress> peers, Handler on_message,
                             TransportOptions options)
    : io_(io),
      self_(self),
      peers_(std::move(peers)),
      on_message_(std::move(on_message)),
      options_(options) {
  // The length header has 32 bits.
  options_.max_frame_bytes =
      std::min<size_t>(options_.max_frame_bytes, std::numeric_limits<uint32_t>::max());
}

PeerTransport::~PeerTransport() { Stop(); }

bool PeerTransport::Start(std::string* error) {
  if (started_ || stopped_) {
    *error = "the peer transport was started before";
    return false;
  }
  const PeerAddress* me = nullptr;
  std::set<zab::ServerId> others;
  for (const PeerAddress& p : peers_) {
    if (p.id == self_) {
      me = &p;
    } else if (!others.insert(p.id).second) {
      *error = "server " + std::to_string(p.id) + " is listed twice";
      return false;
    }
  }
  if (me == nullptr) {
    *error = "server " + std::to_string(self_) + " is not in the peer list";
    return false;
  }
  listener_ =
      std::make_shared<PeerListener>(io_, self_, others, options_.max_frame_bytes, on_message_);
  if (!listener_->Listen(me->host, me->port, error)) {
    listener_.reset();
    return false;
  }
  started_ = true;
  listener_->Start();
  LOG(INFO) << "Server " << self_ << " listens for peers on " << me->host << ":"
            << listener_->port();
  for (const PeerAddress& p : peers_) {
    if (p.id == self_) continue;
    auto link = std::make_shared<OutgoingLink>(io_, self_, p, options_);
    links_.emplace(p.id, link);
    link->Start();
  }
  return true;
}

void PeerTransport::Stop() {
  if (stopped_) return;
  stopped_ = true;
  if (listener_) listener_->Stop();
  for (auto& [id, link] : links_) link->Stop();
}

void PeerTransport::Send(zab::Message m) {
  if (!started_ || stopped_) return;
  auto it = links_.find(m.to);
  if (it == links_.end()) {
    VLOG(1) << "Dropping a message to unknown server " << m.to << ": " << zab::Describe(m);
    return;
  }
  OutgoingLink& link = *it->second;
  size_t size = EncodedSize(m);
  if (!link.CanQueue(kFrameHeaderSize + size)) {  // spare the encoding
    link.CountDropped();
    return;
  }
  if (size > options_.max_frame_bytes) {
    LOG(WARNING) << "Dropping a " << size << "-byte message over the frame limit of "
                 << options_.max_frame_bytes << ": " << zab::Describe(m);
    link.CountDropped();
    return;
  }
  std::string frame;
  frame.reserve(kFrameHeaderSize + size);
  frame.resize(kFrameHeaderSize);
  WriteBigEndian32(static_cast<uint32_t>(size), frame.data());
  AppendMessage(m, &frame);
  link.Send(std::move(frame));
}

bool PeerTransport::Connected(zab::ServerId id) const {
  auto it = links_.find(id);
  return it != links_.end() && it->second->connected();
}

PeerLinkStats PeerTransport::Stats(zab::ServerId id) const {
  auto it = links_.find(id);
  return it == links_.end() ? PeerLinkStats{} : it->second->stats();
}

uint16_t PeerTransport::listen_port() const { return listener_ ? listener_->port() : 0; }

}  // namespace zk::quorum
