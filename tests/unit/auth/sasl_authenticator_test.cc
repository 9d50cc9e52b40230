// SASL DIGEST-MD5 negotiations against a real Cyrus SASL client, in process.
#include "server/auth/sasl_authenticator.h"

#include <gtest/gtest.h>
#include <sasl/sasl.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "protocol/opcodes.h"
#include "server/auth/acl.h"
#include "server/auth/authenticate.h"
#include "server/auth/providers.h"

namespace zk::auth {
namespace {

// A DIGEST-MD5 client as ZooKeeper's clients run it: service "zookeeper",
// server name "zk-sasl-md5".
class DigestClient {
 public:
  DigestClient(std::string user, std::string password)
      : user_(std::move(user)), secret_(sizeof(sasl_secret_t) + password.size()) {
    auto* secret = reinterpret_cast<sasl_secret_t*>(secret_.data());
    secret->len = password.size();
    std::memcpy(secret->data, password.data(), password.size());
    callbacks_ = {
        {SASL_CB_AUTHNAME, Cb(&GetUser), this},
        {SASL_CB_USER, Cb(&GetUser), this},
        {SASL_CB_PASS, Cb(&GetSecret), this},
        {SASL_CB_LIST_END, nullptr, nullptr},
    };
    static const int init = sasl_client_init(nullptr);
    EXPECT_EQ(init, SASL_OK);
    EXPECT_EQ(
        sasl_client_new("zookeeper", "zk-sasl-md5", nullptr, nullptr, callbacks_.data(), 0, &conn_),
        SASL_OK);
    const char* out = nullptr;
    unsigned len = 0;
    const char* mech = nullptr;
    int r = sasl_client_start(conn_, "DIGEST-MD5", nullptr, &out, &len, &mech);
    EXPECT_TRUE(r == SASL_CONTINUE || r == SASL_OK) << sasl_errdetail(conn_);
  }
  DigestClient(const DigestClient&) = delete;
  DigestClient& operator=(const DigestClient&) = delete;
  ~DigestClient() { sasl_dispose(&conn_); }

  // The client's answer to a server token; false when the client gives up.
  bool Step(const std::string& in, std::string* out) {
    const char* data = nullptr;
    unsigned len = 0;
    int r =
        sasl_client_step(conn_, in.data(), static_cast<unsigned>(in.size()), nullptr, &data, &len);
    if (r != SASL_OK && r != SASL_CONTINUE) return false;
    out->assign(data == nullptr ? "" : data, data == nullptr ? 0 : len);
    complete_ = r == SASL_OK;
    return true;
  }
  bool complete() const { return complete_; }

 private:
  template <class F>
  static int (*Cb(F* f))() {
    return reinterpret_cast<int (*)()>(reinterpret_cast<void (*)()>(f));
  }
  static int GetUser(void* context, int, const char** result, unsigned* len) {
    auto* self = static_cast<DigestClient*>(context);
    *result = self->user_.c_str();
    if (len != nullptr) *len = static_cast<unsigned>(self->user_.size());
    return SASL_OK;
  }
  static int GetSecret(sasl_conn_t*, void* context, int, sasl_secret_t** secret) {
    *secret = reinterpret_cast<sasl_secret_t*>(static_cast<DigestClient*>(context)->secret_.data());
    return SASL_OK;
  }

  std::string user_;
  std::vector<unsigned char> secret_;
  std::vector<sasl_callback_t> callbacks_;
  sasl_conn_t* conn_ = nullptr;
  bool complete_ = false;
};

class SaslAuthenticatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    jaas_path_ = ::testing::TempDir() + "/sasl_authenticator_test.jaas";
    std::ofstream(jaas_path_) << "Server {\n"
                                 "  org.apache.zookeeper.server.auth.DigestLoginModule required\n"
                                 "  user_super=\"super_secret\"\n"
                                 "  user_alice=\"alice_secret\";\n"
                                 "};\n";
    options_.jaas_path = jaas_path_;
  }

  // Runs a whole negotiation the way a client does (an empty first token);
  // returns the server's last reply.
  SaslReply Negotiate(SaslAuthenticator* server, const std::string& user,
                      const std::string& password, AuthInfo* auth) {
    DigestClient client(user, password);
    auto connection = std::make_shared<int>(0);
    std::string token;
    SaslReply reply;
    for (int round = 0; round < 4; ++round) {
      reply = server->Handle(connection, token, auth);
      if (reply.err != Err::kOk || reply.token_is_null) return reply;
      if (!client.Step(reply.token, &token)) {
        ADD_FAILURE() << "client refused the server's token";
        return reply;
      }
      if (client.complete()) return reply;
    }
    ADD_FAILURE() << "negotiation did not finish";
    return reply;
  }

  std::string jaas_path_;
  SaslServerOptions options_;
};

TEST_F(SaslAuthenticatorTest, AGoodPasswordAddsTheSaslIdentityOfTheUser) {
  SaslAuthenticator server(options_);
  std::string error;
  ASSERT_TRUE(server.Load(&error)) << error;
  ASSERT_TRUE(server.configured());
  AuthInfo auth = AuthInfo::ForConnection("127.0.0.1");
  SaslReply reply = Negotiate(&server, "alice", "alice_secret", &auth);
  EXPECT_EQ(reply.err, Err::kOk);
  EXPECT_FALSE(reply.close);
  EXPECT_NE(reply.token.find("rspauth="), std::string::npos) << reply.token;
  EXPECT_TRUE(auth.Contains(data::Id{"sasl", "alice"}));
  EXPECT_FALSE(auth.HasScheme("super"));
  EXPECT_EQ(server.negotiations(), 0u);
}

TEST_F(SaslAuthenticatorTest, TheFirstChallengeNamesZooKeepersRealmAndOnlyAuthQop) {
  SaslAuthenticator server(options_);
  std::string error;
  ASSERT_TRUE(server.Load(&error)) << error;
  AuthInfo auth;
  SaslReply reply = server.Handle(std::make_shared<int>(0), "", &auth);
  ASSERT_EQ(reply.err, Err::kOk);
  EXPECT_NE(reply.token.find("realm=\"zk-sasl-md5\""), std::string::npos) << reply.token;
  EXPECT_NE(reply.token.find("qop=\"auth\""), std::string::npos) << reply.token;
}

TEST_F(SaslAuthenticatorTest, AWrongPasswordIsAuthFailedAndClosesTheConnection) {
  SaslAuthenticator server(options_);
  std::string error;
  ASSERT_TRUE(server.Load(&error)) << error;
  AuthInfo auth = AuthInfo::ForConnection("127.0.0.1");
  SaslReply reply = Negotiate(&server, "alice", "wrong", &auth);
  EXPECT_EQ(reply.err, Err::kAuthFailed);
  EXPECT_TRUE(reply.close);
  EXPECT_TRUE(reply.token_is_null);
  EXPECT_FALSE(auth.HasScheme("sasl"));
  EXPECT_EQ(server.negotiations(), 0u);
}

TEST_F(SaslAuthenticatorTest, AnUnknownUserIsAuthFailed) {
  SaslAuthenticator server(options_);
  std::string error;
  ASSERT_TRUE(server.Load(&error)) << error;
  AuthInfo auth;
  SaslReply reply = Negotiate(&server, "mallory", "alice_secret", &auth);
  EXPECT_EQ(reply.err, Err::kAuthFailed);
  EXPECT_TRUE(auth.empty());
}

TEST_F(SaslAuthenticatorTest, AllowSaslFailedClientsKeepsTheConnectionWithoutAnIdentity) {
  options_.allow_failed_clients = true;
  SaslAuthenticator server(options_);
  std::string error;
  ASSERT_TRUE(server.Load(&error)) << error;
  AuthInfo auth;
  SaslReply reply = Negotiate(&server, "alice", "wrong", &auth);
  EXPECT_EQ(reply.err, Err::kOk);
  EXPECT_FALSE(reply.close);
  EXPECT_TRUE(reply.token_is_null);
  EXPECT_TRUE(auth.empty());
}

TEST_F(SaslAuthenticatorTest, TheConfiguredSuperUserAlsoBecomesSuper) {
  options_.super_user = "super";
  SaslAuthenticator server(options_);
  std::string error;
  ASSERT_TRUE(server.Load(&error)) << error;
  AuthInfo auth;
  EXPECT_EQ(Negotiate(&server, "super", "super_secret", &auth).err, Err::kOk);
  EXPECT_TRUE(auth.Contains(data::Id{"sasl", "super"}));
  EXPECT_TRUE(auth.Contains(data::Id{"super", ""}));
}

TEST_F(SaslAuthenticatorTest, WithoutAJaasFileTheAnswerIsOkWithANullToken) {
  SaslAuthenticator server(SaslServerOptions{});
  std::string error;
  ASSERT_TRUE(server.Load(&error)) << error;
  EXPECT_FALSE(server.configured());
  AuthInfo auth;
  SaslReply reply = server.Handle(std::make_shared<int>(0), "", &auth);
  EXPECT_EQ(reply.err, Err::kOk);
  EXPECT_TRUE(reply.token_is_null);
  EXPECT_FALSE(reply.close);
}

TEST_F(SaslAuthenticatorTest, AJaasFileWithoutTheServerSectionMeansNoSasl) {
  options_.login_context = "Other";
  SaslAuthenticator server(options_);
  std::string error;
  EXPECT_TRUE(server.Load(&error)) << error;
  EXPECT_FALSE(server.configured());
}

TEST_F(SaslAuthenticatorTest, AnUnreadableJaasFileIsAnError) {
  options_.jaas_path = ::testing::TempDir() + "/no/such/file.jaas";
  SaslAuthenticator server(options_);
  std::string error;
  EXPECT_FALSE(server.Load(&error));
  EXPECT_NE(error.find("file.jaas"), std::string::npos) << error;
}

TEST_F(SaslAuthenticatorTest, NegotiationsOfClosedConnectionsAreForgotten) {
  SaslAuthenticator server(options_);
  std::string error;
  ASSERT_TRUE(server.Load(&error)) << error;
  AuthInfo auth;
  auto first = std::make_shared<int>(1);
  server.Handle(first, "", &auth);
  EXPECT_EQ(server.negotiations(), 1u);
  first.reset();
  server.Handle(std::make_shared<int>(2), "", &auth);
  EXPECT_EQ(server.negotiations(), 1u);
}

TEST(SaslProvider, ValidatesIdsAsKerberosNames) {
  EXPECT_TRUE(SaslIdIsValid("alice"));
  EXPECT_TRUE(SaslIdIsValid("zookeeper/host@EXAMPLE.COM"));
  EXPECT_TRUE(SaslIdIsValid("alice@EXAMPLE.COM"));
  EXPECT_FALSE(SaslIdIsValid("a@b@c"));
  EXPECT_FALSE(SaslIdIsValid("a/b/c@R"));
}

TEST(SaslProvider, SuperMatchesEveryEntryAndOthersOnlyTheirOwn) {
  EXPECT_TRUE(SaslMatches("alice", "alice"));
  EXPECT_FALSE(SaslMatches("alice", "bob"));
  EXPECT_TRUE(SaslMatches("super", "bob"));
}

TEST(SaslProvider, TheSchemeIsKnownOnlyWhenConfigured) {
  AuthSettings settings;
  EXPECT_EQ(FindProvider("sasl", settings), nullptr);
  settings.sasl_enabled = true;
  ASSERT_NE(FindProvider("sasl", settings), nullptr);
  EXPECT_TRUE(FindProvider("sasl", settings)->is_authenticated);
}

TEST(SaslProvider, SaslAclEntriesAdmitOnlyThatUser) {
  AuthSettings settings;
  settings.sasl_enabled = true;
  std::vector<data::ACL> acl{data::ACL{perms::kAll, data::Id{"sasl", "alice"}}};
  AuthInfo alice = AuthInfo::ForConnection("127.0.0.1");
  alice.Add(data::Id{"sasl", "alice"});
  AuthInfo bob = AuthInfo::ForConnection("127.0.0.1");
  bob.Add(data::Id{"sasl", "bob"});
  EXPECT_EQ(CheckAcl(acl, perms::kRead, alice, settings), Err::kOk);
  EXPECT_EQ(CheckAcl(acl, perms::kRead, bob, settings), Err::kNoAuth);
  EXPECT_EQ(CheckAcl(acl, perms::kRead, alice, AuthSettings{}), Err::kNoAuth);
}

TEST(SaslProvider, AnAuthAclEntryExpandsToTheSaslIdentityAndWhoAmIShowsIt) {
  AuthSettings settings;
  settings.sasl_enabled = true;
  AuthInfo alice = AuthInfo::ForConnection("127.0.0.1");
  alice.Add(data::Id{"sasl", "alice"});
  std::vector<data::ACL> acl{data::ACL{perms::kAll, data::Id{"auth", ""}}};
  ASSERT_EQ(FixupAcl("/x", alice, settings, &acl), Err::kOk);
  ASSERT_EQ(acl.size(), 1u);
  EXPECT_EQ(acl[0].id, (data::Id{"sasl", "alice"}));
  std::vector<data::ClientInfo> who = WhoAmI(alice, settings);
  bool found = false;
  for (const auto& info : who) found |= info.authScheme == "sasl" && info.user == "alice";
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace zk::auth
