#include "server/auth/providers.h"

#include "server/auth/digest.h"
#include "server/auth/ip_address.h"
#include "server/auth/sasl_authenticator.h"

namespace zk::auth {
namespace {

bool DigestMatches(std::string_view id, std::string_view acl_expr) { return id == acl_expr; }
std::string IdAsUserName(std::string_view id) { return std::string(id); }

constexpr Provider kIp{"ip", false, &IpIsValid, &IpMatches, &IdAsUserName};
constexpr Provider kDigest{"digest", true, &DigestIsValid, &DigestMatches, &DigestUserName};
constexpr Provider kSasl{"sasl", true, &SaslIdIsValid, &SaslMatches, &IdAsUserName};

}  // namespace

const Provider* FindProvider(std::string_view scheme, const AuthSettings& settings) {
  if (scheme == kIp.scheme) return &kIp;
  if (scheme == kDigest.scheme && settings.digest_enabled) return &kDigest;
  if (scheme == kSasl.scheme && settings.sasl_enabled) return &kSasl;
  return nullptr;
}

}  // namespace zk::auth
