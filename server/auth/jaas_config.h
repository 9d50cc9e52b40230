// A JAAS login configuration file, the file Java names with the system
// property java.security.auth.login.config. ZooKeeper's server reads its SASL
// users from it:
//
//   Server {
//     org.apache.zookeeper.server.auth.DigestLoginModule required
//     user_alice="secret"
//     user_bob="other";
//   };
//
// Syntax as Java's ConfigFile reads it: sections `Name { entries };`, each
// entry `<module class> <flag> [key=value ...];`, flag one of required,
// requisite, sufficient, optional (any case); values quoted or bare words;
// comments `// ...`, `/* ... */` and `# ...`.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace zk::auth {

struct JaasEntry {
  std::string login_module;
  std::string control_flag;  // lower case
  std::map<std::string, std::string> options;
};

// Section name -> its entries, in file order. A repeated section adds entries.
using JaasConfig = std::map<std::string, std::vector<JaasEntry>>;

// False with a message naming the line on a syntax error.
bool ParseJaasConfig(std::string_view text, JaasConfig* out, std::string* error);

// The DIGEST-MD5 users of a section: every option "user_<name>" of every entry
// gives <name> that password (SaslServerCallbackHandler's rule). A later entry
// wins for a repeated name.
std::map<std::string, std::string> JaasDigestUsers(const std::vector<JaasEntry>& entries);

}  // namespace zk::auth
