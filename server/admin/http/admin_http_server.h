// ZooKeeper's AdminServer over HTTP (boost beast): the JSON commands under
// admin.commandURL and Prometheus metrics, see admin_routes.h.
//
// Threading: the server runs on the io_context the ZooKeeper server uses,
// and every handler calls the stats provider on that io_context's thread,
// so the provider may read server state directly. Start, Stop and the
// destructor must run on that thread too, or while it is not running.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "server/admin/http/admin_routes.h"
#include "server/net/asio.h"

namespace zk::config {
struct ServerConfig;
}

namespace zk::admin::http {

struct AdminHttpOptions {
  std::string address = "0.0.0.0";  // admin.serverAddress
  uint16_t port = 8080;             // admin.serverPort; 0 picks a free port
  std::string command_url = "/commands";
  std::chrono::milliseconds idle_timeout{30000};  // admin.idleTimeout
};

// admin.serverAddress and admin.serverPort from a parsed configuration.
AdminHttpOptions AdminHttpOptionsFrom(const config::ServerConfig& config);

class AdminHttpServer {
 public:
  AdminHttpServer(boost::asio::io_context& io, AdminHttpOptions options,
                  AdminRoutes::StatsProvider stats);
  ~AdminHttpServer();

  AdminHttpServer(const AdminHttpServer&) = delete;
  AdminHttpServer& operator=(const AdminHttpServer&) = delete;

  // Binds and starts accepting. Returns false and says why in `error` when
  // the address cannot be bound.
  bool Start(std::string* error);

  // Stops accepting and closes open connections. Idempotent.
  void Stop();

  // The bound port (the chosen one when configured as 0); 0 before Start.
  uint16_t port() const { return port_; }

 private:
  class Connection;

  void Accept();

  boost::asio::io_context& io_;
  AdminHttpOptions options_;
  std::shared_ptr<const AdminRoutes> routes_;  // shared with live connections
  boost::asio::ip::tcp::acceptor acceptor_;
  std::vector<std::weak_ptr<Connection>> connections_;
  uint16_t port_ = 0;
  // Queued accept completions hold a weak reference and do nothing once
  // this is gone.
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace zk::admin::http
