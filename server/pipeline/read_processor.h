// Reads answered from the local data tree: exists, getData, getChildren(2),
// getACL, getAllChildrenNumber, getEphemerals, plus setWatches, which
// re-registers a reconnecting client's watches.
#pragma once

#include <cstdint>

#include "server/auth/auth_info.h"
#include "server/auth/auth_settings.h"
#include "server/pipeline/request.h"

namespace zk::tree {
class DataTree;
}

namespace zk::pipeline {

// Executes `request` for its session; watches it asks for are registered under the session id.
// Returns the response with err set and, on success, the encoded response record.
// `auth` is who the session has authenticated as; reads check READ as ZooKeeper does.
Response ExecuteRead(tree::DataTree& tree, const Request& request, const auth::AuthInfo& auth,
                     const auth::AuthSettings& settings);

}  // namespace zk::pipeline
