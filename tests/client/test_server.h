// A real zkserver process for client tests: a temp dataDir, a free port on
// 127.0.0.1, readiness by handshake, and stop/kill by PID with bounded waits.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>

namespace zk::client::testing {

class TestServer {
 public:
  // extra_cfg entries are added to (or override) the zoo.cfg keys.
  explicit TestServer(std::map<std::string, std::string> extra_cfg = {});
  // Stops the process and removes the work dir.
  ~TestServer();

  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  // Starts on a fresh free port and waits for a handshake. False on failure.
  bool Start();
  // Starts again on the same port and dataDir.
  bool Restart();
  // SIGTERM, then SIGKILL after a bounded wait.
  void Stop();
  // SIGKILL: a crash.
  void Kill();
  // SIGSTOP / SIGCONT: a server that hangs without closing its sockets.
  void Pause();
  void Resume();

  int port() const { return port_; }
  std::string HostPort() const;

 private:
  bool Spawn();
  void WriteConfig();

  std::map<std::string, std::string> extra_cfg_;
  std::string work_dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

// A port on 127.0.0.1 that nothing listens on right now.
int FreePort();

// True when a ZooKeeper handshake on 127.0.0.1:port succeeds within timeout_ms.
bool ProbeHandshake(int port, int timeout_ms);

}  // namespace zk::client::testing
