// A connection a peer dialled to us, which we only read. It must start with a
// valid hello from a known server; then every frame is decoded and handed to
// the owner. Anything malformed or oversized closes it with a log line (the
// peer reconnects).
//
// Thread-safety: all methods run on the io_context thread. Lives by
// shared_from_this while I/O is pending; after Close() it calls its owner no more.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "server/net/asio.h"
#include "server/zab/message.h"

namespace zk::quorum {

class InboundLink : public std::enable_shared_from_this<InboundLink> {
 public:
  class Owner {
   public:
    virtual ~Owner() = default;
    // Whether `id` may talk to us.
    virtual bool KnownPeer(zab::ServerId id) const = 0;
    // The hello named `link->peer()`.
    virtual void Identified(InboundLink* link) = 0;
    virtual void Deliver(zab::Message m) = 0;
    // Called once when the link closes by itself (not after Close()).
    virtual void Closed(InboundLink* link) = 0;
  };

  InboundLink(boost::asio::ip::tcp::socket socket, Owner* owner, zab::ServerId self,
              size_t max_frame_bytes);
  InboundLink(const InboundLink&) = delete;
  InboundLink& operator=(const InboundLink&) = delete;

  void Start();
  // Closes without telling the owner.
  void Close();

  zab::ServerId peer() const { return peer_; }
  const std::string& remote() const { return remote_; }

 private:
  void DoRead();
  // Consumes what the buffer holds. False when the link must close.
  bool Parse();
  bool ParseHello();
  // Closes and tells the owner.
  void Shutdown(const std::string& why, bool warn);

  boost::asio::ip::tcp::socket socket_;
  Owner* owner_;
  const zab::ServerId self_;
  const size_t max_frame_bytes_;
  std::string remote_;
  zab::ServerId peer_ = 0;
  bool identified_ = false;
  bool closed_ = false;
  std::vector<char> buf_;
  size_t len_ = 0;   // bytes of buf_ holding unparsed input
  size_t want_ = 0;  // size of the frame being read, header included (0: unknown)
};

}  // namespace zk::quorum
