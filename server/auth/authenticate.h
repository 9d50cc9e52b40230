// Adding identities to a connection (the auth packet, opcode 100, xid -4) and
// listing them (whoAmI, opcode 107).
#pragma once

#include <string_view>
#include <vector>

#include "jute/zookeeper.h"
#include "protocol/errors.h"
#include "server/auth/auth_info.h"
#include "server/auth/auth_settings.h"

namespace zk::auth {

// ZooKeeperServer's handling of an AuthPacket. kOk or kAuthFailed:
//  - "digest": the auth bytes are decoded as Java decodes UTF-8, hashed with
//    GenerateDigest, and digest:<user:hash> is added; when that id equals the
//    configured super digest, super:"" is added as well. Any bytes succeed.
//  - "ip": adds ip:<remote_host> (already there from the connect), whatever
//    the auth bytes; always succeeds.
//  - any other scheme (also "digest" when disabled): kAuthFailed, no change.
// `remote_host` is the peer address as JavaHostAddress prints it.
Err HandleAddAuth(std::string_view scheme, std::string_view auth_bytes,
                  std::string_view remote_host, const AuthSettings& settings, AuthInfo* auth_info);

// The WhoAmIResponse list: one ClientInfo per id, in AuthInfo order, with the
// scheme and the provider's user name ("" for a scheme with no provider, such
// as super). The connection's ip id is included.
std::vector<data::ClientInfo> WhoAmI(const AuthInfo& auth_info, const AuthSettings& settings);

}  // namespace zk::auth
