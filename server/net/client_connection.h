// One client's TCP connection: reads frames, performs the session handshake,
// hands requests to the server, and writes replies and watch events in order
// through a queue. Lives by shared_from_this while I/O is pending.
//
// Thread-safety: all methods run on the io_context thread.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "server/net/asio.h"

namespace zk::net {

class ConnectionHandler;

class ClientConnection : public std::enable_shared_from_this<ClientConnection> {
 public:
  ClientConnection(boost::asio::ip::tcp::socket socket, ConnectionHandler* handler,
                   int32_t max_buffer);
  ClientConnection(const ClientConnection&) = delete;
  ClientConnection& operator=(const ClientConnection&) = delete;

  void Start();
  // Queues a framed message; sent after everything queued before it.
  void Send(std::string frame);
  // Sends what is queued, then closes.
  void CloseAfterWrites();
  // Closes at once, dropping unsent data.
  void Close();

  int64_t session_id() const { return session_id_; }
  // The handshake admitted the connection to `id`: requests flow from now on.
  void SessionEstablished(int64_t id);
  const std::string& remote_address() const { return remote_address_; }
  int remote_port() const { return remote_port_; }
  bool established() const { return session_id_ != 0; }
  uint64_t packets_received() const { return packets_received_; }
  uint64_t packets_sent() const { return packets_sent_; }
  size_t queued_bytes() const { return queued_bytes_; }

 private:
  void DoRead();
  void OnRead(size_t n);
  // Consumes the complete frames in the read buffer. False when the connection must close.
  bool ParseFrames();
  void DoWrite();

  boost::asio::ip::tcp::socket socket_;
  ConnectionHandler* handler_;
  const int32_t max_buffer_;
  std::string remote_address_;
  int remote_port_ = 0;
  int64_t session_id_ = 0;
  bool first_bytes_ = true;
  bool awaiting_session_ = false;  // handshake read, its answer not yet given
  bool closing_ = false;
  bool closed_ = false;
  bool reading_ = false;
  bool writing_ = false;
  bool write_posted_ = false;  // a DoWrite is queued on the executor

  std::vector<char> read_buf_;
  size_t read_len_ = 0;  // bytes of read_buf_ holding unparsed input

  std::deque<std::string> write_queue_;
  std::vector<std::string> in_flight_;
  size_t queued_bytes_ = 0;
  uint64_t packets_received_ = 0;
  uint64_t packets_sent_ = 0;
};

// What a connection asks of the server. Implemented by the server glue.
class ConnectionHandler {
 public:
  virtual ~ConnectionHandler() = default;
  // The first four bytes spelled a four-letter word: answer it (empty means "not one").
  virtual std::string FourLetterWord(const std::string& word) = 0;
  // The first frame: a ConnectRequest (plus an optional read-only byte).
  virtual void Handshake(const std::shared_ptr<ClientConnection>& conn, std::string_view frame) = 0;
  // Every later frame: RequestHeader + request record. False closes the connection.
  virtual bool Request(const std::shared_ptr<ClientConnection>& conn, std::string_view frame) = 0;
  virtual void Closed(ClientConnection* conn) = 0;
  // Too much is queued for a client that does not read: stop taking its requests.
  static constexpr size_t kPauseReadingBytes = 4 << 20;
  // A client this far behind is dropped rather than buffered for without bound.
  static constexpr size_t kDropBytes = 64 << 20;
};

}  // namespace zk::net
