// The shell around the ZAB core (server/zab): it feeds the core ticks, peer
// messages and log acknowledgements, and carries out each Ready in the order
// the core's README gives -- install a snapshot, truncate and append the
// leveldb log (group-committed on the log's sync thread), persist the epochs,
// send messages, apply committed txns through the pipeline, answer syncs.
//
// A standalone server runs the same shell with one voter: it elects itself at
// the first tick and commits each txn once its own log has synced it.
//
// Thread-safety: every method and callback runs on the owner thread (the
// server's io_context thread); the log's Poster and the transport post there.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "server/pipeline/orderer.h"
#include "server/storage/file_env.h"
#include "server/storage/txn_log.h"
#include "server/zab/core.h"

namespace zk::storage {
class Snapshotter;
}

namespace zk::replication {

struct ReplicatedOrdererOptions {
  zab::Config config;
  zab::PersistentState state;     // as loaded from disk
  std::string snap_dir;           // snapshot files and the epoch file
  storage::FileEnv* env = nullptr;  // null: FileEnv::Default()
};

class ReplicatedOrderer : public pipeline::Orderer, private zab::SnapshotSource {
 public:
  using SendFn = std::function<void(zab::Message)>;
  // Replaces the state machine with a snapshot's bytes (a SNAP sync). Returns
  // false when they cannot be loaded.
  using InstallFn = std::function<bool(const zab::Snapshot&)>;
  // Who leads changed, or whether we serve.
  using RoleFn = std::function<void(const zab::SoftState&)>;
  using FailureFn = std::function<void(const storage::Status&)>;

  // Starts `log`'s sync thread with `poster`. REQUIRES: `log` is open and not
  // started; it and `snapshotter` (may be null) outlive this object.
  ReplicatedOrderer(ReplicatedOrdererOptions options, storage::TxnLog* log,
                    storage::TxnLog::Poster poster, storage::Snapshotter* snapshotter,
                    SendFn send, InstallFn install, RoleFn on_role, FailureFn on_failure);
  ReplicatedOrderer(const ReplicatedOrderer&) = delete;
  ReplicatedOrderer& operator=(const ReplicatedOrderer&) = delete;
  ~ReplicatedOrderer() override;

  // pipeline::Orderer
  void OnCommit(CommitFn fn) override { commit_ = std::move(fn); }
  void OnForwarded(ForwardedFn fn) override { forwarded_ = std::move(fn); }
  bool Leading() const override;
  void Propose(pipeline::Txn txn) override;
  void Forward(std::string bytes) override;
  void Sync(SyncFn done) override;

  // One tickTime passed.
  void Tick();
  // A message from a peer.
  void Step(zab::Message m);
  // The link to a peer broke.
  void PeerDown(zab::ServerId id);

  const zab::SoftState& soft_state() const { return soft_; }
  bool serving() const { return soft_.serving && !failed_; }
  const zab::Core& core() const { return core_; }
  bool failed() const { return failed_; }

 private:
  bool LatestSnapshot(zab::Snapshot* out) override;
  void Pump();
  void CarryOut(zab::Ready& rd);
  void Durable(int64_t zxid);
  void Failed(const storage::Status& status);
  void MaybeCompact();

  const ReplicatedOrdererOptions options_;
  storage::FileEnv* const env_;
  storage::TxnLog* log_;
  storage::Snapshotter* snapshotter_;
  SendFn send_;
  InstallFn install_;
  RoleFn on_role_;
  FailureFn on_failure_;
  CommitFn commit_;
  ForwardedFn forwarded_;
  zab::Core core_;
  zab::SoftState soft_;
  // Our own proposals, so their commits need no decoding.
  std::deque<pipeline::Txn> proposed_;
  uint64_t next_sync_id_ = 0;
  std::unordered_map<uint64_t, SyncFn> syncs_;
  zab::Zxid compacted_ = 0;
  bool pumping_ = false;
  bool failed_ = false;
  // Callbacks posted by the log's sync thread hold this weakly.
  std::shared_ptr<ReplicatedOrderer*> self_;
};

}  // namespace zk::replication
