// ACL checks as ZooKeeper 3.8 makes them (ZooKeeperServer.checkACL and
// PrepRequestProcessor.fixupACL), and the view of an ACL that getACL gives a
// client without ADMIN permission.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "jute/zookeeper.h"
#include "protocol/errors.h"
#include "server/auth/auth_info.h"
#include "server/auth/auth_settings.h"

namespace zk::auth {

// kOk if a client with `auth` may do what `perm` (a zk::perms bit set) asks
// on a node with `acl`, else kNoAuth. In order: skipACL passes; an empty ACL
// passes; a "super" identity passes; then the first entry sharing a bit with
// `perm` that is world:anyone, or whose provider matches one of the client's
// ids of the same scheme, passes.
Err CheckAcl(const std::vector<data::ACL>& acl, int32_t perm, const AuthInfo& auth,
             const AuthSettings& settings);

// Validates and expands the ACL of a create or setACL in place. Exact
// duplicates are dropped first (first occurrence kept); an empty list is
// kInvalidAcl. Then, in order: world:anyone is kept; each "auth" entry (its id
// ignored) becomes one entry with its perms per id of the client whose
// provider is_authenticated (digest), in the client's id order, and is
// kInvalidAcl if there is none; any other entry is kept if its scheme has a
// provider that finds the id valid, else kInvalidAcl. Entries produced by
// "auth" are not deduplicated again. On error `*acl` is left unchanged.
Err FixupAcl(std::string_view path, const AuthInfo& auth, const AuthSettings& settings,
             std::vector<data::ACL>* acl);

// What getACL returns to a client that passed the READ|ADMIN check but not the
// ADMIN one: each digest id has everything from each ':' to the end of its
// line replaced by ":x" (Java's replaceAll(":.*", ":x")); other entries as is.
std::vector<data::ACL> RedactDigests(const std::vector<data::ACL>& acl);

}  // namespace zk::auth
