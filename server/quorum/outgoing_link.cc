#include "server/quorum/outgoing_link.h"

#include <glog/logging.h>

#include <algorithm>

#include "server/quorum/link_protocol.h"

namespace zk::quorum {
namespace {

// Frames gathered into one write; the kernel takes at most IOV_MAX (1024) per call.
constexpr size_t kMaxBatch = 256;

}  // namespace

OutgoingLink::OutgoingLink(boost::asio::io_context& io, zab::ServerId self, PeerAddress peer,
                           const TransportOptions& options)
    : io_(io),
      self_(self),
      peer_(std::move(peer)),
      options_(options),
      resolver_(io),
      socket_(io),
      timer_(io),
      hello_(EncodeHello(self)),
      backoff_(options.min_backoff) {}

std::string OutgoingLink::Where() const {
  return "server " + std::to_string(peer_.id) + " at " + peer_.host + ":" +
         std::to_string(peer_.port);
}

void OutgoingLink::Start() {
  if (state_ == State::kIdle) Connect();
}

void OutgoingLink::Stop() {
  if (state_ == State::kStopped) return;
  state_ = State::kStopped;
  ++generation_;
  boost::system::error_code ec;
  timer_.cancel();
  resolver_.cancel();
  socket_.close(ec);
  dropped_ += queue_.size() + in_flight_.size();
  queue_.clear();
  in_flight_.clear();
  queued_bytes_ = 0;
  writing_ = false;
}

void OutgoingLink::Connect() {
  state_ = State::kConnecting;
  uint64_t gen = ++generation_;
  resolver_.async_resolve(
      peer_.host, std::to_string(peer_.port),
      [self = shared_from_this(), gen](const boost::system::error_code& ec,
                                       boost::asio::ip::tcp::resolver::results_type results) {
        if (gen != self->generation_) return;
        if (ec) {
          self->Fail("cannot resolve " + self->peer_.host + ": " + ec.message());
          return;
        }
        boost::asio::async_connect(self->socket_, results,
                                   [self, gen](const boost::system::error_code& ec,
                                               const boost::asio::ip::tcp::endpoint&) {
                                     if (gen != self->generation_) return;
                                     if (ec) {
                                       self->Fail("cannot connect: " + ec.message());
                                       return;
                                     }
                                     self->OnConnected();
                                   });
      });
}

void OutgoingLink::OnConnected() {
  boost::system::error_code ec;
  socket_.set_option(boost::asio::ip::tcp::no_delay(true), ec);
  state_ = State::kConnected;
  connected_at_ = std::chrono::steady_clock::now();
  connects_++;
  LOG(INFO) << "Server " << self_ << " connected to " << Where();
  WatchForClose();
  // The hello goes first; frames sent meanwhile wait in the queue.
  writing_ = true;
  boost::asio::async_write(
      socket_, boost::asio::buffer(hello_),
      [self = shared_from_this(), gen = generation_](const boost::system::error_code& ec, size_t) {
        if (gen != self->generation_) return;
        self->writing_ = false;
        if (ec) {
          self->Fail("write failed: " + ec.message());
          return;
        }
        self->DoWrite();
      });
}

void OutgoingLink::WatchForClose() {
  socket_.async_read_some(
      boost::asio::buffer(probe_),
      [self = shared_from_this(), gen = generation_](const boost::system::error_code& ec, size_t) {
        if (gen != self->generation_) return;
        if (ec == boost::asio::error::eof) {
          self->Fail("closed by the peer");
        } else if (ec) {
          self->Fail(ec.message());
        } else {
          self->Fail("the peer wrote on a send-only link");
        }
      });
}

bool OutgoingLink::CanQueue(size_t bytes) const {
  if (state_ != State::kConnected) return false;
  size_t queued = queue_.size() + in_flight_.size();
  if (queued == 0) return true;  // one message always fits
  return queued < options_.max_queue_messages && queued_bytes_ + bytes <= options_.max_queue_bytes;
}

bool OutgoingLink::Send(std::string frame) {
  if (!CanQueue(frame.size())) {
    dropped_++;
    VLOG(1) << "Dropping a message for " << Where() << " (" << (connected() ? "queue full" : "down")
            << "): " << queue_.size() + in_flight_.size() << " messages, " << queued_bytes_
            << " bytes queued";
    return false;
  }
  queued_bytes_ += frame.size();
  queue_.push_back(std::move(frame));
  DoWrite();
  return true;
}

void OutgoingLink::DoWrite() {
  if (writing_ || state_ != State::kConnected || queue_.empty()) return;
  in_flight_.clear();
  while (!queue_.empty() && in_flight_.size() < kMaxBatch) {
    in_flight_.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  std::vector<boost::asio::const_buffer> buffers;
  buffers.reserve(in_flight_.size());
  for (const std::string& s : in_flight_) buffers.emplace_back(s.data(), s.size());
  writing_ = true;
  boost::asio::async_write(socket_, buffers,
                           [self = shared_from_this(), gen = generation_](
                               const boost::system::error_code& ec, size_t n) {
                             if (gen != self->generation_) return;
                             self->writing_ = false;
                             if (ec) {
                               self->Fail("write failed: " + ec.message());
                               return;
                             }
                             self->sent_ += self->in_flight_.size();
                             self->queued_bytes_ -= n;
                             self->in_flight_.clear();
                             self->DoWrite();
                           });
}

void OutgoingLink::Fail(const std::string& why) {
  if (state_ == State::kStopped) return;
  bool was_connected = state_ == State::kConnected;
  ++generation_;
  boost::system::error_code ec;
  socket_.close(ec);
  writing_ = false;
  dropped_ += queue_.size() + in_flight_.size();
  queue_.clear();
  in_flight_.clear();
  queued_bytes_ = 0;
  auto now = std::chrono::steady_clock::now();
  if (was_connected) {
    LOG(INFO) << "Server " << self_ << " lost its link to " << Where() << ": " << why;
    if (now - connected_at_ >= options_.max_backoff) backoff_ = options_.min_backoff;
  } else if (connects_ == 0 && backoff_ == options_.min_backoff) {
    LOG(INFO) << "Server " << self_ << " cannot reach " << Where() << " yet: " << why;
  } else {
    VLOG(1) << "Server " << self_ << " cannot reach " << Where() << ": " << why;
  }
  state_ = State::kBackoff;
  timer_.expires_after(backoff_);
  timer_.async_wait(
      [self = shared_from_this(), gen = generation_](const boost::system::error_code& ec) {
        if (ec || gen != self->generation_ || self->state_ != State::kBackoff) return;
        self->Connect();
      });
  backoff_ = std::min(backoff_ * 2, options_.max_backoff);
}

PeerLinkStats OutgoingLink::stats() const {
  PeerLinkStats s;
  s.connected = connected();
  s.queued_messages = queue_.size() + in_flight_.size();
  s.queued_bytes = queued_bytes_;
  s.sent_messages = sent_;
  s.dropped_messages = dropped_;
  s.connects = connects_;
  return s;
}

}  // namespace zk::quorum
