#include "tests/recipes/tcp_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>

namespace zk::recipes::testing {
namespace {

// How long the server gets to apply a create before its connection is cut.
constexpr auto kApplyPause = std::chrono::milliseconds(300);

bool ReadFull(int fd, char* buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = recv(fd, buf + got, n - got, 0);
    if (r <= 0) return false;
    got += static_cast<size_t>(r);
  }
  return true;
}

bool WriteFull(int fd, const char* buf, size_t n) {
  size_t sent = 0;
  while (sent < n) {
    ssize_t r = send(fd, buf + sent, n - sent, MSG_NOSIGNAL);
    if (r <= 0) return false;
    sent += static_cast<size_t>(r);
  }
  return true;
}

int32_t BigEndian32(const char* p) {
  auto u = [p](int i) { return static_cast<uint32_t>(static_cast<unsigned char>(p[i])); };
  return static_cast<int32_t>(u(0) << 24 | u(1) << 16 | u(2) << 8 | u(3));
}

bool IsCreate(int32_t type) { return type == 1 || type == 15 || type == 19 || type == 21; }

}  // namespace

struct TcpProxy::Link {
  int client_fd = -1;
  int server_fd = -1;
  std::atomic<bool> drop_to_client{false};
  void Cut() {
    shutdown(client_fd, SHUT_RDWR);
    shutdown(server_fd, SHUT_RDWR);
  }
  ~Link() {
    close(client_fd);
    close(server_fd);
  }
};

TcpProxy::TcpProxy(int server_port) : server_port_(server_port) {}

TcpProxy::~TcpProxy() {
  stop_ = true;
  if (listen_fd_ >= 0) shutdown(listen_fd_, SHUT_RDWR);
  if (accept_thread_.joinable()) accept_thread_.join();
  if (listen_fd_ >= 0) close(listen_fd_);
  std::vector<std::thread> pumps;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& link : links_) link->Cut();
    links_.clear();
    pumps.swap(pumps_);
  }
  for (auto& t : pumps) t.join();
}

bool TcpProxy::Start() {
  listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
  if (listen_fd_ < 0) return false;
  int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) return false;
  if (listen(listen_fd_, 16) != 0) return false;
  socklen_t len = sizeof(addr);
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  accept_thread_ = std::thread([this] { AcceptLoop(); });
  return true;
}

std::string TcpProxy::HostPort() const { return "127.0.0.1:" + std::to_string(port_); }

void TcpProxy::AcceptLoop() {
  while (!stop_) {
    int client_fd = accept(listen_fd_, nullptr, nullptr);
    if (client_fd < 0) return;
    int server_fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(server_port_));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (server_fd < 0 ||
        connect(server_fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      close(client_fd);
      if (server_fd >= 0) close(server_fd);
      continue;
    }
    auto link = std::make_shared<Link>();
    link->client_fd = client_fd;
    link->server_fd = server_fd;
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_) {
      link->Cut();
      return;
    }
    links_.push_back(link);
    pumps_.emplace_back([this, link] { Pump(link, true); });
    pumps_.emplace_back([this, link] { Pump(link, false); });
  }
}

void TcpProxy::Pump(std::shared_ptr<Link> link, bool to_server) {
  if (!to_server) {
    char buf[16384];
    while (true) {
      ssize_t n = recv(link->server_fd, buf, sizeof(buf), 0);
      if (n <= 0) break;
      if (link->drop_to_client) continue;
      if (!WriteFull(link->client_fd, buf, static_cast<size_t>(n))) break;
    }
    link->Cut();
    return;
  }
  // Client to server, frame by frame; the first frame is the ConnectRequest.
  bool first = true;
  std::string frame;
  while (true) {
    char len_bytes[4];
    if (!ReadFull(link->client_fd, len_bytes, 4)) break;
    int32_t len = BigEndian32(len_bytes);
    if (len < 0 || len > (1 << 22)) break;
    frame.assign(len_bytes, 4);
    frame.resize(4 + static_cast<size_t>(len));
    if (!ReadFull(link->client_fd, frame.data() + 4, static_cast<size_t>(len))) break;
    bool cut = !first && len >= 8 && IsCreate(BigEndian32(frame.data() + 8)) &&
               cut_after_create_.exchange(false);
    first = false;
    if (cut) link->drop_to_client = true;
    if (!WriteFull(link->server_fd, frame.data(), frame.size())) break;
    if (cut) {
      std::this_thread::sleep_for(kApplyPause);
      cuts_++;
      break;
    }
  }
  link->Cut();
}

}  // namespace zk::recipes::testing
