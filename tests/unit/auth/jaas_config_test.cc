#include "server/auth/jaas_config.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace zk::auth {
namespace {

TEST(ParseJaasConfig, ReadsZooKeepersServerSectionWithQuotedPasswords) {
  JaasConfig config;
  std::string error;
  ASSERT_TRUE(ParseJaasConfig(R"(
Server {
    org.apache.zookeeper.server.auth.DigestLoginModule required
    user_super="super_secret"
    user_jaasuser="jaas_password";
};
Client {
    org.apache.zookeeper.server.auth.DigestLoginModule required
    username="jaasuser" password="jaas_password";
};)",
                              &config, &error))
      << error;
  ASSERT_EQ(config.size(), 2u);
  ASSERT_EQ(config["Server"].size(), 1u);
  const JaasEntry& entry = config["Server"][0];
  EXPECT_EQ(entry.login_module, "org.apache.zookeeper.server.auth.DigestLoginModule");
  EXPECT_EQ(entry.control_flag, "required");
  EXPECT_EQ(JaasDigestUsers(config["Server"]),
            (std::map<std::string, std::string>{{"jaasuser", "jaas_password"},
                                                {"super", "super_secret"}}));
  EXPECT_EQ(config["Client"][0].options.at("username"), "jaasuser");
}

TEST(ParseJaasConfig, SkipsCommentsAndAcceptsBareValuesAndAnyCaseFlags) {
  JaasConfig config;
  std::string error;
  ASSERT_TRUE(
      ParseJaasConfig("// leading comment\n"
                      "# hash comment\n"
                      "Server { /* block\n comment */ a.B OPTIONAL debug=true\n"
                      "  user_bob=\"p w;d\"; };\n",
                      &config, &error))
      << error;
  const JaasEntry& entry = config["Server"][0];
  EXPECT_EQ(entry.control_flag, "optional");
  EXPECT_EQ(entry.options.at("debug"), "true");
  EXPECT_EQ(JaasDigestUsers(config["Server"]).at("bob"), "p w;d");
}

TEST(ParseJaasConfig, AnEmptyFileHasNoSections) {
  JaasConfig config;
  std::string error;
  ASSERT_TRUE(ParseJaasConfig("\n  \n", &config, &error));
  EXPECT_TRUE(config.empty());
}

TEST(ParseJaasConfig, RejectsAMissingControlFlagNamingTheLine) {
  JaasConfig config;
  std::string error;
  EXPECT_FALSE(ParseJaasConfig("Server {\n  a.B user_x=\"y\";\n};", &config, &error));
  EXPECT_NE(error.find("line 2"), std::string::npos) << error;
}

TEST(ParseJaasConfig, RejectsUnterminatedQuotesAndSections) {
  JaasConfig config;
  std::string error;
  EXPECT_FALSE(ParseJaasConfig("Server { a.B required user_x=\"y; };", &config, &error));
  EXPECT_FALSE(ParseJaasConfig("Server { a.B required user_x=\"y\";", &config, &error));
  EXPECT_FALSE(ParseJaasConfig("Server { a.B required user_x=\"y\"; }", &config, &error));
}

TEST(JaasDigestUsers, TakesUserOptionsFromEveryEntryOfTheSection) {
  std::vector<JaasEntry> entries(2);
  entries[0].options = {{"user_a", "1"}, {"debug", "true"}};
  entries[1].options = {{"user_b", "2"}, {"username", "c"}};
  EXPECT_EQ(JaasDigestUsers(entries), (std::map<std::string, std::string>{{"a", "1"}, {"b", "2"}}));
}

}  // namespace
}  // namespace zk::auth
