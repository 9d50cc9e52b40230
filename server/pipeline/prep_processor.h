// The prep stage: validates a write against the tree plus pending changes and
// turns it into a transaction, or into the error the client gets back. Checks
// happen in the order ZooKeeper's PrepRequestProcessor makes them, so the same
// bad request gets the same error.
//
// Thread-safety: used only by the thread that owns the data tree.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "server/pipeline/pending_changes.h"
#include "server/pipeline/request.h"
#include "server/pipeline/txn.h"

namespace zk::pipeline {

class PrepProcessor {
 public:
  PrepProcessor(const tree::DataTree* tree, bool extended_types_enabled)
      : tree_(tree), pending_(tree), extended_types_(extended_types_enabled) {}
  PrepProcessor(const PrepProcessor&) = delete;
  PrepProcessor& operator=(const PrepProcessor&) = delete;

  // Fills `out` (header and body) for a write request, to be ordered as `zxid`.
  // Returns the error to answer with instead when the request cannot succeed.
  Err Prepare(const Request& request, int64_t zxid, int64_t now_ms, Txn* out);

  // A createSession transaction for a session the handshake admitted.
  Txn PrepareCreateSession(int64_t session_id, int32_t timeout_ms, int64_t zxid, int64_t now_ms);
  // A closeSession transaction deleting the session's ephemerals.
  Txn PrepareCloseSession(int64_t session_id, int32_t xid, int64_t zxid, int64_t now_ms);

  // Tells prep that the tree now reflects every transaction up to `zxid`.
  void Applied(int64_t zxid) { pending_.Applied(zxid); }

 private:
  Err PrepareCreate(const Request& request, int64_t zxid, int64_t now_ms, Txn* out);
  Err PrepareDelete(const Request& request, int64_t zxid, Txn* out);
  Err PrepareSetData(const Request& request, int64_t zxid, int64_t now_ms, Txn* out);

  const tree::DataTree* tree_;
  PendingChanges pending_;
  const bool extended_types_;
};

}  // namespace zk::pipeline
