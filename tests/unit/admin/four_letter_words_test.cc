// Expected texts are byte-for-byte what Apache ZooKeeper 3.8 sent for the same
// state (captured from a live 3.8.0 server), except srvr/stat's average
// latency, which we print as a whole number (see four_letter_words.h).
#include "server/admin/four_letter_words.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace zk::admin {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kVersion[] = "3.8.4-abc123, built on 02/13/2024 20:13 GMT";

ConnectionView SessionConnection(std::string address, int64_t sid) {
  ConnectionView c;
  c.remote_address = std::move(address);
  c.session_id = sid;
  return c;
}

// The state of a standalone server with two kazoo sessions and a 4lw probe.
ServerStatsView StandaloneView() {
  ServerStatsView v;
  v.version = kVersion;
  v.server_state = "standalone";
  v.min_latency_ms = 0;
  v.avg_latency_ms = 7.6667;
  v.max_latency_ms = 50;
  v.packets_received = 18;
  v.packets_sent = 17;
  v.num_alive_connections = 3;
  v.outstanding_requests = 0;
  v.last_processed_zxid = 6;
  v.node_count = 9;

  ConnectionView a = SessionConnection("/127.0.0.1:54532", 0x1000005b3ee0001);
  a.packets_received = 3;
  a.packets_sent = 3;
  a.last_operation = "GETD";
  a.established_ms = 1795669315871;
  a.session_timeout_ms = 10000;
  a.last_cxid = 2;
  a.last_zxid = 6;
  a.last_response_time_ms = 389351;
  a.last_latency_ms = 1;
  a.min_latency_ms = 0;
  a.avg_latency_ms = 3;
  a.max_latency_ms = 6;
  ConnectionView probe;
  probe.remote_address = "/127.0.0.1:54548";
  probe.interest_ops = 0;
  probe.packets_received = 1;
  ConnectionView b = SessionConnection("/127.0.0.1:54528", 0x1000005b3ee0000);
  b.packets_received = 12;
  b.packets_sent = 12;
  b.last_operation = "GETD";
  b.established_ms = 1795669315797;
  b.session_timeout_ms = 10000;
  b.last_cxid = 0xb;
  b.last_zxid = 6;
  b.last_response_time_ms = 389361;
  b.last_latency_ms = 0;
  b.avg_latency_ms = 8;
  b.max_latency_ms = 50;
  v.connections = {a, probe, b};

  v.watches = {{0x1000005b3ee0001, "/a"}, {0x1000005b3ee0000, "/a"}, {0x1000005b3ee0000, "/nope"}};
  v.data_dir_size = 67109337;
  v.log_dir_size = 67109337;

  v.conf.client_port = 22181;
  v.conf.data_dir = "/tmp/apache-zk/data/version-2";
  v.conf.data_log_dir = "/tmp/apache-zk/data/version-2";
  v.conf.tick_time = 2000;
  v.conf.max_client_cnxns = 60;
  v.conf.min_session_timeout = 4000;
  v.conf.max_session_timeout = 40000;
  return v;
}

ServerStatsView NotServingView() {
  ServerStatsView v = StandaloneView();
  v.serving = false;
  return v;
}

TEST(RuokTest, AnswersImokWithoutANewline) {
  EXPECT_EQ(RenderRuok(), "imok");
  EXPECT_EQ(RenderFourLetterWord("ruok", NotServingView()), "imok");
}

TEST(SrvrTest, PrintsTheBannerAndServerStats) {
  EXPECT_EQ(RenderSrvr(StandaloneView()),
            "Zookeeper version: 3.8.4-abc123, built on 02/13/2024 20:13 GMT\n"
            "Latency min/avg/max: 0/7/50\n"
            "Received: 18\n"
            "Sent: 17\n"
            "Connections: 3\n"
            "Outstanding: 0\n"
            "Zxid: 0x6\n"
            "Mode: standalone\n"
            "Node count: 9\n");
}

TEST(SrvrTest, AddsProposalSizesOnTheLeader) {
  ServerStatsView v = StandaloneView();
  v.server_state = "leader";
  v.last_processed_zxid = 0x100000000;
  v.leader = LeaderStatsView{};
  std::string out = RenderSrvr(v);
  EXPECT_THAT(out, HasSubstr("Zxid: 0x100000000\nMode: leader\nNode count: 9\n"
                             "Proposal sizes last/min/max: -1/-1/-1\n"));
}

TEST(SrvrTest, MarksAReadOnlyServer) {
  ServerStatsView v = StandaloneView();
  v.read_only = true;
  v.server_state = "read-only";
  EXPECT_THAT(RenderSrvr(v), HasSubstr("GMT\nREAD-ONLY mode; serving only read-only clients\n"
                                       "Latency"));
}

TEST(SrvrTest, SaysNotServingWhileTheServerIsDown) {
  EXPECT_EQ(RenderSrvr(NotServingView()),
            "This ZooKeeper instance is not currently serving requests\n");
}

TEST(StatTest, ListsClientsBrieflyBetweenBannerAndStats) {
  EXPECT_EQ(RenderStat(StandaloneView()),
            "Zookeeper version: 3.8.4-abc123, built on 02/13/2024 20:13 GMT\n"
            "Clients:\n"
            " /127.0.0.1:54532[1](queued=0,recved=3,sent=3)\n"
            " /127.0.0.1:54548[0](queued=0,recved=1,sent=0)\n"
            " /127.0.0.1:54528[1](queued=0,recved=12,sent=12)\n"
            "\n"
            "Latency min/avg/max: 0/7/50\n"
            "Received: 18\n"
            "Sent: 17\n"
            "Connections: 3\n"
            "Outstanding: 0\n"
            "Zxid: 0x6\n"
            "Mode: standalone\n"
            "Node count: 9\n");
}

TEST(ConsTest, PrintsSessionDetailsOnlyForConnectionsWithASession) {
  EXPECT_EQ(RenderCons(StandaloneView()),
            " /127.0.0.1:54532[1](queued=0,recved=3,sent=3,sid=0x1000005b3ee0001,lop=GETD,"
            "est=1795669315871,to=10000,lcxid=0x2,lzxid=0x6,lresp=389351,llat=1,minlat=0,"
            "avglat=3,maxlat=6)\n"
            " /127.0.0.1:54548[0](queued=0,recved=1,sent=0)\n"
            " /127.0.0.1:54528[1](queued=0,recved=12,sent=12,sid=0x1000005b3ee0000,lop=GETD,"
            "est=1795669315797,to=10000,lcxid=0xb,lzxid=0x6,lresp=389361,llat=0,minlat=0,"
            "avglat=8,maxlat=50)\n"
            "\n");
}

TEST(ConsTest, OmitsLcxidAndPrintsNegativeZxidAsUnsignedHexAfterAReset) {
  ConnectionView c = SessionConnection("/127.0.0.1:54532", 0x1000005b3ee0001);
  c.established_ms = 1795669315871;
  c.session_timeout_ms = 10000;
  EXPECT_EQ(FormatConnection(c, false),
            " /127.0.0.1:54532[1](queued=0,recved=0,sent=0,sid=0x1000005b3ee0001,lop=NA,"
            "est=1795669315871,to=10000,lzxid=0xffffffffffffffff,lresp=0,llat=0,minlat=0,"
            "avglat=0,maxlat=0)");
}

TEST(ConsTest, WithNoConnectionsPrintsOnlyTheBlankLine) {
  ServerStatsView v;
  EXPECT_EQ(RenderCons(v), "\n");
}

TEST(ConfTest, PrintsStandaloneSettingsInApacheOrder) {
  EXPECT_EQ(RenderConf(StandaloneView()),
            "clientPort=22181\n"
            "secureClientPort=-1\n"
            "dataDir=/tmp/apache-zk/data/version-2\n"
            "dataDirSize=67109337\n"
            "dataLogDir=/tmp/apache-zk/data/version-2\n"
            "dataLogSize=67109337\n"
            "tickTime=2000\n"
            "maxClientCnxns=60\n"
            "minSessionTimeout=4000\n"
            "maxSessionTimeout=40000\n"
            "clientPortListenBacklog=-1\n"
            "serverId=0\n");
}

TEST(ConfTest, AddsQuorumSettingsAndMembershipWithoutATrailingNewline) {
  ServerStatsView v = StandaloneView();
  v.data_dir_size = 511;
  v.log_dir_size = 511;
  v.conf.data_dir = v.conf.data_log_dir = "/tmp/apache-zk/q/data/version-2";
  v.conf.server_id = 1;
  v.conf.quorum = QuorumConfView{
      10, 5, 3, 23888, 22888, 0, "server.1=127.0.0.1:22888:23888:participant\nversion=0"};
  EXPECT_EQ(RenderConf(v),
            "clientPort=22181\n"
            "secureClientPort=-1\n"
            "dataDir=/tmp/apache-zk/q/data/version-2\n"
            "dataDirSize=511\n"
            "dataLogDir=/tmp/apache-zk/q/data/version-2\n"
            "dataLogSize=511\n"
            "tickTime=2000\n"
            "maxClientCnxns=60\n"
            "minSessionTimeout=4000\n"
            "maxSessionTimeout=40000\n"
            "clientPortListenBacklog=-1\n"
            "serverId=1\n"
            "initLimit=10\n"
            "syncLimit=5\n"
            "electionAlg=3\n"
            "electionPort=23888\n"
            "quorumPort=22888\n"
            "peerType=0\n"
            "membership: \n"
            "server.1=127.0.0.1:22888:23888:participant\n"
            "version=0");
}

TEST(EnviTest, StartsWithTheZookeeperVersionLine) {
  ServerStatsView v = StandaloneView();
  v.environment = {{"host.name", "localhost"}, {"os.name", "Linux"}};
  EXPECT_EQ(RenderEnvi(v),
            "Environment:\n"
            "zookeeper.version=3.8.4-abc123, built on 02/13/2024 20:13 GMT\n"
            "host.name=localhost\n"
            "os.name=Linux\n");
}

TEST(EnviTest, AnswersEvenWhenNotServing) {
  EXPECT_THAT(RenderEnvi(NotServingView()), StartsWith("Environment:\n"));
}

TEST(WatchesTest, SummarizesConnectionsPathsAndWatches) {
  EXPECT_EQ(RenderWchs(StandaloneView()), "2 connections watching 2 paths\nTotal watches:3\n");
  EXPECT_EQ(RenderWchs(ServerStatsView{}), "0 connections watching 0 paths\nTotal watches:0\n");
}

TEST(WatchesTest, ListsPathsPerSession) {
  EXPECT_EQ(RenderWchc(StandaloneView()),
            "0x1000005b3ee0000\n\t/a\n\t/nope\n"
            "0x1000005b3ee0001\n\t/a\n"
            "\n");
}

TEST(WatchesTest, ListsSessionsPerPath) {
  EXPECT_EQ(RenderWchp(StandaloneView()),
            "/a\n\t0x1000005b3ee0000\n\t0x1000005b3ee0001\n"
            "/nope\n\t0x1000005b3ee0000\n"
            "\n");
}

TEST(WatchesTest, CountsADuplicateWatchOnce) {
  ServerStatsView v;
  v.watches = {{1, "/x"}, {1, "/x"}};
  EXPECT_EQ(RenderWchs(v), "1 connections watching 1 paths\nTotal watches:1\n");
}

TEST(DirsTest, PrintsDataAndLogDirectorySizes) {
  EXPECT_EQ(RenderDirs(StandaloneView()), "datadir_size: 67109337\nlogdir_size: 67109337\n");
}

TEST(IsroTest, AnswersRwRoOrNullWithoutANewline) {
  ServerStatsView v;
  EXPECT_EQ(RenderIsro(v), "rw");
  v.read_only = true;
  EXPECT_EQ(RenderIsro(v), "ro");
  v.serving = false;
  EXPECT_EQ(RenderIsro(v), "null");
}

TEST(ResetTest, ConfirmsConnectionAndServerStatsResets) {
  EXPECT_EQ(RenderCrst(StandaloneView()), "Connection stats reset.\n");
  EXPECT_EQ(RenderSrst(StandaloneView()), "Server stats reset.\n");
  EXPECT_EQ(RenderCrst(NotServingView()),
            "This ZooKeeper instance is not currently serving requests\n");
}

TEST(DumpTest, PrintsSessionsEphemeralsAndConnections) {
  ServerStatsView v;
  constexpr int64_t kExpiry = 1795669326000;
  v.session_expiry = {{kExpiry, {0x1000005b3ee0000, 0x1000005b3ee0001}}};
  v.ephemerals = {{0x1000005b3ee0001, {"/e2"}}, {0x1000005b3ee0000, {"/e1"}}};
  v.connection_expiry = {{kExpiry,
                          {{"/127.0.0.1:54532", 0x1000005b3ee0001},
                           {"/127.0.0.1:54528", 0x1000005b3ee0000},
                           {"/127.0.0.1:54640", 0}}}};
  EXPECT_EQ(RenderDump(v),
            "SessionTracker dump:\n"
            "Session Sets (1)/(2):\n"
            "2 expire at Thu Nov 26 05:02:06 UTC 2026:\n"
            "\t0x1000005b3ee0000\n"
            "\t0x1000005b3ee0001\n"
            "ephemeral nodes dump:\n"
            "Sessions with Ephemerals (2):\n"
            "0x1000005b3ee0001:\n"
            "\t/e2\n"
            "0x1000005b3ee0000:\n"
            "\t/e1\n"
            "Connections dump:\n"
            "Connections Sets (1)/(3):\n"
            "3 expire at Thu Nov 26 05:02:06 UTC 2026:\n"
            "\tip: /127.0.0.1:54532 sessionId: 0x1000005b3ee0001\n"
            "\tip: /127.0.0.1:54528 sessionId: 0x1000005b3ee0000\n"
            "\tip: /127.0.0.1:54640 sessionId: 0x0\n");
}

TEST(MntrTest, PrintsTabSeparatedZkPrefixedValues) {
  ServerStatsView v = StandaloneView();
  v.watch_count = 4;
  v.ephemerals_count = 2;
  v.approximate_data_size = 58;
  v.global_sessions = 2;
  v.uptime_ms = 15759;
  v.open_file_descriptor_count = 41;
  v.max_file_descriptor_count = 20000;
  v.last_client_response_size = 89;
  v.min_client_response_size = 16;
  v.max_client_response_size = 89;
  v.extra_metrics = {{"custom_metric", "5"}};
  EXPECT_EQ(RenderMntr(v),
            "zk_version\t3.8.4-abc123, built on 02/13/2024 20:13 GMT\n"
            "zk_server_state\tstandalone\n"
            "zk_avg_latency\t7.6667\n"
            "zk_max_latency\t50\n"
            "zk_min_latency\t0\n"
            "zk_packets_received\t18\n"
            "zk_packets_sent\t17\n"
            "zk_num_alive_connections\t3\n"
            "zk_outstanding_requests\t0\n"
            "zk_uptime\t15759\n"
            "zk_znode_count\t9\n"
            "zk_watch_count\t4\n"
            "zk_ephemerals_count\t2\n"
            "zk_approximate_data_size\t58\n"
            "zk_global_sessions\t2\n"
            "zk_local_sessions\t0\n"
            "zk_open_file_descriptor_count\t41\n"
            "zk_max_file_descriptor_count\t20000\n"
            "zk_connection_drop_probability\t0.0\n"
            "zk_last_client_response_size\t89\n"
            "zk_max_client_response_size\t89\n"
            "zk_min_client_response_size\t16\n"
            "zk_outstanding_tls_handshake\t0\n"
            "zk_auth_failed_count\t0\n"
            "zk_non_mtls_remote_conn_count\t0\n"
            "zk_non_mtls_local_conn_count\t0\n"
            "zk_custom_metric\t5\n");
}

TEST(MntrTest, AddsPeerStateQuorumSizeAndLeaderGauges) {
  ServerStatsView v = StandaloneView();
  v.server_state = "leader";
  v.peer_state = "leading - broadcast";
  v.quorum_size = 3;
  v.leader = LeaderStatsView{2, 2, 0, 0, 0, 15093, -1, -1, -1};
  std::string out = RenderMntr(v);
  EXPECT_THAT(out, HasSubstr("zk_server_state\tleader\nzk_peer_state\tleading - broadcast\n"));
  EXPECT_THAT(out, HasSubstr("zk_quorum_size\t3\n"));
  EXPECT_THAT(out, HasSubstr("zk_learners\t2\nzk_synced_followers\t2\n"
                             "zk_synced_non_voting_followers\t0\nzk_synced_observers\t0\n"
                             "zk_pending_syncs\t0\nzk_leader_uptime\t15093\n"
                             "zk_last_proposal_size\t-1\nzk_max_proposal_size\t-1\n"
                             "zk_min_proposal_size\t-1\n"));
}

TEST(MntrTest, LeavesOutFileDescriptorCountsWhenUnknown) {
  EXPECT_THAT(RenderMntr(StandaloneView()), ::testing::Not(HasSubstr("file_descriptor_count")));
}

TEST(NotServingTest, EveryStateDependentWordSaysSo) {
  const std::string expected = "This ZooKeeper instance is not currently serving requests\n";
  for (const char* word : {"srvr", "stat", "cons", "conf", "mntr", "wchs", "wchc", "wchp", "dirs",
                           "dump", "crst", "srst"}) {
    EXPECT_EQ(RenderFourLetterWord(word, NotServingView()), expected) << word;
  }
}

TEST(DispatchTest, RendersEveryKnownWordButStmkAndTelnetClose) {
  ServerStatsView v = StandaloneView();
  for (const std::string& word : KnownFourLetterWords()) {
    bool renderable = word != "stmk" && word != "telnet close";
    EXPECT_EQ(RenderFourLetterWord(word, v).has_value(), renderable) << word;
  }
  EXPECT_EQ(RenderFourLetterWord("xxxx", v), std::nullopt);
  EXPECT_EQ(RenderFourLetterWord("gtmk", v), "306");
  EXPECT_EQ(RenderTraceMask(0), "0");
}

TEST(KnownWordsTest, MatchesZooKeeper38) {
  EXPECT_THAT(KnownFourLetterWords(),
              ::testing::UnorderedElementsAre(
                  "conf", "cons", "crst", "dirs", "dump", "envi", "gtmk", "ruok", "stmk", "srst",
                  "srvr", "stat", "wchc", "wchp", "wchs", "mntr", "isro", "telnet close"));
  EXPECT_TRUE(IsKnownFourLetterWord("mntr"));
  EXPECT_FALSE(IsKnownFourLetterWord("hash"));
}

TEST(KnownWordsTest, RecognizesAWordFromTheFirstFourBytesReadAsALength) {
  EXPECT_EQ(FourLetterWordFromLength(0x72756f6b), "ruok");  // 'r' 'u' 'o' 'k'
  EXPECT_EQ(FourLetterWordFromLength(0x6d6e7472), "mntr");
  EXPECT_EQ(FourLetterWordFromLength(static_cast<int32_t>(0xfff4fffd)), "telnet close");
  EXPECT_EQ(FourLetterWordFromLength(44), std::nullopt);          // a real ConnectRequest length
  EXPECT_EQ(FourLetterWordFromLength(0x78787878), std::nullopt);  // "xxxx"
}

TEST(WhitelistTest, AllowsOnlySrvrByDefault) {
  FourLetterWordWhitelist whitelist(std::nullopt, false);
  EXPECT_TRUE(whitelist.IsAllowed("srvr"));
  EXPECT_FALSE(whitelist.IsAllowed("ruok"));
  EXPECT_FALSE(whitelist.IsAllowed("isro"));
  EXPECT_FALSE(whitelist.IsAllowed("mntr"));
}

TEST(WhitelistTest, AllowsIsroByDefaultWhenReadOnlyModeIsEnabled) {
  EXPECT_TRUE(IsFourLetterWordAllowed("isro", std::nullopt, true));
}

TEST(WhitelistTest, AllowsEveryKnownWordForAStar) {
  FourLetterWordWhitelist whitelist(std::string("*"), false);
  for (const std::string& word : KnownFourLetterWords()) EXPECT_TRUE(whitelist.IsAllowed(word));
  EXPECT_FALSE(whitelist.IsAllowed("hash"));
}

TEST(WhitelistTest, TrimsCommaSeparatedNamesAndSkipsEmptyOnes) {
  FourLetterWordWhitelist whitelist(std::string("ruok, conf ,,  mntr,"), false);
  EXPECT_THAT(whitelist.allowed(), ::testing::UnorderedElementsAre("ruok", "conf", "mntr", "srvr"));
}

TEST(WhitelistTest, AStarAnywhereInTheListAllowsEverything) {
  EXPECT_TRUE(IsFourLetterWordAllowed("wchc", std::string("ruok, *"), false));
}

TEST(WhitelistTest, AnEmptySettingStillAllowsSrvr) {
  FourLetterWordWhitelist whitelist(std::string(""), false);
  EXPECT_THAT(whitelist.allowed(), ::testing::UnorderedElementsAre("srvr"));
}

TEST(WhitelistTest, ExplainsARefusedWordExactlyAsZooKeeperDoes) {
  EXPECT_EQ(NotWhitelistedResponse("stat"),
            "stat is not executed because it is not in the whitelist.\n");
}

}  // namespace
}  // namespace zk::admin
