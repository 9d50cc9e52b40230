// The apply stage's core: replays one committed transaction on the data tree,
// deterministically, and reports what the client should hear.
#pragma once

#include <string>
#include <vector>

#include "jute/zookeeper.h"
#include "protocol/errors.h"
#include "protocol/opcodes.h"
#include "server/pipeline/txn.h"

namespace zk::tree {
class DataTree;
}

namespace zk::pipeline {

struct ApplyResult {
  OpCode type = OpCode::kError;  // the transaction's type
  Err err = Err::kOk;
  std::string path;                // the node the change was about
  data::Stat stat;                 // the node's stat after the change, where one applies
  std::vector<ApplyResult> multi;  // one per op of a multi
};

ApplyResult ApplyTxn(tree::DataTree& tree, const Txn& txn);

}  // namespace zk::pipeline
