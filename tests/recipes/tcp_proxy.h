// A TCP proxy on 127.0.0.1 between a client and a ZooKeeper server that can
// cut connections at chosen moments, to make the client see
// ConnectionLoss exactly where a test needs it.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace zk::recipes::testing {

class TcpProxy {
 public:
  explicit TcpProxy(int server_port);
  // Closes every connection and joins the threads.
  ~TcpProxy();

  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  // Listens on a free port. False on failure.
  bool Start();
  std::string HostPort() const;

  // The next create request (create, create2, createContainer, createTTL)
  // from a client is forwarded, and after its response was sent by the
  // server but before the client gets it, the connection is cut.
  void CutAfterNextCreate() { cut_after_create_ = true; }
  // Number of connections cut so far.
  int Cuts() const { return cuts_; }

 private:
  struct Link;
  void AcceptLoop();
  void Pump(std::shared_ptr<Link> link, bool to_server);

  const int server_port_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<bool> cut_after_create_{false};
  std::atomic<int> cuts_{0};
  std::thread accept_thread_;
  std::mutex mu_;
  std::vector<std::shared_ptr<Link>> links_;
  std::vector<std::thread> pumps_;
};

}  // namespace zk::recipes::testing
