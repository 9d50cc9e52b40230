#include "server/auth/authenticate.h"

#include <glog/logging.h>

#include <optional>
#include <string>

#include "server/auth/digest.h"
#include "server/auth/java_text.h"
#include "server/auth/providers.h"

namespace zk::auth {

Err HandleAddAuth(std::string_view scheme, std::string_view auth_bytes,
                  std::string_view remote_host, const AuthSettings& settings, AuthInfo* auth_info) {
  const Provider* provider = FindProvider(scheme, settings);
  if (provider == nullptr) {
    LOG(WARNING) << "no authentication provider for scheme " << scheme;
    return Err::kAuthFailed;
  }
  if (provider->scheme == "ip") {
    auth_info->Add(data::Id{"ip", std::string(remote_host)});
    return Err::kOk;
  }
  const std::optional<std::string> digest = GenerateDigest(JavaUtf8(auth_bytes));
  if (!digest) {
    LOG(ERROR) << "SHA-1 unavailable; digest authentication failed";
    return Err::kAuthFailed;
  }
  if (!settings.super_digest.empty() && *digest == settings.super_digest) {
    auth_info->Add(data::Id{"super", ""});
  }
  auth_info->Add(data::Id{"digest", *digest});
  return Err::kOk;
}

std::vector<data::ClientInfo> WhoAmI(const AuthInfo& auth_info, const AuthSettings& settings) {
  std::vector<data::ClientInfo> out;
  out.reserve(auth_info.size());
  for (const data::Id& id : auth_info.ids()) {
    const Provider* provider = FindProvider(id.scheme, settings);
    out.push_back(data::ClientInfo{id.scheme, provider ? provider->user_name(id.id) : ""});
  }
  return out;
}

}  // namespace zk::auth
