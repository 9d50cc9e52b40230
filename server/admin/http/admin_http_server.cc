#include "server/admin/http/admin_http_server.h"

#include <glog/logging.h>

#include <algorithm>
#include <boost/beast.hpp>
#include <utility>

#include "server/config/server_config.h"

namespace zk::admin::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

// One HTTP/1.1 connection: read a request, answer it, repeat while the
// client keeps the connection alive. Lives by shared_from_this while an
// operation is pending; the idle timeout bounds every read and write.
class AdminHttpServer::Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, std::shared_ptr<const AdminRoutes> routes,
             std::chrono::milliseconds idle_timeout)
      : stream_(std::move(socket)), routes_(std::move(routes)), idle_timeout_(idle_timeout) {}

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void Start() { Read(); }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

 private:
  void Read() {
    request_ = {};
    stream_.expires_after(idle_timeout_);
    bhttp::async_read(
        stream_, buffer_, request_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream) {
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
      return;
    }
    if (ec) {
      if (ec != asio::error::operation_aborted && ec != beast::error::timeout) {
        VLOG(1) << "admin http read: " << ec.message();
      }
      return;
    }
    HttpReply reply = routes_->Handle(
        std::string_view(request_.method_string().data(), request_.method_string().size()),
        std::string_view(request_.target().data(), request_.target().size()));
    response_ = {};
    response_.version(request_.version());
    response_.result(static_cast<unsigned>(reply.status));
    response_.set(bhttp::field::content_type, reply.content_type);
    if (reply.status == 405) response_.set(bhttp::field::allow, "GET");
    response_.keep_alive(request_.keep_alive());
    response_.body() = std::move(reply.body);
    response_.prepare_payload();
    stream_.expires_after(idle_timeout_);
    bhttp::async_write(
        stream_, response_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnWrite(ec); });
  }

  void OnWrite(beast::error_code ec) {
    if (ec) return;
    if (response_.need_eof()) {
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
      return;
    }
    Read();
  }

  beast::tcp_stream stream_;
  std::shared_ptr<const AdminRoutes> routes_;
  std::chrono::milliseconds idle_timeout_;
  beast::flat_buffer buffer_;
  bhttp::request<bhttp::string_body> request_;
  bhttp::response<bhttp::string_body> response_;
};

AdminHttpOptions AdminHttpOptionsFrom(const config::ServerConfig& config) {
  AdminHttpOptions options;
  options.address = config.admin_server_address;
  options.port = static_cast<uint16_t>(config.admin_server_port);
  return options;
}

AdminHttpServer::AdminHttpServer(asio::io_context& io, AdminHttpOptions options,
                                 AdminRoutes::StatsProvider stats)
    : io_(io),
      options_(std::move(options)),
      routes_(std::make_shared<const AdminRoutes>(options_.command_url, std::move(stats))),
      acceptor_(io) {}

AdminHttpServer::~AdminHttpServer() {
  Stop();
  alive_.reset();
}

bool AdminHttpServer::Start(std::string* error) {
  beast::error_code ec;
  asio::ip::address address = asio::ip::make_address(options_.address, ec);
  if (ec) {
    *error = "bad admin.serverAddress '" + options_.address + "': " + ec.message();
    return false;
  }
  tcp::endpoint endpoint(address, options_.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    *error = "cannot listen on " + options_.address + ":" + std::to_string(options_.port) + ": " +
             ec.message();
    beast::error_code ignored;
    acceptor_.close(ignored);
    return false;
  }
  port_ = acceptor_.local_endpoint(ec).port();
  LOG(INFO) << "Started AdminServer on address " << options_.address << ", port " << port_
            << " and command URL " << options_.command_url;
  Accept();
  return true;
}

void AdminHttpServer::Stop() {
  beast::error_code ignored;
  if (acceptor_.is_open()) acceptor_.close(ignored);
  for (const std::weak_ptr<Connection>& weak : connections_) {
    if (std::shared_ptr<Connection> connection = weak.lock()) connection->Close();
  }
  connections_.clear();
}

void AdminHttpServer::Accept() {
  std::weak_ptr<int> alive = alive_;
  acceptor_.async_accept(io_, [this, alive](beast::error_code ec, tcp::socket socket) {
    // A completion can still be queued when the server is stopped or gone.
    if (alive.expired() || !acceptor_.is_open()) return;
    if (ec) {
      LOG(WARNING) << "admin http accept: " << ec.message();
    } else {
      auto connection =
          std::make_shared<Connection>(std::move(socket), routes_, options_.idle_timeout);
      std::erase_if(connections_, [](const std::weak_ptr<Connection>& c) { return c.expired(); });
      connections_.push_back(connection);
      connection->Start();
    }
    if (acceptor_.is_open()) Accept();
  });
}

}  // namespace zk::admin::http
