#include "server/config/server_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace zk::config {
namespace {

using ::testing::HasSubstr;
using ::testing::Optional;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

class ServerConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/zk_config_test.XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void WriteFile(const std::string& name, const std::string& text) {
    std::filesystem::create_directories(std::filesystem::path(dir_ + "/" + name).parent_path());
    std::ofstream(dir_ + "/" + name) << text;
  }

  ServerConfig MustParse(const std::string& cfg, const std::string& flags = "") {
    ServerConfig config;
    std::string error;
    EXPECT_TRUE(Parse(cfg, flags, &config, &error)) << error;
    return config;
  }

  std::string ParseError(const std::string& cfg, const std::string& flags = "") {
    ServerConfig config;
    std::string error;
    EXPECT_FALSE(Parse(cfg, flags, &config, &error)) << "unexpectedly parsed:\n" << cfg;
    return error;
  }

  bool Parse(const std::string& cfg, const std::string& flags, ServerConfig* config,
             std::string* error) {
    ConfigSources sources;
    sources.cfg_text = cfg;
    sources.jvm_flags = flags;
    sources.base_dir = dir_;
    return ParseServerConfig(sources, config, error);
  }

  // A 3-server ensemble with this server as id 2.
  std::string EnsembleCfg() {
    WriteFile("ens/myid", "2\n");
    return "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=ens\nclientPort=2181\n"
           "server.1=zk1:2888:3888\nserver.2=zk2:2888:3888\nserver.3=zk3:2888:3888\n";
  }

  std::string dir_;
};

TEST_F(ServerConfigTest, AppliesApacheDefaultsToAMinimalConfig) {
  ServerConfig c = MustParse("dataDir=/var/zk\nclientPort=2181\n");
  EXPECT_EQ(c.tick_time, 2000);
  EXPECT_EQ(c.init_limit, 0);
  EXPECT_EQ(c.sync_limit, 0);
  EXPECT_EQ(c.data_dir, "/var/zk");
  EXPECT_EQ(c.data_log_dir, "/var/zk");
  EXPECT_EQ(c.client_port, 2181);
  EXPECT_EQ(c.client_port_address, "");
  EXPECT_EQ(c.secure_client_port, 0);
  EXPECT_EQ(c.max_client_cnxns, 60);
  EXPECT_EQ(c.min_session_timeout, 4000);
  EXPECT_EQ(c.max_session_timeout, 40000);
  EXPECT_EQ(c.snap_retain_count, 3);
  EXPECT_EQ(c.purge_interval_hours, 0);
  EXPECT_EQ(c.four_letter_word_whitelist, std::nullopt);
  EXPECT_EQ(c.snap_count, 100000);
  EXPECT_EQ(c.global_outstanding_limit, 1000);
  EXPECT_TRUE(c.admin_enable_server);
  EXPECT_EQ(c.admin_server_port, 8080);
  EXPECT_EQ(c.admin_server_address, "0.0.0.0");
  EXPECT_EQ(c.jute_max_buffer, 0xfffff);
  EXPECT_FALSE(c.read_only_mode_enabled);
  EXPECT_FALSE(c.extended_types_enabled);
  EXPECT_EQ(c.super_digest, "");
  EXPECT_TRUE(c.auth_providers.empty());
  EXPECT_TRUE(c.standalone_enabled);
  EXPECT_FALSE(c.reconfig_enabled);
  EXPECT_EQ(c.peer_type, LearnerType::kParticipant);
  EXPECT_TRUE(c.servers.empty());
  EXPECT_EQ(c.server_id, -1);
  EXPECT_FALSE(c.IsDistributed());
}

TEST_F(ServerConfigTest, ReadsEveryStandaloneKey) {
  ServerConfig c = MustParse(
      "tickTime=1000\n"
      "initLimit=7\n"
      "syncLimit=3\n"
      "dataDir=/data/zk\n"
      "dataLogDir=/log/zk\n"
      "clientPort=2190\n"
      "clientPortAddress=127.0.0.1\n"
      "secureClientPort=2281\n"
      "maxClientCnxns=0\n"
      "minSessionTimeout=1500\n"
      "maxSessionTimeout=90000\n"
      "autopurge.snapRetainCount=5\n"
      "autopurge.purgeInterval=24\n"
      "4lw.commands.whitelist=stat, ruok , conf\n"
      "snapCount=5000\n"
      "globalOutstandingLimit=200\n"
      "admin.enableServer=false\n"
      "admin.serverPort=9090\n"
      "admin.serverAddress=127.0.0.1\n"
      "jute.maxbuffer=2097152\n"
      "readonlymode.enabled=true\n"
      "extendedTypesEnabled=true\n"
      "DigestAuthenticationProvider.superDigest=super:abc=\n"
      "authProvider.1=org.apache.zookeeper.server.auth.SASLAuthenticationProvider\n"
      "standaloneEnabled=true\n"
      "reconfigEnabled=true\n"
      "peerType=participant\n");
  EXPECT_EQ(c.tick_time, 1000);
  EXPECT_EQ(c.init_limit, 7);
  EXPECT_EQ(c.sync_limit, 3);
  EXPECT_EQ(c.data_dir, "/data/zk");
  EXPECT_EQ(c.data_log_dir, "/log/zk");
  EXPECT_EQ(c.client_port, 2190);
  EXPECT_EQ(c.client_port_address, "127.0.0.1");
  EXPECT_EQ(c.secure_client_port, 2281);
  EXPECT_EQ(c.max_client_cnxns, 0);
  EXPECT_EQ(c.min_session_timeout, 1500);
  EXPECT_EQ(c.max_session_timeout, 90000);
  EXPECT_EQ(c.snap_retain_count, 5);
  EXPECT_EQ(c.purge_interval_hours, 24);
  EXPECT_THAT(c.four_letter_word_whitelist, Optional(std::string("stat, ruok , conf")));
  EXPECT_EQ(c.snap_count, 5000);
  EXPECT_EQ(c.global_outstanding_limit, 200);
  EXPECT_FALSE(c.admin_enable_server);
  EXPECT_EQ(c.admin_server_port, 9090);
  EXPECT_EQ(c.admin_server_address, "127.0.0.1");
  EXPECT_EQ(c.jute_max_buffer, 2097152);
  EXPECT_TRUE(c.read_only_mode_enabled);
  EXPECT_TRUE(c.extended_types_enabled);
  EXPECT_EQ(c.super_digest, "super:abc=");
  EXPECT_THAT(c.auth_providers,
              UnorderedElementsAre(
                  Pair("1", "org.apache.zookeeper.server.auth.SASLAuthenticationProvider")));
  EXPECT_TRUE(c.reconfig_enabled);
}

TEST_F(ServerConfigTest, DerivesSessionTimeoutBoundsFromTickTime) {
  ServerConfig c = MustParse("tickTime=500\ndataDir=/d\nclientPort=1\n");
  EXPECT_EQ(c.min_session_timeout, 1000);
  EXPECT_EQ(c.max_session_timeout, 10000);
}

TEST_F(ServerConfigTest, LetsALaterKeyOverrideAnEarlierOne) {
  ServerConfig c = MustParse("clientPort=1111\ndataDir=/d\nclientPort=2222\n");
  EXPECT_EQ(c.client_port, 2222);
  EXPECT_EQ(c.file_properties.at("clientPort"), "2222");
}

TEST_F(ServerConfigTest, AcceptsColonAndSpaceSeparatorsAndTrimsValues) {
  ServerConfig c = MustParse("dataDir : /d  \nclientPort 2181\ntickTime=  3000  \n");
  EXPECT_EQ(c.data_dir, "/d");
  EXPECT_EQ(c.client_port, 2181);
  EXPECT_EQ(c.tick_time, 3000);
}

TEST_F(ServerConfigTest, ResolvesRelativeDataDirsAgainstTheBaseDirectory) {
  ServerConfig c = MustParse("dataDir=data/standalone\ndataLogDir=./logs/\nclientPort=2181\n");
  EXPECT_EQ(c.data_dir, dir_ + "/data/standalone");
  EXPECT_EQ(c.data_log_dir, dir_ + "/logs");
}

TEST_F(ServerConfigTest, ResolvesRelativeDataDirsAgainstTheWorkingDirectoryByDefault) {
  ConfigSources sources;
  sources.cfg_text = "dataDir=rel\nclientPort=2181\n";
  ServerConfig c;
  std::string error;
  ASSERT_TRUE(ParseServerConfig(sources, &c, &error)) << error;
  EXPECT_EQ(c.data_dir, (std::filesystem::current_path() / "rel").string());
}

TEST_F(ServerConfigTest, RaisesASnapRetainCountBelowThreeToThree) {
  EXPECT_EQ(MustParse("dataDir=/d\nclientPort=1\nautopurge.snapRetainCount=1\n").snap_retain_count,
            3);
}

TEST_F(ServerConfigTest, KeepsUnknownKeysAsZookeeperPrefixedSystemProperties) {
  ServerConfig c = MustParse("dataDir=/d\nclientPort=1\nskipACL=yes\nsomething.new=42\n");
  EXPECT_EQ(c.file_properties.at("skipACL"), "yes");
  EXPECT_THAT(c.SystemProperty("zookeeper.skipACL"), Optional(std::string("yes")));
  EXPECT_THAT(c.SystemProperty("zookeeper.something.new"), Optional(std::string("42")));
}

TEST_F(ServerConfigTest, ReadsQuotaEnforcementAndSaslSettingsFromFlagsOrZooCfg) {
  ServerConfig flags = MustParse(
      "dataDir=/d\nclientPort=1\n"
      "authProvider.1=org.apache.zookeeper.server.auth.SASLAuthenticationProvider\n",
      "-Dzookeeper.enforceQuota=true -Djava.security.auth.login.config=/etc/zk/jaas.conf "
      "-Dzookeeper.superUser=admin -Dzookeeper.allowSaslFailedClients=true "
      "-Dzookeeper.sasl.serverconfig=ZkServer");
  EXPECT_TRUE(flags.enforce_quota);
  EXPECT_THAT(flags.jaas_config_path, Optional(std::string("/etc/zk/jaas.conf")));
  EXPECT_THAT(flags.sasl_login_context, Optional(std::string("ZkServer")));
  EXPECT_EQ(flags.sasl_super_user, "admin");
  EXPECT_TRUE(flags.allow_sasl_failed_clients);
  EXPECT_TRUE(flags.SaslProviderEnabled());

  ServerConfig file = MustParse(
      "dataDir=/d\nclientPort=1\nenforceQuota=true\n"
      "java.security.auth.login.config=/j.conf\n");
  EXPECT_TRUE(file.enforce_quota);
  EXPECT_THAT(file.jaas_config_path, Optional(std::string("/j.conf")));
  EXPECT_FALSE(file.SaslProviderEnabled());

  ServerConfig defaults = MustParse("dataDir=/d\nclientPort=1\n");
  EXPECT_FALSE(defaults.enforce_quota);
  EXPECT_EQ(defaults.jaas_config_path, std::nullopt);
  EXPECT_FALSE(defaults.allow_sasl_failed_clients);
}

TEST_F(ServerConfigTest, ForceSyncIsOffOnlyForNoFromFlagsOrZooCfg) {
  EXPECT_TRUE(MustParse("dataDir=/d\nclientPort=1\n").force_sync);
  EXPECT_FALSE(MustParse("dataDir=/d\nclientPort=1\nforceSync=no\n").force_sync);
  EXPECT_FALSE(MustParse("dataDir=/d\nclientPort=1\n", "-Dzookeeper.forceSync=no").force_sync);
  EXPECT_TRUE(MustParse("dataDir=/d\nclientPort=1\nforceSync=false\n").force_sync);
  EXPECT_TRUE(MustParse("dataDir=/d\nclientPort=1\nforceSync=yes\n").force_sync);
}

TEST_F(ServerConfigTest, DoesNotTurnKeysItParsesIntoSystemProperties) {
  ServerConfig c = MustParse("dataDir=/d\nclientPort=1\ntickTime=2000\n");
  EXPECT_EQ(c.SystemProperty("zookeeper.tickTime"), std::nullopt);
  EXPECT_EQ(c.SystemProperty("zookeeper.dataDir"), std::nullopt);
}

// ---- Java system properties from SERVER_JVMFLAGS ----

TEST_F(ServerConfigTest, ReadsZookeeperPrefixedSystemPropertiesFromJvmFlags) {
  ServerConfig c = MustParse(
      "dataDir=/d\nclientPort=1\n",
      "-Xmx1g -Dzookeeper.extendedTypesEnabled=true "
      "-Dzookeeper.DigestAuthenticationProvider.superDigest=super:D/InIHSb7yEEbrWz8b9l71RjZJU= "
      "-Dzookeeper.4lw.commands.whitelist=* -Dzookeeper.snapCount=10 "
      "-Dzookeeper.globalOutstandingLimit=7 -Dzookeeper.admin.enableServer=false "
      "-Dzookeeper.admin.serverPort=8081 -Dzookeeper.admin.serverAddress=127.0.0.1 "
      "-Dzookeeper.authProvider.sasl=org.apache.zookeeper.server.auth.SASLAuthenticationProvider");
  EXPECT_TRUE(c.extended_types_enabled);
  EXPECT_EQ(c.super_digest, "super:D/InIHSb7yEEbrWz8b9l71RjZJU=");
  EXPECT_THAT(c.four_letter_word_whitelist, Optional(std::string("*")));
  EXPECT_EQ(c.snap_count, 10);
  EXPECT_EQ(c.global_outstanding_limit, 7);
  EXPECT_FALSE(c.admin_enable_server);
  EXPECT_EQ(c.admin_server_port, 8081);
  EXPECT_EQ(c.admin_server_address, "127.0.0.1");
  EXPECT_THAT(c.auth_providers,
              UnorderedElementsAre(
                  Pair("sasl", "org.apache.zookeeper.server.auth.SASLAuthenticationProvider")));
}

TEST_F(ServerConfigTest, ReadsUnprefixedJuteMaxbufferAndReadOnlyModeFromJvmFlags) {
  ServerConfig c = MustParse("dataDir=/d\nclientPort=1\n",
                             "-Djute.maxbuffer=0x200000 -Dreadonlymode.enabled=true");
  EXPECT_EQ(c.jute_max_buffer, 0x200000);
  EXPECT_TRUE(c.read_only_mode_enabled);
}

TEST_F(ServerConfigTest, KeepsEveryJvmSystemPropertyAvailableRaw) {
  ServerConfig c = MustParse("dataDir=/d\nclientPort=1\n",
                             "-Djava.security.auth.login.config=/etc/zk/jaas.conf -Dfoo.bar=1");
  EXPECT_THAT(c.SystemProperty("java.security.auth.login.config"),
              Optional(std::string("/etc/zk/jaas.conf")));
  EXPECT_THAT(c.SystemProperty("foo.bar"), Optional(std::string("1")));
  EXPECT_EQ(c.SystemProperty("not.there"), std::nullopt);
}

TEST_F(ServerConfigTest, LetsZooCfgWinOverAJvmFlagForTheSameSetting) {
  ServerConfig c = MustParse(
      "dataDir=/d\nclientPort=1\nextendedTypesEnabled=false\nsnapCount=50\n"
      "DigestAuthenticationProvider.superDigest=super:fromfile\njute.maxbuffer=4096\n",
      "-Dzookeeper.extendedTypesEnabled=true -Dzookeeper.snapCount=99 "
      "-Dzookeeper.DigestAuthenticationProvider.superDigest=super:fromflag -Djute.maxbuffer=8192");
  EXPECT_FALSE(c.extended_types_enabled);
  EXPECT_EQ(c.snap_count, 50);
  EXPECT_EQ(c.super_digest, "super:fromfile");
  EXPECT_EQ(c.jute_max_buffer, 4096);
  // The system property view is overwritten too, as System.setProperty does.
  EXPECT_THAT(c.SystemProperty("zookeeper.snapCount"), Optional(std::string("50")));
}

TEST_F(ServerConfigTest, LetsTheLastJvmFlagWinAmongRepeats) {
  ServerConfig c =
      MustParse("dataDir=/d\nclientPort=1\n", "-Dzookeeper.snapCount=5 -Dzookeeper.snapCount=6");
  EXPECT_EQ(c.snap_count, 6);
}

TEST_F(ServerConfigTest, IgnoresJvmFlagsForSettingsApacheReadsOnlyFromZooCfg) {
  ServerConfig c = MustParse("dataDir=/d\nclientPort=1\n",
                             "-Dzookeeper.tickTime=100 -Dzookeeper.clientPort=9999");
  EXPECT_EQ(c.tick_time, 2000);
  EXPECT_EQ(c.client_port, 1);
}

TEST_F(ServerConfigTest, TreatsNonTrueSystemPropertyBooleansAsFalseLikeJava) {
  ServerConfig c = MustParse("dataDir=/d\nclientPort=1\n", "-Dzookeeper.extendedTypesEnabled=TRUE");
  EXPECT_TRUE(c.extended_types_enabled);
  c = MustParse("dataDir=/d\nclientPort=1\n", "-Dzookeeper.extendedTypesEnabled=yes");
  EXPECT_FALSE(c.extended_types_enabled);
}

// ---- errors ----

TEST_F(ServerConfigTest, RejectsANonNumericPortNamingTheKey) {
  EXPECT_THAT(ParseError("dataDir=/d\nclientPort=abc\n"), HasSubstr("clientPort: 'abc'"));
  EXPECT_THAT(ParseError("dataDir=/d\nclientPort=70000\n"), HasSubstr("clientPort"));
  EXPECT_THAT(ParseError("dataDir=/d\nclientPort=1\nsecureClientPort=x\n"),
              HasSubstr("secureClientPort"));
  EXPECT_THAT(ParseError("dataDir=/d\nclientPort=1\nadmin.serverPort=http\n"),
              HasSubstr("admin.serverPort"));
}

TEST_F(ServerConfigTest, RejectsNonNumericIntegersNamingTheKey) {
  EXPECT_THAT(ParseError("dataDir=/d\nclientPort=1\ntickTime=fast\n"), HasSubstr("tickTime"));
  EXPECT_THAT(ParseError("dataDir=/d\nclientPort=1\nmaxClientCnxns=many\n"),
              HasSubstr("maxClientCnxns"));
  EXPECT_THAT(ParseError("dataDir=/d\nclientPort=1\n", "-Dzookeeper.snapCount=lots"),
              HasSubstr("-Dzookeeper.snapCount"));
  EXPECT_THAT(ParseError("dataDir=/d\nclientPort=1\n", "-Djute.maxbuffer=big"),
              HasSubstr("-Djute.maxbuffer"));
}

TEST_F(ServerConfigTest, RejectsANegativeOrZeroTickTime) {
  EXPECT_THAT(ParseError("dataDir=/d\nclientPort=1\ntickTime=-5\n"), HasSubstr("tickTime"));
  EXPECT_THAT(ParseError("dataDir=/d\nclientPort=1\ntickTime=0\n"), HasSubstr("tickTime"));
}

TEST_F(ServerConfigTest, RejectsAMissingDataDir) {
  EXPECT_THAT(ParseError("clientPort=2181\n"), HasSubstr("dataDir is not set"));
}

TEST_F(ServerConfigTest, RejectsAMissingClientPort) {
  EXPECT_THAT(ParseError("dataDir=/d\n"), HasSubstr("clientPort is not set"));
  EXPECT_THAT(ParseError("dataDir=/d\nclientPortAddress=127.0.0.1\n"),
              HasSubstr("clientPortAddress is set but clientPort is not set"));
}

TEST_F(ServerConfigTest, RejectsAMinSessionTimeoutAboveTheMax) {
  EXPECT_THAT(
      ParseError("dataDir=/d\nclientPort=1\nminSessionTimeout=5000\nmaxSessionTimeout=4000\n"),
      HasSubstr("minSessionTimeout"));
  // The derived default max (20 ticks) counts too.
  EXPECT_THAT(ParseError("dataDir=/d\nclientPort=1\nminSessionTimeout=50000\n"),
              HasSubstr("must not be larger than maxSessionTimeout"));
}

TEST_F(ServerConfigTest, RejectsABadBooleanForZooCfgOnlyKeys) {
  EXPECT_THAT(ParseError("dataDir=/d\nclientPort=1\nstandaloneEnabled=maybe\n"),
              HasSubstr("standaloneEnabled: invalid option 'maybe'"));
}

TEST_F(ServerConfigTest, RejectsAnUnknownPeerType) {
  EXPECT_THAT(ParseError("dataDir=/d\nclientPort=1\npeerType=voter\n"),
              HasSubstr("peerType: Unrecognised peertype: voter"));
}

TEST_F(ServerConfigTest, RejectsAnElectionAlgorithmOtherThanThree) {
  EXPECT_THAT(ParseError("dataDir=/d\nclientPort=1\nelectionAlg=1\n"), HasSubstr("electionAlg"));
  MustParse("dataDir=/d\nclientPort=1\nelectionAlg=3\n");
}

TEST_F(ServerConfigTest, RejectsAMalformedServerLineNamingTheKey) {
  EXPECT_THAT(ParseError("dataDir=/d\nclientPort=1\nserver.1=zk1:2888\n"),
              HasSubstr("server.1: zk1:2888 does not have the form"));
  EXPECT_THAT(ParseError("dataDir=/d\nclientPort=1\nserver.2=zk1:2888:x\n"),
              HasSubstr("server.2: invalid election port"));
  EXPECT_THAT(ParseError("dataDir=/d\nclientPort=1\nserver.one=zk1:2888:3888\n"),
              HasSubstr("server.one: server id 'one' is not a number"));
}

TEST_F(ServerConfigTest, RejectsAMalformedUnicodeEscape) {
  EXPECT_THAT(ParseError("dataDir=/d\\uZZZZ\n"), HasSubstr("zoo.cfg"));
}

// ---- ensembles ----

TEST_F(ServerConfigTest, ReadsAnEnsembleAndMyIdFromDataDir) {
  ServerConfig c = MustParse(EnsembleCfg());
  EXPECT_TRUE(c.IsDistributed());
  EXPECT_EQ(c.server_id, 2);
  ASSERT_EQ(c.servers.size(), 3u);
  EXPECT_EQ(c.servers.at(3).host, "zk3");
  EXPECT_EQ(c.servers.at(3).peer_port, 2888);
  EXPECT_EQ(c.servers.at(3).election_port, 3888);
  EXPECT_EQ(c.client_port, 2181);
}

TEST_F(ServerConfigTest, TakesTheClientPortFromThisServersLine) {
  WriteFile("ens/myid", "2");
  ServerConfig c = MustParse(
      "initLimit=10\nsyncLimit=5\ndataDir=ens\n"
      "server.1=zk1:2888:3888;2181\nserver.2=zk2:2888:3888;127.0.0.1:2182\n"
      "server.3=zk3:2888:3888;2183\n");
  EXPECT_EQ(c.client_port, 2182);
  EXPECT_EQ(c.client_port_address, "127.0.0.1");
}

TEST_F(ServerConfigTest, RejectsAStaticClientPortThatContradictsThisServersLine) {
  WriteFile("ens/myid", "1");
  EXPECT_THAT(ParseError("initLimit=10\nsyncLimit=5\ndataDir=ens\nclientPort=2000\n"
                         "server.1=zk1:2888:3888;2181\nserver.2=zk2:2888:3888\n"),
              HasSubstr("clientPort"));
}

TEST_F(ServerConfigTest, RequiresMyIdInAnEnsemble) {
  EXPECT_THAT(ParseError("initLimit=10\nsyncLimit=5\ndataDir=nomyid\nclientPort=1\n"
                         "server.1=a:1:2\nserver.2=b:1:2\nserver.3=c:1:2\n"),
              HasSubstr("myid file is missing"));
}

TEST_F(ServerConfigTest, RejectsAMyIdThatIsNotANumber) {
  WriteFile("bad/myid", "two\n");
  EXPECT_THAT(ParseError("initLimit=10\nsyncLimit=5\ndataDir=bad\nclientPort=1\n"
                         "server.1=a:1:2\nserver.2=b:1:2\n"),
              HasSubstr("myid: serverid two is not a number"));
}

TEST_F(ServerConfigTest, RejectsAMyIdWithoutAServerLine) {
  WriteFile("ens/myid", "9\n");
  EXPECT_THAT(ParseError("initLimit=10\nsyncLimit=5\ndataDir=ens\nclientPort=1\n"
                         "server.1=a:1:2\nserver.2=b:1:2\n"),
              HasSubstr("server id 9"));
}

TEST_F(ServerConfigTest, RequiresInitAndSyncLimitsInAnEnsemble) {
  WriteFile("ens/myid", "1\n");
  EXPECT_THAT(
      ParseError("syncLimit=5\ndataDir=ens\nclientPort=1\nserver.1=a:1:2\nserver.2=b:1:2\n"),
      HasSubstr("initLimit is not set"));
  EXPECT_THAT(
      ParseError("initLimit=5\ndataDir=ens\nclientPort=1\nserver.1=a:1:2\nserver.2=b:1:2\n"),
      HasSubstr("syncLimit is not set"));
}

TEST_F(ServerConfigTest, RunsStandaloneWithASingleServerLineWhenStandaloneIsEnabled) {
  ServerConfig c = MustParse("dataDir=/d\nclientPort=1\nserver.1=a:1:2\n");
  EXPECT_FALSE(c.IsDistributed());
}

TEST_F(ServerConfigTest, RunsAnEnsembleOfOneWhenStandaloneIsDisabled) {
  WriteFile("one/myid", "1\n");
  ServerConfig c = MustParse(
      "initLimit=10\nsyncLimit=5\ndataDir=one\nclientPort=1\nstandaloneEnabled=false\n"
      "server.1=127.0.0.1:22888:23888\n");
  EXPECT_TRUE(c.IsDistributed());
  EXPECT_EQ(c.server_id, 1);
}

TEST_F(ServerConfigTest, TakesTheObserverRoleFromTheServerList) {
  WriteFile("obs/myid", "4\n");
  ServerConfig c = MustParse(
      "initLimit=10\nsyncLimit=5\ndataDir=obs\nclientPort=1\n"
      "server.1=a:1:2\nserver.2=b:1:2\nserver.3=c:1:2\nserver.4=d:1:2:observer\n");
  EXPECT_EQ(c.peer_type, LearnerType::kObserver);
}

TEST_F(ServerConfigTest, RejectsObserversWithoutAQuorum) {
  EXPECT_THAT(ParseError("dataDir=/d\nclientPort=1\nserver.1=a:1:2:observer\n"),
              HasSubstr("Observers w/o participants"));
  EXPECT_THAT(ParseError("dataDir=/d\nclientPort=1\nserver.1=a:1:2\nserver.2=b:1:2:observer\n"),
              HasSubstr("Observers w/o quorum"));
}

TEST_F(ServerConfigTest, PrintsMembershipLikeApacheConf) {
  ServerConfig c = MustParse(EnsembleCfg() + "server.4=zk4:2888:3888:observer;2181\n");
  EXPECT_EQ(c.MembershipString(),
            "server.1=zk1:2888:3888:participant\n"
            "server.2=zk2:2888:3888:participant\n"
            "server.3=zk3:2888:3888:participant\n"
            "server.4=zk4:2888:3888:observer;0.0.0.0:2181\n"
            "version=0");
}

// ---- loading from disk and the environment ----

TEST_F(ServerConfigTest, LoadsAFileAndTakesJvmFlagsFromTheEnvironment) {
  WriteFile("zoo.cfg", "dataDir=/d\nclientPort=2181\n");
  setenv("SERVER_JVMFLAGS", "-Dzookeeper.snapCount=11 -Dreadonlymode.enabled=true", 1);
  setenv("JVMFLAGS", "-Dzookeeper.snapCount=12", 1);
  ServerConfig c;
  std::string error;
  bool ok = LoadServerConfig(dir_ + "/zoo.cfg", &c, &error);
  unsetenv("SERVER_JVMFLAGS");
  unsetenv("JVMFLAGS");
  ASSERT_TRUE(ok) << error;
  EXPECT_EQ(c.snap_count, 12);  // JVMFLAGS comes after SERVER_JVMFLAGS
  EXPECT_TRUE(c.read_only_mode_enabled);
}

TEST_F(ServerConfigTest, ReportsAnUnreadableFile) {
  ServerConfig c;
  std::string error;
  EXPECT_FALSE(LoadServerConfig(dir_ + "/missing.cfg", &c, &error));
  EXPECT_THAT(error, HasSubstr("missing.cfg"));
}

}  // namespace
}  // namespace zk::config
