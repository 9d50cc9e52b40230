#include "server/net/client_listener.h"

#include <glog/logging.h>

namespace zk::net {

ClientListener::ClientListener(boost::asio::io_context& io,
                               const boost::asio::ip::tcp::endpoint& endpoint,
                               ConnectionHandler* handler, int max_per_ip, int32_t max_buffer)
    : acceptor_(io), handler_(handler), max_per_ip_(max_per_ip), max_buffer_(max_buffer) {
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(boost::asio::ip::tcp::acceptor::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(boost::asio::socket_base::max_listen_connections);
}

void ClientListener::Start() { DoAccept(); }

void ClientListener::Stop() {
  boost::system::error_code ec;
  acceptor_.close(ec);
  auto conns = connections_;
  for (const auto& [raw, conn] : conns) conn->Close();
}

void ClientListener::DoAccept() {
  acceptor_.async_accept([this](const boost::system::error_code& ec,
                                boost::asio::ip::tcp::socket socket) {
    if (ec == boost::asio::error::operation_aborted) return;
    if (!ec) {
      boost::system::error_code addr_ec;
      std::string ip = socket.remote_endpoint(addr_ec).address().to_string();
      if (addr_ec) {
        // The peer left before we looked.
      } else if (max_per_ip_ > 0 && per_ip_[ip] >= max_per_ip_) {
        LOG(WARNING) << "Too many connections from /" << ip << " - max is " << max_per_ip_;
        socket.close(addr_ec);
      } else {
        per_ip_[ip]++;
        auto conn = std::make_shared<ClientConnection>(std::move(socket), handler_, max_buffer_);
        connections_.emplace(conn.get(), conn);
        conn->Start();
      }
    } else {
      LOG(WARNING) << "Accept failed: " << ec.message();
    }
    DoAccept();
  });
}

void ClientListener::Forget(ClientConnection* conn) {
  auto it = connections_.find(conn);
  if (it == connections_.end()) return;
  if (auto ip = per_ip_.find(conn->remote_address()); ip != per_ip_.end() && --ip->second <= 0) {
    per_ip_.erase(ip);
  }
  // The connection may be mid-call into us: let it go only after the call returns.
  boost::asio::post(acceptor_.get_executor(), [last_ref = std::move(it->second)] {});
  connections_.erase(it);
}

}  // namespace zk::net
