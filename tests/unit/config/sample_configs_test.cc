// The sample configurations under conf/ parse, and mean what their comments say.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "server/config/server_config.h"

namespace zk::config {
namespace {

class SampleConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/zk_sample_conf.XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    base_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(base_); }

  void WriteMyId(const std::string& data_dir, int id) {
    std::filesystem::create_directories(base_ + "/" + data_dir);
    std::ofstream(base_ + "/" + data_dir + "/myid") << id << "\n";
  }

  ServerConfig Load(const std::string& name) {
    std::ifstream in(std::string(ZK_SOURCE_DIR) + "/conf/" + name);
    std::ostringstream text;
    text << in.rdbuf();
    ConfigSources sources;
    sources.cfg_text = text.str();
    sources.base_dir = base_;
    ServerConfig config;
    std::string error;
    EXPECT_TRUE(ParseServerConfig(sources, &config, &error)) << name << ": " << error;
    return config;
  }

  std::string base_;
};

TEST_F(SampleConfigTest, StandaloneServesLoopbackPort2181WithEveryFourLetterWord) {
  ServerConfig c = Load("zoo.cfg");
  EXPECT_FALSE(c.IsDistributed());
  EXPECT_EQ(c.client_port, 2181);
  EXPECT_EQ(c.client_port_address, "127.0.0.1");
  EXPECT_EQ(c.data_dir, base_ + "/data/standalone");
  EXPECT_EQ(c.four_letter_word_whitelist, "*");
}

TEST_F(SampleConfigTest, EnsembleMemberTakesItsClientPortFromItsServerLine) {
  WriteMyId("data/ensemble/1", 1);
  ServerConfig c = Load("zoo-ensemble-3.cfg");
  EXPECT_TRUE(c.IsDistributed());
  EXPECT_EQ(c.server_id, 1);
  EXPECT_EQ(c.servers.size(), 3u);
  EXPECT_EQ(c.client_port, 2181);
  EXPECT_EQ(c.init_limit, 10);
  EXPECT_EQ(c.sync_limit, 5);
}

TEST_F(SampleConfigTest, ObserverJoinsTheEnsembleAsAnObserver) {
  WriteMyId("data/ensemble/4", 4);
  ServerConfig c = Load("zoo-observer.cfg");
  EXPECT_TRUE(c.IsDistributed());
  EXPECT_EQ(c.server_id, 4);
  EXPECT_EQ(c.peer_type, LearnerType::kObserver);
  EXPECT_EQ(c.servers.at(4).type, LearnerType::kObserver);
  EXPECT_EQ(c.client_port, 2184);
}

}  // namespace
}  // namespace zk::config
