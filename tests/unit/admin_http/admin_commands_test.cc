#include "server/admin/http/admin_commands.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>
#include <sstream>

#include "server/admin/http/admin_routes.h"
#include "server/admin/http/prometheus_metrics.h"

namespace zk::admin::http {
namespace {

using ::testing::HasSubstr;
namespace pt = boost::property_tree;

pt::ptree ParseJson(const std::string& body) {
  std::istringstream in(body);
  pt::ptree tree;
  pt::read_json(in, tree);
  return tree;
}

ServerStatsView SampleView() {
  ServerStatsView view;
  view.node_count = 7;
  view.packets_received = 12;
  view.packets_sent = 11;
  view.avg_latency_ms = 1.5;
  view.watch_count = 3;
  view.ephemerals_count = 2;
  view.approximate_data_size = 100;
  view.num_alive_connections = 1;
  ConnectionView connection;
  connection.remote_address = "/127.0.0.1:5000";
  connection.session_id = 0x100;
  connection.last_operation = "GETD";
  view.connections.push_back(connection);
  view.watches = {{0x100, "/a"}, {0x100, "/b"}, {0x200, "/a"}};
  view.data_dir_size = 10;
  view.log_dir_size = 20;
  view.conf.client_port = 2181;
  view.conf.data_dir = "data/version-2";
  view.conf.tick_time = 2000;
  view.environment = {{"host.name", "box"}};
  view.session_expiry = {{6000, {0x100, 0x200}}};
  view.ephemerals = {{0x100, {"/e1", "/e2"}}};
  return view;
}

TEST(AdminCommandsTest, EveryAnswerStartsWithTheCommandAndANullError) {
  CommandResult result = RunAdminCommand("ruok", SampleView());
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.body, "{\n  \"command\" : \"ruok\",\n  \"error\" : null\n}");
}

TEST(AdminCommandsTest, AliasesAnswerUnderThePrimaryName) {
  for (auto [alias, primary] :
       std::vector<std::pair<std::string, std::string>>{{"srvr", "server_stats"},
                                                        {"stat", "stats"},
                                                        {"mntr", "monitor"},
                                                        {"conf", "configuration"},
                                                        {"cons", "connections"},
                                                        {"wchc", "watches"},
                                                        {"wchp", "watches_by_path"},
                                                        {"wchs", "watch_summary"},
                                                        {"envi", "environment"},
                                                        {"isro", "is_read_only"}}) {
    EXPECT_EQ(ParseJson(RunAdminCommand(alias, SampleView()).body).get<std::string>("command"),
              primary);
  }
}

TEST(AdminCommandsTest, LeaderAndVotingViewDescribeTheEnsemble) {
  ServerStatsView view = SampleView();
  EXPECT_EQ(ParseJson(RunAdminCommand("leader", view).body).get<std::string>("error"),
            "server is not initialized");
  QuorumConfView quorum;
  quorum.membership =
      "server.1=127.0.0.1:2888:3888:participant\nserver.2=127.0.0.1:2889:3889:participant\n"
      "server.3=127.0.0.1:2890:3890:observer\nversion=0";
  view.conf.quorum = quorum;
  view.server_state = "follower";
  view.leader_id = 2;
  view.leader_host = "127.0.0.1";
  pt::ptree leader = ParseJson(RunAdminCommand("lead", view).body);
  EXPECT_EQ(leader.get<std::string>("command"), "leader");
  EXPECT_EQ(leader.get<std::string>("is_leader"), "false");
  EXPECT_EQ(leader.get<int>("leader_id"), 2);
  EXPECT_EQ(leader.get<std::string>("leader_ip"), "127.0.0.1");
  pt::ptree voting = ParseJson(RunAdminCommand("voting_view", view).body);
  EXPECT_EQ(voting.get<std::string>("current_config.1"), "127.0.0.1:2888:3888:participant");
  EXPECT_EQ(voting.get<std::string>("current_config.2"), "127.0.0.1:2889:3889:participant");
  EXPECT_EQ(voting.get_child("current_config").count("3"), 0u);
}

TEST(AdminCommandsTest, ServerStatsReportsVersionNodeCountAndCounters) {
  pt::ptree tree = ParseJson(RunAdminCommand("server_stats", SampleView()).body);
  EXPECT_EQ(tree.get<std::string>("version"), FullVersion());
  EXPECT_EQ(tree.get<std::string>("read_only"), "false");
  EXPECT_EQ(tree.get<int>("node_count"), 7);
  EXPECT_EQ(tree.get<int>("server_stats.packets_received"), 12);
  EXPECT_EQ(tree.get<int>("server_stats.num_alive_client_connections"), 1);
  EXPECT_EQ(tree.get<std::string>("server_stats.server_state"), "standalone");
  EXPECT_EQ(tree.get<int>("client_response.last_buffer_size"), -1);
  EXPECT_EQ(tree.count("connections"), 0u);
}

TEST(AdminCommandsTest, StatsAddsBriefConnections) {
  pt::ptree tree = ParseJson(RunAdminCommand("stats", SampleView()).body);
  const pt::ptree& first = tree.get_child("connections").front().second;
  EXPECT_EQ(first.get<std::string>("remote_socket_address"), "127.0.0.1:5000");
  EXPECT_EQ(first.count("session_id"), 0u);
}

TEST(AdminCommandsTest, MonitorWritesMntrKeysAsJsonNumbers) {
  std::string body = RunAdminCommand("monitor", SampleView()).body;
  EXPECT_THAT(body, HasSubstr("\"znode_count\" : 7,"));
  EXPECT_THAT(body, HasSubstr("\"avg_latency\" : 1.5,"));
  EXPECT_THAT(body, HasSubstr("\"server_state\" : \"standalone\","));
  EXPECT_THAT(body, HasSubstr("\"approximate_data_size\" : 100,"));
}

TEST(AdminCommandsTest, ConnectionsListSessionDetails) {
  pt::ptree tree = ParseJson(RunAdminCommand("connections", SampleView()).body);
  const pt::ptree& first = tree.get_child("connections").front().second;
  EXPECT_EQ(first.get<int64_t>("session_id"), 0x100);
  EXPECT_EQ(first.get<std::string>("last_operation"), "GETD");
  EXPECT_TRUE(tree.get_child("secure_connections").empty());
}

TEST(AdminCommandsTest, WatchesGroupBySessionAndByPath) {
  pt::ptree by_session = ParseJson(RunAdminCommand("watches", SampleView()).body);
  EXPECT_EQ(by_session.get_child("session_id_to_watched_paths").get_child("256").size(), 2u);
  std::string by_path = RunAdminCommand("watches_by_path", SampleView()).body;
  EXPECT_THAT(by_path, HasSubstr("\"/a\" : [ 256, 512 ]"));
  pt::ptree summary = ParseJson(RunAdminCommand("watch_summary", SampleView()).body);
  EXPECT_EQ(summary.get<int>("num_connections"), 2);
  EXPECT_EQ(summary.get<int>("num_paths"), 2);
  EXPECT_EQ(summary.get<int>("num_total_watches"), 3);
}

TEST(AdminCommandsTest, ConfigurationEnvironmentDirsAndReadOnlyUseZooKeepersKeys) {
  pt::ptree conf = ParseJson(RunAdminCommand("configuration", SampleView()).body);
  EXPECT_EQ(conf.get<int>("client_port"), 2181);
  EXPECT_EQ(conf.get<std::string>("data_dir"), "data/version-2");
  EXPECT_EQ(conf.get<int>("tick_time"), 2000);
  // "zookeeper.version" has a dot, which property_tree reads as a path.
  std::string envi = RunAdminCommand("environment", SampleView()).body;
  EXPECT_THAT(envi, HasSubstr("\"zookeeper.version\" : \"" + FullVersion() + "\""));
  EXPECT_THAT(envi, HasSubstr("\"host.name\" : \"box\""));
  pt::ptree dirs = ParseJson(RunAdminCommand("dirs", SampleView()).body);
  EXPECT_EQ(dirs.get<int>("datadir_size"), 10);
  EXPECT_EQ(dirs.get<int>("logdir_size"), 20);
  EXPECT_EQ(ParseJson(RunAdminCommand("isro", SampleView()).body).get<std::string>("read_only"),
            "false");
}

TEST(AdminCommandsTest, DumpMapsExpiryTimesToSessionsAndSessionsToEphemerals) {
  std::string body = RunAdminCommand("dump", SampleView()).body;
  EXPECT_THAT(body, HasSubstr("\"6000\" : [ 256, 512 ]"));
  EXPECT_THAT(body, HasSubstr("\"256\" : [ \"/e1\", \"/e2\" ]"));
}

TEST(AdminCommandsTest, UnknownCommandsAnswer404WithAnError) {
  CommandResult result = RunAdminCommand("nope", SampleView());
  EXPECT_EQ(result.status, 404);
  pt::ptree tree = ParseJson(result.body);
  EXPECT_EQ(tree.get<std::string>("command"), "nope");
  EXPECT_EQ(tree.get<std::string>("error"), "Unknown command: nope");
}

TEST(AdminCommandsTest, ServerCommandsReportNotServingWhileTheServerIsDown) {
  ServerStatsView view = SampleView();
  view.serving = false;
  CommandResult result = RunAdminCommand("srvr", view);
  EXPECT_EQ(result.status, 503);
  EXPECT_EQ(ParseJson(result.body).get<std::string>("error"),
            "This ZooKeeper instance is not currently serving requests");
  EXPECT_EQ(RunAdminCommand("environment", view).status, 200);
}

TEST(AdminCommandsTest, CommandListLinksEveryPrimaryNameInOrder) {
  std::string page = CommandLinksPage("/commands");
  EXPECT_THAT(page, HasSubstr("<a href=\"/commands/ruok\">ruok</a>\n<br/>\n"));
  EXPECT_LT(page.find("configuration"), page.find("watches_by_path"));
}

TEST(AdminRoutesTest, OnlyGetIsAllowedAndOtherPathsAre404) {
  AdminRoutes routes("/commands", [] { return ServerStatsView(); });
  EXPECT_EQ(routes.Handle("POST", "/commands/ruok").status, 405);
  EXPECT_EQ(routes.Handle("GET", "/elsewhere").status, 404);
  EXPECT_EQ(routes.Handle("GET", "/commands/ruok?x=1").status, 200);
  EXPECT_EQ(routes.Handle("GET", "/commands/").status, 200);
}

TEST(PrometheusMetricsTest, GaugesUseZooKeepersMetricNames) {
  std::string text = RenderPrometheusMetrics(SampleView());
  EXPECT_THAT(text, HasSubstr("# TYPE znode_count gauge\nznode_count 7.0\n"));
  EXPECT_THAT(text, HasSubstr("\npackets_received 12.0\n"));
  EXPECT_THAT(text, HasSubstr("\navg_latency 1.5\n"));
  EXPECT_THAT(text, HasSubstr("\nephemerals_count 2.0\n"));
  EXPECT_THAT(text, HasSubstr("\nnum_alive_connections 1.0\n"));
}

}  // namespace
}  // namespace zk::admin::http
