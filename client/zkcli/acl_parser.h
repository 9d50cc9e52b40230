// ACL text as zkCli.sh reads it: "scheme:id:perms[,scheme:id:perms...]".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "client/lib/zk_client.h"

namespace zk::cli {

// Entries that are not "scheme:id:perm" are skipped and unknown permission
// letters ignored; each such problem adds a line (as zkCli.sh prints them on
// standard error) to *warnings.
client::AclList ParseAcl(std::string_view text, std::vector<std::string>* warnings);

}  // namespace zk::cli
