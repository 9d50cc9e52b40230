// SASL authentication (the sasl packet, opcode 102) as ZooKeeper 3.8's
// ZooKeeperServer.processSasl does it, with the DIGEST-MD5 mechanism from
// Cyrus SASL (libsasl2). Users and passwords come from the JAAS login file's
// server section ("user_<name>"=password options); they stay in memory and
// reach Cyrus through an in-process auxprop plugin, so no sasldb is written.
//
// The negotiation matches ZooKeeper's defaults: service "zookeeper", server
// name and realm "zk-sasl-md5", quality of protection "auth" only. When it
// completes, the connection gains the id sasl:<user>, and super:"" as well
// when <user> is the zookeeper.superUser.
//
// Thread-safety: one thread (the one owning the connections) uses an object.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/errors.h"
#include "server/auth/auth_info.h"

namespace zk::auth {

// The Java system properties ZooKeeper's SASL server reads.
struct SaslServerOptions {
  // java.security.auth.login.config: the JAAS file; unset means no SASL login.
  std::optional<std::string> jaas_path;
  // zookeeper.sasl.serverconfig: the JAAS section, "Server" by default.
  std::optional<std::string> login_context;
  // zookeeper.superUser: a SASL user who also becomes "super". Empty: none.
  std::string super_user;
  // zookeeper.allowSaslFailedClients: a failed negotiation keeps the connection.
  bool allow_failed_clients = false;
};

// What to answer one sasl packet with.
struct SaslReply {
  Err err = Err::kOk;
  std::string token;
  bool token_is_null = true;
  // ZooKeeper closes the connection after answering a failed negotiation.
  bool close = false;
};

class SaslAuthenticator {
 public:
  explicit SaslAuthenticator(SaslServerOptions options);
  SaslAuthenticator(const SaslAuthenticator&) = delete;
  SaslAuthenticator& operator=(const SaslAuthenticator&) = delete;
  ~SaslAuthenticator();

  // Reads the JAAS file. Without a jaas_path, or without the section in it,
  // the server simply has no SASL login (as in ZooKeeper). An unreadable or
  // malformed file is an error: false with the reason in *error.
  bool Load(std::string* error);

  // Whether a login section with users was loaded.
  bool configured() const { return configured_; }

  // One sasl packet of `connection` (any object identifying it; the
  // negotiation is forgotten once the connection is gone). Identities gained
  // go to `auth`.
  SaslReply Handle(const std::shared_ptr<void>& connection, std::string_view token, AuthInfo* auth);

  // Negotiations under way, for tests.
  size_t negotiations() const { return negotiations_.size(); }

 private:
  class Negotiation;
  using Key = std::weak_ptr<void>;

  void ForgetClosedConnections();
  SaslReply Failed(const std::string& reason);

  SaslServerOptions options_;
  bool configured_ = false;
  std::map<std::string, std::string> users_;
  std::map<Key, std::unique_ptr<Negotiation>, std::owner_less<Key>> negotiations_;
};

// The SASL provider's user-name rule for ACL ids (KerberosName): an id with
// '@' must look like name[/host]@realm; any other id is valid.
bool SaslIdIsValid(std::string_view id);

// SASLAuthenticationProvider.matches: the id "super" matches every sasl entry,
// any other id only the equal one.
bool SaslMatches(std::string_view id, std::string_view acl_expr);

}  // namespace zk::auth
