// Starts the admin server on 127.0.0.1:0 in an io_context thread and talks
// to it over real sockets with beast's client. Every client operation has a
// deadline so a broken server fails the test instead of hanging it.
#include "server/admin/http/admin_http_server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/beast.hpp>
#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>
#include <future>
#include <sstream>
#include <thread>

#include "server/config/server_config.h"

namespace zk::admin::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

struct Reply {
  std::string error;  // empty on success
  int status = 0;
  std::string content_type;
  std::string body;
};

// GETs each target in turn over one kept-alive connection.
std::vector<Reply> GetAll(uint16_t port, std::vector<std::string> targets) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  beast::flat_buffer buffer;
  bhttp::request<bhttp::empty_body> request;
  bhttp::response<bhttp::string_body> response;
  std::vector<Reply> replies;
  std::function<void()> next;
  auto fail = [&](const char* what, beast::error_code ec) {
    Reply reply;
    reply.error = std::string(what) + ": " + ec.message();
    replies.push_back(reply);
  };
  next = [&] {
    if (replies.size() == targets.size()) return;
    request = {bhttp::verb::get, targets[replies.size()], 11};
    request.set(bhttp::field::host, "127.0.0.1");
    request.keep_alive(true);
    stream.expires_after(5s);
    bhttp::async_write(stream, request, [&](beast::error_code ec, size_t) {
      if (ec) return fail("write", ec);
      response = {};
      bhttp::async_read(stream, buffer, response, [&](beast::error_code ec, size_t) {
        if (ec) return fail("read", ec);
        replies.push_back({"", static_cast<int>(response.result_int()),
                           std::string(response[bhttp::field::content_type]), response.body()});
        next();
      });
    });
  };
  stream.expires_after(5s);
  stream.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                       [&](beast::error_code ec) {
                         if (ec) return fail("connect", ec);
                         next();
                       });
  io.run_for(10s);
  return replies;
}

Reply Get(uint16_t port, const std::string& target) {
  std::vector<Reply> replies = GetAll(port, {target});
  if (!replies.empty()) return replies[0];
  Reply timed_out;
  timed_out.error = "timed out";
  return timed_out;
}

boost::property_tree::ptree ParseJson(const std::string& body) {
  std::istringstream in(body);
  boost::property_tree::ptree tree;
  boost::property_tree::read_json(in, tree);
  return tree;
}

class AdminHttpServerTest : public ::testing::Test {
 protected:
  // Starts the server and its io_context thread; `view_` is fixed from here.
  void StartServer() {
    AdminHttpOptions options;
    options.address = "127.0.0.1";
    options.port = 0;
    server_ = std::make_unique<AdminHttpServer>(io_, options, [this] {
      ++stats_calls_;  // only touched on the io thread
      return view_;
    });
    std::string error;
    ASSERT_TRUE(server_->Start(&error)) << error;
    ASSERT_NE(server_->port(), 0);
    thread_ = std::thread([this] { io_.run(); });
  }

  // Stops the server on its own thread, as the ZooKeeper server would.
  void StopServer() {
    std::promise<void> stopped;
    asio::post(io_, [&] {
      server_->Stop();
      stopped.set_value();
    });
    stopped.get_future().wait();
  }

  void TearDown() override {
    if (thread_.joinable()) {
      StopServer();
      work_.reset();
      io_.stop();
      thread_.join();
    }
    server_.reset();
  }

  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  ServerStatsView view_;
  int stats_calls_ = 0;
  std::unique_ptr<AdminHttpServer> server_;
  std::thread thread_;
};

TEST_F(AdminHttpServerTest, RuokAnswersJsonWithTheCommandAndANullError) {
  StartServer();
  Reply reply = Get(server_->port(), "/commands/ruok");
  ASSERT_EQ(reply.error, "");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.content_type, "application/json");
  boost::property_tree::ptree tree = ParseJson(reply.body);
  EXPECT_EQ(tree.get<std::string>("command"), "ruok");
  EXPECT_EQ(tree.get<std::string>("error"), "null");
}

TEST_F(AdminHttpServerTest, MonitorReportsTheProvidedServerState) {
  view_.node_count = 42;
  view_.watch_count = 5;
  view_.packets_received = 9;
  StartServer();
  Reply reply = Get(server_->port(), "/commands/mntr");
  ASSERT_EQ(reply.error, "");
  EXPECT_EQ(reply.status, 200);
  boost::property_tree::ptree tree = ParseJson(reply.body);
  EXPECT_EQ(tree.get<std::string>("command"), "monitor");
  EXPECT_EQ(tree.get<int>("znode_count"), 42);
  EXPECT_EQ(tree.get<int>("watch_count"), 5);
  EXPECT_EQ(tree.get<int>("packets_received"), 9);
}

TEST_F(AdminHttpServerTest, EveryListedCommandAnswers200) {
  StartServer();
  Reply list = Get(server_->port(), "/commands");
  ASSERT_EQ(list.error, "");
  EXPECT_EQ(list.status, 200);
  for (std::string name : {"configuration", "connections", "dirs", "dump", "environment",
                           "get_trace_mask", "is_read_only", "monitor", "ruok", "server_stats",
                           "stats", "watch_summary", "watches", "watches_by_path"}) {
    EXPECT_THAT(list.body, HasSubstr("<a href=\"/commands/" + name + "\">"));
    Reply reply = Get(server_->port(), "/commands/" + name);
    ASSERT_EQ(reply.error, "") << name;
    EXPECT_EQ(reply.status, 200) << name;
    EXPECT_EQ(ParseJson(reply.body).get<std::string>("command"), name);
  }
}

TEST_F(AdminHttpServerTest, UnknownCommandAnswers404Json) {
  StartServer();
  Reply reply = Get(server_->port(), "/commands/bogus");
  ASSERT_EQ(reply.error, "");
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(ParseJson(reply.body).get<std::string>("error"), "Unknown command: bogus");
  EXPECT_EQ(Get(server_->port(), "/nowhere").status, 404);
}

TEST_F(AdminHttpServerTest, MetricsAreServedInPrometheusTextFormat) {
  view_.node_count = 3;
  view_.num_alive_connections = 2;
  StartServer();
  Reply reply = Get(server_->port(), "/metrics");
  ASSERT_EQ(reply.error, "");
  EXPECT_EQ(reply.status, 200);
  EXPECT_THAT(reply.content_type, HasSubstr("text/plain"));
  EXPECT_THAT(reply.body, HasSubstr("\nznode_count 3.0\n"));
  EXPECT_THAT(reply.body, HasSubstr("\nnum_alive_connections 2.0\n"));
}

TEST_F(AdminHttpServerTest, OneConnectionServesSeveralRequests) {
  StartServer();
  std::vector<Reply> replies =
      GetAll(server_->port(), {"/commands/ruok", "/commands/srvr", "/metrics"});
  ASSERT_EQ(replies.size(), 3u);
  for (const Reply& reply : replies) {
    EXPECT_EQ(reply.error, "");
    EXPECT_EQ(reply.status, 200);
  }
}

TEST_F(AdminHttpServerTest, NotServingServerAnswersAnError) {
  view_.serving = false;
  StartServer();
  Reply reply = Get(server_->port(), "/commands/stat");
  ASSERT_EQ(reply.error, "");
  EXPECT_EQ(reply.status, 503);
  EXPECT_EQ(ParseJson(reply.body).get<std::string>("error"),
            "This ZooKeeper instance is not currently serving requests");
}

TEST_F(AdminHttpServerTest, StoppedServerRefusesConnections) {
  StartServer();
  uint16_t port = server_->port();
  ASSERT_EQ(Get(port, "/commands/ruok").status, 200);
  StopServer();
  EXPECT_NE(Get(port, "/commands/ruok").error, "");
}

TEST(AdminHttpServerStartTest, StartFailsOnAnAddressThatIsNotAnIp) {
  asio::io_context io;
  AdminHttpOptions options;
  options.address = "not an address";
  AdminHttpServer server(io, options, [] { return ServerStatsView(); });
  std::string error;
  EXPECT_FALSE(server.Start(&error));
  EXPECT_THAT(error, HasSubstr("admin.serverAddress"));
}

TEST(AdminHttpServerStartTest, StartFailsWhenThePortIsTaken) {
  asio::io_context io;
  AdminHttpOptions options;
  options.address = "127.0.0.1";
  options.port = 0;
  AdminHttpServer first(io, options, [] { return ServerStatsView(); });
  std::string error;
  ASSERT_TRUE(first.Start(&error)) << error;
  options.port = first.port();
  AdminHttpServer second(io, options, [] { return ServerStatsView(); });
  EXPECT_FALSE(second.Start(&error));
}

TEST(AdminHttpOptionsTest, ComeFromTheAdminSettings) {
  config::ServerConfig config;
  config.admin_server_address = "127.0.0.2";
  config.admin_server_port = 9090;
  AdminHttpOptions options = AdminHttpOptionsFrom(config);
  EXPECT_EQ(options.address, "127.0.0.2");
  EXPECT_EQ(options.port, 9090);
  EXPECT_EQ(options.command_url, "/commands");
}

}  // namespace
}  // namespace zk::admin::http
