#include "server/quorum/inbound_link.h"

#include <glog/logging.h>

#include <algorithm>
#include <cstring>

#include "server/quorum/codec.h"
#include "server/quorum/link_protocol.h"

namespace zk::quorum {
namespace {

constexpr size_t kReadChunk = 64 * 1024;

}  // namespace

InboundLink::InboundLink(boost::asio::ip::tcp::socket socket, Owner* owner, zab::ServerId self,
                         size_t max_frame_bytes)
    : socket_(std::move(socket)),
      owner_(owner),
      self_(self),
      max_frame_bytes_(max_frame_bytes),
      buf_(kReadChunk) {
  boost::system::error_code ec;
  auto endpoint = socket_.remote_endpoint(ec);
  if (!ec) remote_ = endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
  socket_.set_option(boost::asio::ip::tcp::no_delay(true), ec);
}

void InboundLink::Start() { DoRead(); }

void InboundLink::Close() {
  if (closed_) return;
  closed_ = true;
  owner_ = nullptr;
  boost::system::error_code ec;
  socket_.close(ec);
}

void InboundLink::Shutdown(const std::string& why, bool warn) {
  if (closed_) return;
  std::string who = identified_ ? "server " + std::to_string(peer_) : "no hello yet";
  if (warn) {
    LOG(WARNING) << "Closing the peer link from " << remote_ << " (" << who << "): " << why;
  } else {
    LOG(INFO) << "Peer link from " << remote_ << " (" << who << ") ended: " << why;
  }
  Owner* owner = owner_;
  Close();
  owner->Closed(this);
}

void InboundLink::DoRead() {
  if (closed_) return;
  if (len_ == 0 && buf_.size() > 4 * kReadChunk) {
    std::vector<char>(kReadChunk).swap(buf_);  // give back what a big frame needed
  }
  if (buf_.size() - len_ < kReadChunk / 2) {
    // Grow at most to twice what has arrived, so a length header alone cannot
    // make us allocate the whole frame.
    size_t target = std::max(buf_.size() * 2, len_ + kReadChunk);
    if (want_ > 0) target = std::min(target, std::max(want_, len_ + kReadChunk));
    buf_.resize(target);
  }
  socket_.async_read_some(
      boost::asio::buffer(buf_.data() + len_, buf_.size() - len_),
      [self = shared_from_this()](const boost::system::error_code& ec, size_t n) {
        if (self->closed_) return;
        if (ec) {
          self->Shutdown(ec == boost::asio::error::eof ? "closed by the peer" : ec.message(),
                         false);
          return;
        }
        self->len_ += n;
        if (self->Parse()) self->DoRead();
      });
}

bool InboundLink::ParseHello() {
  std::string error;
  zab::ServerId id = 0;
  if (!DecodeHello(std::string_view(buf_.data(), kHelloSize), &id, &error)) {
    Shutdown("bad hello: " + error, true);
    return false;
  }
  if (id == self_ || !owner_->KnownPeer(id)) {
    Shutdown("hello from unknown server id " + std::to_string(id), true);
    return false;
  }
  peer_ = id;
  identified_ = true;
  owner_->Identified(this);
  return !closed_;
}

bool InboundLink::Parse() {
  size_t pos = 0;
  if (!identified_) {
    if (len_ < kHelloSize) return true;
    if (!ParseHello()) return false;
    pos = kHelloSize;
  }
  while (len_ - pos >= kFrameHeaderSize) {
    uint32_t n = ReadBigEndian32(buf_.data() + pos);
    if (n == 0 || n > max_frame_bytes_) {
      Shutdown("frame length " + std::to_string(n) + " out of range (limit " +
                   std::to_string(max_frame_bytes_) + ")",
               true);
      return false;
    }
    if (len_ - pos - kFrameHeaderSize < n) {
      want_ = kFrameHeaderSize + n;
      break;
    }
    zab::Message m;
    if (!DecodeMessage(std::string_view(buf_.data() + pos + kFrameHeaderSize, n), &m)) {
      Shutdown("malformed message of " + std::to_string(n) + " bytes", true);
      return false;
    }
    if (m.from != peer_ || m.to != self_) {
      Shutdown("message from " + std::to_string(m.from) + " to " + std::to_string(m.to) +
                   " on this link",
               true);
      return false;
    }
    pos += kFrameHeaderSize + n;
    want_ = 0;
    owner_->Deliver(std::move(m));
    if (closed_) return false;
  }
  if (pos > 0) {
    std::memmove(buf_.data(), buf_.data() + pos, len_ - pos);
    len_ -= pos;
  }
  return true;
}

}  // namespace zk::quorum
