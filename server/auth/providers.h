// The authentication providers a server knows, by scheme: ZooKeeper's
// ProviderRegistry with its default members, "ip" and "digest", plus "sasl"
// when configured. There is no provider for "world", "auth" or "super": those
// names are handled by the ACL code itself. x509 is not supported.
#pragma once

#include <string>
#include <string_view>

#include "server/auth/auth_settings.h"

namespace zk::auth {

struct Provider {
  std::string_view scheme;
  // Whether ids of this scheme prove who the user is, so that an "auth" ACL
  // entry may stand for them (digest yes, ip no).
  bool is_authenticated;
  // Whether `id` is well formed for an ACL entry of this scheme.
  bool (*is_valid)(std::string_view id);
  // Whether a client holding `id` satisfies the ACL expression `acl_expr`.
  bool (*matches)(std::string_view id, std::string_view acl_expr);
  // The user name whoAmI shows for `id`.
  std::string (*user_name)(std::string_view id);
};

// nullptr for a scheme with no provider (including "digest" when disabled).
const Provider* FindProvider(std::string_view scheme, const AuthSettings& settings);

}  // namespace zk::auth
