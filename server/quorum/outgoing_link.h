// The connection this server dials to one peer and only writes to. It starts
// with a hello, then carries frames from a bounded queue, batched into one
// write. When the connection fails it drops what is queued (the ZAB core
// retries) and reconnects with exponential backoff.
//
// Thread-safety: all methods run on the io_context thread. Lives by
// shared_from_this while I/O is pending; after Stop() no handler touches
// anything but the link itself.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "server/net/asio.h"
#include "server/quorum/peer_address.h"
#include "server/quorum/transport_options.h"

namespace zk::quorum {

class OutgoingLink : public std::enable_shared_from_this<OutgoingLink> {
 public:
  OutgoingLink(boost::asio::io_context& io, zab::ServerId self, PeerAddress peer,
               const TransportOptions& options);
  OutgoingLink(const OutgoingLink&) = delete;
  OutgoingLink& operator=(const OutgoingLink&) = delete;

  void Start();
  void Stop();
  // Queues one frame (header included). False when it was dropped because the
  // link is down or the queue is full.
  bool Send(std::string frame);
  // Whether Send would take a frame of `bytes` now (lets a caller skip encoding).
  bool CanQueue(size_t bytes) const;
  // Counts a message the caller dropped before framing it.
  void CountDropped() { dropped_++; }

  bool connected() const { return state_ == State::kConnected; }
  PeerLinkStats stats() const;

 private:
  enum class State { kIdle, kConnecting, kConnected, kBackoff, kStopped };

  void Connect();
  void OnConnected();
  void WatchForClose();
  void DoWrite();
  // Drops the connection and schedules the next attempt.
  void Fail(const std::string& why);
  std::string Where() const;

  boost::asio::io_context& io_;
  const zab::ServerId self_;
  const PeerAddress peer_;
  const TransportOptions options_;
  boost::asio::ip::tcp::resolver resolver_;
  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer timer_;
  const std::string hello_;
  State state_ = State::kIdle;
  // Bumped per connection attempt so handlers of an older one do nothing.
  uint64_t generation_ = 0;
  std::chrono::milliseconds backoff_;
  std::chrono::steady_clock::time_point connected_at_;
  bool writing_ = false;
  bool ever_connected_ = false;
  std::deque<std::string> queue_;
  std::vector<std::string> in_flight_;
  size_t queued_bytes_ = 0;  // queue_ and in_flight_
  char probe_[64];           // the peer never writes: a read only notices it closing
  uint64_t sent_ = 0;
  uint64_t dropped_ = 0;
  uint64_t connects_ = 0;
};

}  // namespace zk::quorum
