#include "tests/unit/storage/test_util.h"

#include <map>

#include "server/pipeline/txn_applier.h"

namespace zk::storage::testing {

std::vector<pipeline::Txn> MakeHistory(int64_t first, int count) {
  std::vector<pipeline::Txn> txns;
  int64_t zxid = first;
  int64_t session = 0x1000;
  int created = 0;
  // Creations under each parent: prep puts the parent's next cversion into
  // each create, which is what makes replay over a fuzzy snapshot idempotent.
  std::map<std::string, int32_t> creations;
  auto create = [&](const std::string& path, const std::string& data, int64_t owner) {
    std::string parent = path.substr(0, path.rfind('/'));
    if (parent.empty()) parent = "/";
    return Create(zxid++, path, data, owner, ++creations[parent]);
  };
  while (static_cast<int>(txns.size()) < count) {
    int step = static_cast<int>(txns.size()) % 10;
    switch (step) {
      case 0: txns.push_back(CreateSession(zxid++, ++session)); break;
      case 1:
      case 2:
      case 3: txns.push_back(create("/n" + std::to_string(created++), "v0", 0)); break;
      case 4: txns.push_back(create("/n" + std::to_string(created - 1) + "/child", "c", 0)); break;
      case 5: txns.push_back(SetData(zxid++, "/n" + std::to_string(created - 2), "v1", 1)); break;
      case 6: txns.push_back(create("/e" + std::to_string(created), "eph", session)); break;
      case 7: txns.push_back(Delete(zxid++, "/n" + std::to_string(created - 3))); break;
      case 8: txns.push_back(create("/e" + std::to_string(created) + "x", "eph", session)); break;
      case 9:
        // Every other session closes; its ephemerals go with it.
        if (session % 2 == 0) {
          txns.push_back(CloseSession(zxid++, session - 1));
        } else {
          txns.push_back(SetData(zxid++, "/n" + std::to_string(created - 1), "v2", 1));
        }
        break;
    }
  }
  return txns;
}

std::string DumpTree(const tree::DataTree& tree) {
  std::ostringstream out;
  tree.ForEachNode([&](const tree::NodeView& node) {
    data::StatPersisted s = node.persisted_stat();
    out << node.path() << " data=" << (node.data_null() ? "<null>" : node.data())
        << " czxid=" << s.czxid << " mzxid=" << s.mzxid << " pzxid=" << s.pzxid
        << " ctime=" << s.ctime << " mtime=" << s.mtime << " version=" << s.version
        << " cversion=" << s.cversion << " aversion=" << s.aversion << " owner=" << s.ephemeralOwner
        << " children=" << node.num_children() << " acl=";
    for (const data::ACL& a : node.acl()) out << a.id.scheme << ":" << a.id.id << ":" << a.perms;
    out << "\n";
  });
  return out.str();
}

void AppendAll(TxnLog* log, TaskQueue* queue, const std::vector<pipeline::Txn>& txns) {
  for (size_t i = 0; i < txns.size(); ++i) {
    int64_t zxid = txns[i].header.zxid;
    ASSERT_TRUE(log->Append(zxid, pipeline::EncodeTxn(txns[i])));
    // Small batches, so a torn write of leveldb's log loses only the last few.
    if (i % 10 == 9) {
      ASSERT_TRUE(queue->RunUntil([&] { return log->DurableZxid() >= zxid; }));
    }
  }
  int64_t last = txns.empty() ? 0 : txns.back().header.zxid;
  ASSERT_TRUE(queue->RunUntil([&] { return log->DurableZxid() >= last; }));
}

}  // namespace zk::storage::testing
