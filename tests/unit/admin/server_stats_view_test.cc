#include "server/admin/server_stats_view.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "protocol/opcodes.h"
#include "server/admin/environment.h"
#include "server/config/server_config.h"

namespace zk::admin {
namespace {

using ::testing::Contains;
using ::testing::Key;

TEST(LastOperationNameTest, UsesApachesFourLetterCodes) {
  auto name = [](OpCode op) { return LastOperationName(static_cast<int32_t>(op)); };
  EXPECT_EQ(name(OpCode::kGetData), "GETD");
  EXPECT_EQ(name(OpCode::kSetData), "SETD");
  EXPECT_EQ(name(OpCode::kCreate), "CREA");
  EXPECT_EQ(name(OpCode::kCreate2), "CREA");
  EXPECT_EQ(name(OpCode::kCreateTtl), "CREA");
  EXPECT_EQ(name(OpCode::kCreateContainer), "CREA");
  EXPECT_EQ(name(OpCode::kDelete), "DELE");
  EXPECT_EQ(name(OpCode::kExists), "EXIS");
  EXPECT_EQ(name(OpCode::kGetChildren), "GETC");
  EXPECT_EQ(name(OpCode::kGetChildren2), "GETC");
  EXPECT_EQ(name(OpCode::kPing), "PING");
  EXPECT_EQ(name(OpCode::kCreateSession), "SESS");
  EXPECT_EQ(name(OpCode::kCloseSession), "CLOS");
  EXPECT_EQ(name(OpCode::kMulti), "MULT");
  EXPECT_EQ(name(OpCode::kMultiRead), "MLTR");
  EXPECT_EQ(name(OpCode::kSync), "SYNC");
  EXPECT_EQ(name(OpCode::kSetWatches), "SETW");
  EXPECT_EQ(name(OpCode::kSetWatches2), "STW2");
  EXPECT_EQ(name(OpCode::kAddWatch), "ADDW");
  EXPECT_EQ(name(OpCode::kGetAllChildrenNumber), "GETACN");
  EXPECT_EQ(name(OpCode::kWhoAmI), "HOMI");
  EXPECT_EQ(name(OpCode::kAuth), "NA");
}

TEST(MakeConfViewTest, CopiesStandaloneSettings) {
  config::ServerConfig c;
  c.client_port = 2181;
  c.data_dir = "/d";
  c.data_log_dir = "/l";
  c.tick_time = 2000;
  c.max_client_cnxns = 60;
  c.min_session_timeout = 4000;
  c.max_session_timeout = 40000;
  ConfView v = MakeConfView(c);
  EXPECT_EQ(v.client_port, 2181);
  EXPECT_EQ(v.secure_client_port, -1);
  EXPECT_EQ(v.data_dir, "/d");
  EXPECT_EQ(v.data_log_dir, "/l");
  EXPECT_EQ(v.tick_time, 2000);
  EXPECT_EQ(v.max_client_cnxns, 60);
  EXPECT_EQ(v.min_session_timeout, 4000);
  EXPECT_EQ(v.max_session_timeout, 40000);
  EXPECT_EQ(v.client_port_listen_backlog, -1);
  EXPECT_EQ(v.server_id, 0);
  EXPECT_FALSE(v.quorum.has_value());
}

config::QuorumServer Member(int64_t id, std::string host, int32_t peer, int32_t election) {
  config::QuorumServer s;
  s.id = id;
  s.host = std::move(host);
  s.peer_port = peer;
  s.election_port = election;
  return s;
}

TEST(MakeConfViewTest, AddsThisServersPortsAndMembershipInAnEnsemble) {
  config::ServerConfig c;
  c.init_limit = 10;
  c.sync_limit = 5;
  c.server_id = 2;
  c.servers[1] = Member(1, "a", 2888, 3888);
  c.servers[2] = Member(2, "b", 2889, 3889);
  c.servers[3] = Member(3, "c", 2890, 3890);
  ConfView v = MakeConfView(c);
  ASSERT_TRUE(v.quorum.has_value());
  EXPECT_EQ(v.server_id, 2);
  EXPECT_EQ(v.quorum->init_limit, 10);
  EXPECT_EQ(v.quorum->sync_limit, 5);
  EXPECT_EQ(v.quorum->election_alg, 3);
  EXPECT_EQ(v.quorum->election_port, 3889);
  EXPECT_EQ(v.quorum->quorum_port, 2889);
  EXPECT_EQ(v.quorum->peer_type, 0);
  EXPECT_EQ(v.quorum->membership,
            "server.1=a:2888:3888:participant\nserver.2=b:2889:3889:participant\n"
            "server.3=c:2890:3890:participant\nversion=0");
}

TEST(ProcessEnvironmentTest, ReportsHostOsAndUserInApacheOrder) {
  auto env = ProcessEnvironment();
  ASSERT_FALSE(env.empty());
  EXPECT_EQ(env.front().first, "host.name");
  EXPECT_EQ(env.back().first, "user.dir");
  EXPECT_THAT(env, Contains(Key("os.name")));
  EXPECT_THAT(env, Contains(Key("os.arch")));
}

}  // namespace
}  // namespace zk::admin
