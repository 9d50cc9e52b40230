// Server-wide settings of ACL checking and authentication. Each field is the
// Java system property ZooKeeper reads (zoo.cfg may set them too, without the
// "zookeeper." prefix).
#pragma once

#include <string>

namespace zk::auth {

struct AuthSettings {
  // zookeeper.skipACL: every check passes when the value is exactly "yes".
  bool skip_acl = false;
  // zookeeper.DigestAuthenticationProvider.enabled (default true): without it
  // the "digest" scheme is unknown, as if no provider were registered.
  bool digest_enabled = true;
  // zookeeper.DigestAuthenticationProvider.superDigest, e.g.
  // "super:<base64 sha1>": a session that adds digest auth producing exactly
  // this id also becomes "super" and passes every ACL check. Empty: none.
  std::string super_digest;
  // An authProvider.N names SASLAuthenticationProvider: the "sasl" scheme is
  // known (for ACLs and whoAmI).
  bool sasl_enabled = false;
};

}  // namespace zk::auth
