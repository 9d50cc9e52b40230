// Our four-letter-word output must satisfy the parsers real clients use.
// The patterns are those of go-zookeeper's FLWSrvr/FLWCons (Debian's
// golang-github-samuel-go-zookeeper-dev) and kazoo's server_version().
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "server/admin/four_letter_words.h"
#include "server/admin/java_format.h"
#include "server/admin/version.h"

namespace zk::admin {
namespace {

// FLWSrvr's pieces, joined by ".*\n" as its (?m:\A...) wrapper joins them.
const std::regex& GoSrvrPattern() {
  static const std::regex kPattern(
      R"(^Zookeeper version: ([A-Za-z0-9\.\-]+), built on (\d\d/\d\d/\d\d\d\d \d\d:\d\d )"
      R"([A-Za-z0-9:\+\-]+).*\n)"
      R"(Latency min/avg/max: (\d+)/(\d+)/(\d+).*\n)"
      R"(Received: (\d+).*\nSent: (\d+).*\nConnections: (\d+).*\nOutstanding: (\d+).*\n)"
      R"(Zxid: (0x[A-Za-z0-9]+).*\nMode: (\w+).*\nNode count: (\d+))");
  return kPattern;
}

const std::regex& GoConsLinePattern() {
  static const std::regex kPattern(
      R"(^ /((?:(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\.){3})"
      R"((?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?):(?:\d+))\[\d+\])"
      R"(\(queued=(-?\d+),recved=(\d+),sent=(\d+)(,sid=(0x[A-Za-z0-9]+),lop=(\w+),est=(\d+),to=(\d+),)"
      R"(lcxid=(0x[A-Za-z0-9]+),lzxid=(0x[A-Za-z0-9]+),lresp=(\d+),llat=(\d+),minlat=(\d+),)"
      R"(avglat=(\d+),maxlat=(\d+))?\))");
  return kPattern;
}

ServerStatsView BusyView() {
  ServerStatsView v;
  v.server_state = "follower";
  v.min_latency_ms = 1;
  v.avg_latency_ms = AverageOf(23, 3);  // 7.6667: Apache would print a decimal here
  v.max_latency_ms = 50;
  v.packets_received = 100;
  v.packets_sent = 99;
  v.num_alive_connections = 2;
  v.last_processed_zxid = 0x200000005;
  v.node_count = 12;
  ConnectionView c;
  c.remote_address = JavaSocketAddress("127.0.0.1", 40000);
  c.session_id = 0x100000001;
  c.last_operation = "GETD";
  c.established_ms = 1700000000000;
  c.session_timeout_ms = 30000;
  c.last_cxid = 5;
  c.last_zxid = 0x200000005;
  v.connections = {c};
  return v;
}

TEST(GoZookeeperTest, FlwSrvrParsesOurSrvrOutput) {
  std::smatch match;
  std::string out = RenderSrvr(BusyView());
  ASSERT_TRUE(std::regex_search(out, match, GoSrvrPattern())) << out;
  EXPECT_EQ(match[3], "1");
  EXPECT_EQ(match[4], "7");
  EXPECT_EQ(match[10], "0x200000005");
  EXPECT_EQ(match[11], "follower");
  EXPECT_EQ(match[12], "12");
}

// Why srvr deviates from Apache 3.8: its own output fails this parser twice
// (ISO build date, decimal average latency).
TEST(GoZookeeperTest, FlwSrvrRejectsApache38sOwnOutput) {
  const std::string apache =
      "Zookeeper version: 3.8.0-5a02a05eddb59aee6ac762f7ea82e92a68eb9c0f, built on 2022-02-25 "
      "08:49 UTC\nLatency min/avg/max: 0/7.6667/50\nReceived: 18\nSent: 17\nConnections: 3\n"
      "Outstanding: 0\nZxid: 0x6\nMode: standalone\nNode count: 9\n";
  EXPECT_FALSE(std::regex_search(apache, GoSrvrPattern()));
}

TEST(GoZookeeperTest, FlwSrvrParsesTheVersionAndBuildDate) {
  std::smatch match;
  std::string out = RenderSrvr(BusyView());
  ASSERT_TRUE(std::regex_search(out, match, GoSrvrPattern()));
  EXPECT_EQ(match[1].str().substr(0, kZooKeeperVersion.size() + 1),
            std::string(kZooKeeperVersion) + "-");
  EXPECT_TRUE(std::regex_match(match[2].str(), std::regex(R"(\d\d/\d\d/\d\d\d\d \d\d:\d\d GMT)")))
      << match[2];
}

TEST(GoZookeeperTest, FlwSrvrParsesTheLeadersExtraLine) {
  ServerStatsView v = BusyView();
  v.server_state = "leader";
  v.leader = LeaderStatsView{};
  std::string out = RenderSrvr(v);
  EXPECT_TRUE(std::regex_search(out, GoSrvrPattern())) << out;
}

TEST(GoZookeeperTest, FlwConsParsesEveryConnectionLine) {
  ServerStatsView v = BusyView();
  ConnectionView probe;
  probe.remote_address = JavaSocketAddress("10.0.0.7", 5555);
  v.connections.push_back(probe);
  std::istringstream lines(RenderCons(v));
  std::string line;
  int parsed = 0;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    EXPECT_TRUE(std::regex_search(line, GoConsLinePattern())) << line;
    ++parsed;
  }
  EXPECT_EQ(parsed, 2);
}

// kazoo: split envi lines on the first '=', take zookeeper.version, match
// ([\d\.]*).* and read the digits as the version tuple.
TEST(KazooTest, ServerVersionReadsThreeNumbersFromEnvi) {
  std::istringstream lines(RenderEnvi(ServerStatsView{}));
  std::string line, version;
  while (std::getline(lines, line)) {
    size_t eq = line.find('=');
    if (eq != std::string::npos && line.substr(0, eq) == "zookeeper.version") {
      version = line.substr(eq + 1);
    }
  }
  std::smatch match;
  ASSERT_TRUE(std::regex_match(version, match, std::regex(R"(([\d\.]*).*)")));
  EXPECT_EQ(match[1], "3.8.4");
}

}  // namespace
}  // namespace zk::admin
