// Accepts client connections on the client port and enforces maxClientCnxns per IP.
//
// Thread-safety: all methods run on the io_context thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>

#include "server/net/asio.h"
#include "server/net/client_connection.h"

namespace zk::net {

class ClientListener {
 public:
  ClientListener(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint,
                 ConnectionHandler* handler, int max_per_ip, int32_t max_buffer);
  ClientListener(const ClientListener&) = delete;
  ClientListener& operator=(const ClientListener&) = delete;

  void Start();
  void Stop();
  // The handler reports each closed connection here so its IP's count drops.
  void Forget(ClientConnection* conn);

  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  const std::unordered_map<ClientConnection*, std::shared_ptr<ClientConnection>>& connections()
      const {
    return connections_;
  }

 private:
  void DoAccept();

  boost::asio::ip::tcp::acceptor acceptor_;
  ConnectionHandler* handler_;
  const int max_per_ip_;
  const int32_t max_buffer_;
  std::map<std::string, int> per_ip_;
  std::unordered_map<ClientConnection*, std::shared_ptr<ClientConnection>> connections_;
};

}  // namespace zk::net
