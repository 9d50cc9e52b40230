#include "tests/recipes/recipe_fixture.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdlib>
#include <sstream>
#include <thread>

#include "tests/client/test_server.h"

namespace zk::recipes::testing {
namespace {

using client::testing::TestServer;

const char* ExternalConnectString() {
  const char* env = std::getenv("ZK_RECIPES_CONNECT");
  return env != nullptr && *env != '\0' ? env : nullptr;
}

// The server this binary started, shared by all its tests.
TestServer* SharedServer() {
  static TestServer* server = [] {
    auto* s = new TestServer();
    if (!s->Start()) {
      delete s;
      return static_cast<TestServer*>(nullptr);
    }
    return s;
  }();
  return server;
}

class StopServerAtExit : public ::testing::Environment {
 public:
  void TearDown() override {
    // Only a server this binary started (never when ZK_RECIPES_CONNECT is set).
    if (ExternalConnectString() != nullptr || SharedServer() == nullptr) return;
    SharedServer()->Stop();
  }
};

const bool kEnvironmentRegistered = [] {
  ::testing::AddGlobalTestEnvironment(new StopServerAtExit);
  return true;
}();

void DeleteTree(SyncClient& zk, const std::string& path) {
  std::vector<std::string> children;
  if (zk.GetChildren(path, &children) != Err::kOk) return;
  for (const auto& c : children) DeleteTree(zk, path + "/" + c);
  zk.Delete(path);
}

}  // namespace

bool WaitUntil(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

bool RecipeTest::LocalServer() { return ExternalConnectString() == nullptr; }

std::string RecipeTest::ConnectString() {
  if (const char* external = ExternalConnectString()) return external;
  TestServer* server = SharedServer();
  return server != nullptr ? server->HostPort() : std::string();
}

void RecipeTest::SetUp() {
  (void)kEnvironmentRegistered;
  ASSERT_FALSE(ConnectString().empty()) << "zkserver did not start";
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  root_ = std::string("/") + info->test_suite_name() + "_" + info->name();
  zk_ = Connect();
  ASSERT_NE(zk_, nullptr);
  DeleteTree(*zk_, root_);
  ASSERT_EQ(zk_->Create(root_, "", client::OpenAclUnsafe(), CreateMode::kPersistent), Err::kOk);
}

void RecipeTest::TearDown() { zk_.reset(); }

std::unique_ptr<SyncClient> RecipeTest::Connect(int session_timeout_ms,
                                                const std::string& connect_string) {
  client::ClientOptions options;
  options.connect_string = connect_string.empty() ? ConnectString() : connect_string;
  options.session_timeout_ms = session_timeout_ms;
  auto zk = std::make_unique<SyncClient>(options);
  if (!zk->WaitConnected(kWait)) return nullptr;
  return zk;
}

bool RecipeTest::ExpireSession(SyncClient& victim) {
  client::ClientOptions options;
  options.connect_string = ConnectString();
  options.session_id = victim.Async().SessionId();
  options.session_password = victim.Async().SessionPassword();
  {
    SyncClient thief(options);
    if (!thief.WaitConnected(kWait)) return false;
    if (thief.Close() != Err::kOk) return false;
  }
  return WaitUntil([&] { return victim.Async().State() == KeeperState::kExpired; },
                   std::chrono::seconds(20));
}

std::string RecipeTest::FourLetterWord(const std::string& word) {
  std::string first = ConnectString();
  first = first.substr(0, first.find_first_of(",/"));
  size_t colon = first.rfind(':');
  if (colon == std::string::npos) return "";
  int port = std::atoi(first.c_str() + colon + 1);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return "";
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, first.substr(0, colon).c_str(), &addr.sin_addr);
  std::string out;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      send(fd, word.data(), word.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(word.size())) {
    char buf[4096];
    ssize_t n;
    while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) out.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return out;
}

std::map<std::string, int> RecipeTest::WatchersByPath() {
  std::map<std::string, int> out;
  std::istringstream in(FourLetterWord("wchp"));
  std::string line, path;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (line[0] == '\t') {
      out[path]++;
    } else {
      path = line;
      out[path];
    }
  }
  return out;
}

}  // namespace zk::recipes::testing
