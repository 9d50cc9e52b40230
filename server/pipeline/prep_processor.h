// The prep stage: validates a write against the tree plus pending changes and
// turns it into a transaction, or into the answer the client gets instead.
// Checks happen in the order ZooKeeper's PrepRequestProcessor makes them, so
// the same bad request gets the same error.
//
// Thread-safety: used only by the thread that owns the data tree.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "server/auth/auth_info.h"
#include "server/auth/auth_settings.h"
#include "server/pipeline/multi_codec.h"
#include "server/pipeline/pending_changes.h"
#include "server/pipeline/request.h"
#include "server/pipeline/txn.h"

namespace zk::pipeline {

class PrepProcessor {
 public:
  PrepProcessor(const tree::DataTree* tree, bool extended_types_enabled, int32_t max_buffer,
                auth::AuthSettings auth_settings)
      : tree_(tree),
        pending_(tree),
        extended_types_(extended_types_enabled),
        max_buffer_(max_buffer),
        auth_settings_(std::move(auth_settings)) {}
  PrepProcessor(const PrepProcessor&) = delete;
  PrepProcessor& operator=(const PrepProcessor&) = delete;

  // Fills `out` for a write request, to be ordered as `zxid`, and returns true.
  // Returns false when the request cannot succeed, with the answer in `rejected`
  // (an error, or for a multi the per-op results ZooKeeper reports).
  // `auth` is who the requesting session has authenticated as.
  bool Prepare(const Request& request, const auth::AuthInfo& auth, int64_t zxid, int64_t now_ms,
               Txn* out, Response* rejected);

  // A createSession transaction for a session the handshake admitted.
  Txn PrepareCreateSession(int64_t session_id, int32_t timeout_ms, int64_t zxid, int64_t now_ms);
  // A closeSession transaction deleting the session's ephemerals.
  Txn PrepareCloseSession(int64_t session_id, int32_t xid, int64_t zxid, int64_t now_ms);

  // A deleteContainer transaction for an empty container or expired TTL node, or
  // the error that keeps it (NotEmpty when a child arrived meanwhile).
  Err PrepareDeleteContainer(const std::string& path, int64_t zxid, int64_t now_ms, Txn* out);

  // Tells prep that the tree now reflects every transaction up to `zxid`.
  void Applied(int64_t zxid) { pending_.Applied(zxid); }
  // Forgets proposals that will never apply (leadership changed).
  void Reset() { pending_.Reset(); }

 private:
  // Each validates one operation, records its effect in pending_ and fills the txn body.
  Err PrepareOp(const MultiOp& op, int64_t session_id, int64_t zxid, int64_t now_ms, TxnBody* body);
  // `ttl` is -1 unless op is createTTL.
  Err PrepareCreate(OpCode op, proto::CreateRequest req, int64_t ttl, int64_t session_id,
                    int64_t zxid, TxnBody* body);
  Err PrepareDelete(const proto::DeleteRequest& req, int64_t zxid, TxnBody* body);
  Err PrepareSetData(proto::SetDataRequest req, int64_t zxid, TxnBody* body);
  Err PrepareSetAcl(proto::SetACLRequest req, int64_t zxid, TxnBody* body);
  Err PrepareCheck(const proto::CheckVersionRequest& req, TxnBody* body);
  bool PrepareMulti(const Request& request, int64_t zxid, int64_t now_ms, TxnBody* body,
                    Response* rejected);

  const tree::DataTree* tree_;
  PendingChanges pending_;
  const bool extended_types_;
  Err Check(const NodeRecord& node, int32_t perm) const;

  const int32_t max_buffer_;
  const auth::AuthSettings auth_settings_;
  const auth::AuthInfo* auth_ = nullptr;  // of the request being prepared
};

}  // namespace zk::pipeline
