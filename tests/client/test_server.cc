#include "tests/client/test_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "jute/archive.h"
#include "jute/zookeeper.h"
#include "protocol/framing.h"
#include "protocol/opcodes.h"

#ifndef ZKSERVER_PATH
#error "ZKSERVER_PATH must name the zkserver binary"
#endif

namespace zk::client::testing {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kStartTimeout = std::chrono::seconds(20);
constexpr auto kStopTimeout = std::chrono::seconds(10);

int ConnectLocal(int port, int timeout_ms) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

bool SendAll(int fd, const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

bool RecvFrame(int fd, std::string* frame) {
  unsigned char len_bytes[4];
  size_t got = 0;
  while (got < 4) {
    ssize_t n = recv(fd, len_bytes + got, 4 - got, 0);
    if (n <= 0) return false;
    got += static_cast<size_t>(n);
  }
  int32_t len = ReadFrameLength(len_bytes);
  if (len <= 0 || len > (1 << 20)) return false;
  frame->resize(static_cast<size_t>(len));
  got = 0;
  while (got < frame->size()) {
    ssize_t n = recv(fd, frame->data() + got, frame->size() - got, 0);
    if (n <= 0) return false;
    got += static_cast<size_t>(n);
  }
  return true;
}

bool WaitExit(pid_t pid, std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    int status = 0;
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid || r < 0) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

bool ProbeHandshake(int port, int timeout_ms) {
  int fd = ConnectLocal(port, timeout_ms);
  if (fd < 0) return false;
  proto::ConnectRequest req;
  req.timeOut = 4000;
  req.passwd.assign(16, '\0');
  std::string frame;
  bool ok = SendAll(fd, MakeFrame(jute::Encode(req))) && RecvFrame(fd, &frame);
  proto::ConnectResponse resp;
  ok = ok && jute::Decode(frame, &resp) && resp.timeOut > 0;
  if (ok) {
    proto::RequestHeader close_req{1, static_cast<int32_t>(OpCode::kCloseSession)};
    SendAll(fd, MakeFrame(jute::Encode(close_req)));
    RecvFrame(fd, &frame);
  }
  close(fd);
  return ok;
}

TestServer::TestServer(std::map<std::string, std::string> extra_cfg)
    : extra_cfg_(std::move(extra_cfg)) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "zkclient-test-XXXXXX").string();
  if (mkdtemp(tmpl.data()) != nullptr) work_dir_ = tmpl;
}

TestServer::~TestServer() {
  Stop();
  std::error_code ec;
  if (!work_dir_.empty()) std::filesystem::remove_all(work_dir_, ec);
}

std::string TestServer::HostPort() const { return "127.0.0.1:" + std::to_string(port_); }

void TestServer::WriteConfig() {
  std::map<std::string, std::string> cfg = {
      {"tickTime", "2000"},
      {"dataDir", work_dir_ + "/data"},
      {"clientPort", std::to_string(port_)},
      {"clientPortAddress", "127.0.0.1"},
      {"maxClientCnxns", "0"},
      {"admin.enableServer", "false"},
      {"4lw.commands.whitelist", "*"},
  };
  for (const auto& [k, v] : extra_cfg_) cfg[k] = v;
  std::ofstream out(work_dir_ + "/zoo.cfg");
  for (const auto& [k, v] : cfg) out << k << "=" << v << "\n";
}

bool TestServer::Spawn() {
  WriteConfig();
  std::string cfg = work_dir_ + "/zoo.cfg";
  std::string log = work_dir_ + "/server.log";
  pid_t pid = fork();
  if (pid < 0) return false;
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    FILE* f = freopen(log.c_str(), "a", stderr);
    (void)f;
    dup2(STDERR_FILENO, STDOUT_FILENO);
    // ZKSERVER_BIN runs the tests against another build of the server.
    const char* env = std::getenv("ZKSERVER_BIN");
    const char* binary = env != nullptr && *env != '\0' ? env : ZKSERVER_PATH;
    execl(binary, binary, cfg.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  pid_ = pid;
  auto deadline = Clock::now() + kStartTimeout;
  while (Clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    if (ProbeHandshake(port_, 1000)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  Kill();
  return false;
}

bool TestServer::Start() {
  if (work_dir_.empty()) return false;
  for (int attempt = 0; attempt < 3; ++attempt) {
    port_ = FreePort();
    if (Spawn()) return true;
  }
  return false;
}

bool TestServer::Restart() {
  Stop();
  auto deadline = Clock::now() + kStartTimeout;
  while (Clock::now() < deadline) {
    if (Spawn()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return false;
}

void TestServer::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  if (!WaitExit(pid_, kStopTimeout)) {
    kill(pid_, SIGKILL);
    WaitExit(pid_, kStopTimeout);
  }
  pid_ = -1;
}

void TestServer::Pause() {
  if (pid_ > 0) kill(pid_, SIGSTOP);
}

void TestServer::Resume() {
  if (pid_ > 0) kill(pid_, SIGCONT);
}

void TestServer::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  WaitExit(pid_, kStopTimeout);
  pid_ = -1;
}

}  // namespace zk::client::testing
