#include "server/auth/acl.h"

#include <glog/logging.h>

#include <algorithm>

#include "server/auth/providers.h"

namespace zk::auth {
namespace {

bool IsWorldAnyone(const data::Id& id) { return id.scheme == "world" && id.id == "anyone"; }

// Bytes of a line terminator for Java's '.' (\n, \r, U+0085, U+2028, U+2029)
// starting at s[i], or 0.
size_t LineTerminatorAt(std::string_view s, size_t i) {
  if (s[i] == '\n' || s[i] == '\r') return 1;
  if (s.substr(i, 2) == "\xC2\x85") return 2;
  if (s.substr(i, 3) == "\xE2\x80\xA8" || s.substr(i, 3) == "\xE2\x80\xA9") return 3;
  return 0;
}

std::string RedactDigestId(std::string_view id) {
  std::string out;
  size_t i = 0;
  while (i < id.size()) {
    if (id[i] != ':') {
      out.push_back(id[i++]);
      continue;
    }
    out += ":x";
    ++i;
    while (i < id.size() && LineTerminatorAt(id, i) == 0) ++i;
  }
  return out;
}

}  // namespace

Err CheckAcl(const std::vector<data::ACL>& acl, int32_t perm, const AuthInfo& auth,
             const AuthSettings& settings) {
  if (settings.skip_acl || acl.empty() || auth.HasScheme("super")) return Err::kOk;
  for (const data::ACL& entry : acl) {
    if ((entry.perms & perm) == 0) continue;
    if (IsWorldAnyone(entry.id)) return Err::kOk;
    const Provider* provider = FindProvider(entry.id.scheme, settings);
    if (provider == nullptr) continue;
    for (const data::Id& have : auth.ids()) {
      if (have.scheme == entry.id.scheme && provider->matches(have.id, entry.id.id)) {
        return Err::kOk;
      }
    }
  }
  return Err::kNoAuth;
}

Err FixupAcl(std::string_view path, const AuthInfo& auth, const AuthSettings& settings,
             std::vector<data::ACL>* acl) {
  std::vector<data::ACL> unique;
  for (const data::ACL& entry : *acl) {
    if (std::find(unique.begin(), unique.end(), entry) == unique.end()) unique.push_back(entry);
  }
  if (unique.empty()) return Err::kInvalidAcl;

  std::vector<data::ACL> fixed;
  for (data::ACL& entry : unique) {
    if (IsWorldAnyone(entry.id)) {
      fixed.push_back(std::move(entry));
    } else if (entry.id.scheme == "auth") {
      bool expanded = false;
      for (const data::Id& have : auth.ids()) {
        const Provider* provider = FindProvider(have.scheme, settings);
        if (provider != nullptr && provider->is_authenticated) {
          fixed.push_back(data::ACL{entry.perms, have});
          expanded = true;
        }
      }
      if (!expanded) {
        VLOG(1) << "auth ACL on " << path << " but the client has no authenticated id";
        return Err::kInvalidAcl;
      }
    } else {
      const Provider* provider = FindProvider(entry.id.scheme, settings);
      if (provider == nullptr || !provider->is_valid(entry.id.id)) {
        VLOG(1) << "invalid ACL id " << entry.id.scheme << ":" << entry.id.id << " on " << path;
        return Err::kInvalidAcl;
      }
      fixed.push_back(std::move(entry));
    }
  }
  *acl = std::move(fixed);
  return Err::kOk;
}

std::vector<data::ACL> RedactDigests(const std::vector<data::ACL>& acl) {
  std::vector<data::ACL> out = acl;
  for (data::ACL& entry : out) {
    if (entry.id.scheme == "digest") entry.id.id = RedactDigestId(entry.id.id);
  }
  return out;
}

}  // namespace zk::auth
