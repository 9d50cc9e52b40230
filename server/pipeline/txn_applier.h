// The apply stage's core: replays one committed transaction on the data tree,
// deterministically, and reports what the client should hear.
#pragma once

#include <string>

#include "jute/zookeeper.h"
#include "protocol/errors.h"
#include "server/pipeline/txn.h"

namespace zk::tree {
class DataTree;
}

namespace zk::pipeline {

struct ApplyResult {
  Err err = Err::kOk;
  std::string path;  // the created path, for create responses
  data::Stat stat;   // the node's stat after the change, where one applies
};

ApplyResult ApplyTxn(tree::DataTree& tree, const Txn& txn);

}  // namespace zk::pipeline
