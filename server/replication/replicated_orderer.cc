#include "server/replication/replicated_orderer.h"

#include <glog/logging.h>

#include "server/replication/hard_state_file.h"
#include "server/storage/snapshot.h"
#include "server/storage/snapshotter.h"

namespace zk::replication {

ReplicatedOrderer::ReplicatedOrderer(ReplicatedOrdererOptions options, storage::TxnLog* log,
                                     storage::TxnLog::Poster poster,
                                     storage::Snapshotter* snapshotter, SendFn send,
                                     InstallFn install, RoleFn on_role, FailureFn on_failure)
    : options_(std::move(options)),
      env_(options_.env != nullptr ? options_.env : storage::FileEnv::Default()),
      log_(log),
      snapshotter_(snapshotter),
      send_(std::move(send)),
      install_(std::move(install)),
      on_role_(std::move(on_role)),
      on_failure_(std::move(on_failure)),
      core_(options_.config, options_.state, this),
      compacted_(options_.state.snapshot_zxid),
      self_(std::make_shared<ReplicatedOrderer*>(this)) {
  std::weak_ptr<ReplicatedOrderer*> weak = self_;
  log_->Start(
      std::move(poster),
      [weak](int64_t zxid) {
        if (auto self = weak.lock()) (*self)->Durable(zxid);
      },
      [weak](const storage::Status& status) {
        if (auto self = weak.lock()) (*self)->Failed(status);
      });
}

ReplicatedOrderer::~ReplicatedOrderer() = default;

bool ReplicatedOrderer::Leading() const { return soft_.role == zab::Role::kLeading && serving(); }

void ReplicatedOrderer::Propose(pipeline::Txn txn) {
  if (failed_) return;
  zab::Zxid zxid = 0;
  zab::Status status = core_.Propose(pipeline::EncodeTxn(txn), &zxid);
  if (status != zab::Status::kOk) {
    // The pipeline checks Leading() first, so only a lost race gets here; the
    // role change that follows drops the clients waiting on it.
    LOG(WARNING) << "Proposal not ordered: " << zab::StatusName(status);
    return;
  }
  CHECK_EQ(zxid, txn.header.zxid) << "the pipeline and the ZAB core disagree on the next zxid";
  proposed_.push_back(std::move(txn));
  Pump();
}

void ReplicatedOrderer::Forward(std::string bytes) {
  if (failed_ || soft_.leader == 0 || soft_.leader == core_.id()) return;
  zab::Message m;
  m.type = zab::MessageType::kRequest;
  m.from = core_.id();
  m.to = soft_.leader;
  m.epoch = soft_.epoch;
  m.payload = std::move(bytes);
  send_(std::move(m));
}

void ReplicatedOrderer::Sync(SyncFn done) {
  if (Leading()) {
    done();
    return;
  }
  uint64_t id = ++next_sync_id_;
  if (core_.RequestSync(id) != zab::Status::kOk) {
    // No leader to ask: answer with what we have; the client is dropped with
    // the role change anyway.
    done();
    return;
  }
  syncs_.emplace(id, std::move(done));
  Pump();
}

void ReplicatedOrderer::Tick() {
  core_.Tick();
  MaybeCompact();
  Pump();
}

void ReplicatedOrderer::Step(zab::Message m) {
  if (m.type == zab::MessageType::kRequest) {
    // Forwarded client work is for the pipeline, not the core.
    if (Leading() && m.epoch == soft_.epoch && m.to == core_.id() && forwarded_) {
      forwarded_(m.payload);
    }
    return;
  }
  core_.Step(m);
  Pump();
}

void ReplicatedOrderer::PeerDown(zab::ServerId id) {
  core_.PeerUnreachable(id);
  Pump();
}

void ReplicatedOrderer::Durable(int64_t zxid) {
  if (failed_) return;
  core_.Persisted(zxid);
  Pump();
}

void ReplicatedOrderer::Failed(const storage::Status& status) {
  if (failed_) return;
  failed_ = true;
  LOG(ERROR) << "Transaction log failed (" << status.ToString()
             << "); nothing more will be acknowledged";
  if (on_failure_) on_failure_(status);
}

void ReplicatedOrderer::MaybeCompact() {
  if (snapshotter_ == nullptr) return;
  zab::Zxid snap = snapshotter_->stats().last_zxid;
  if (snap > compacted_ && snap <= core_.committed()) {
    if (core_.Compact(snap) == zab::Status::kOk) compacted_ = snap;
  }
}

bool ReplicatedOrderer::LatestSnapshot(zab::Snapshot* out) {
  std::vector<storage::SnapshotFile> files;
  if (!storage::ListSnapshots(env_, options_.snap_dir, &files).ok()) return false;
  for (const storage::SnapshotFile& file : files) {
    std::string bytes;
    if (env_->ReadFile(file.path, &bytes).ok() && storage::VerifySnapshot(bytes).ok()) {
      out->zxid = file.zxid;
      out->data = std::move(bytes);
      return true;
    }
  }
  return false;
}

void ReplicatedOrderer::Pump() {
  if (pumping_) return;  // a callback below proposed; the loop picks it up
  pumping_ = true;
  while (!failed_ && core_.HasReady()) {
    zab::Ready rd = core_.TakeReady();
    CarryOut(rd);
    core_.Advance();
  }
  pumping_ = false;
}

void ReplicatedOrderer::CarryOut(zab::Ready& rd) {
  if (rd.snapshot) {
    LOG(INFO) << "Installing snapshot " << zab::ZxidToString(rd.snapshot->zxid)
              << " from the leader";
    proposed_.clear();
    if (!install_(*rd.snapshot)) {
      Failed(storage::Status::Corruption("snapshot from the leader", "cannot be loaded"));
      return;
    }
    if (storage::Status s = log_->Truncate(0); !s.ok()) return Failed(s);
    compacted_ = rd.snapshot->zxid;
  }
  if (rd.truncate_after) {
    LOG(INFO) << "Truncating the log after " << zab::ZxidToString(*rd.truncate_after);
    if (storage::Status s = log_->Truncate(*rd.truncate_after); !s.ok()) return Failed(s);
    while (!proposed_.empty() && proposed_.back().header.zxid > *rd.truncate_after) {
      proposed_.pop_back();
    }
  }
  for (zab::Entry& entry : rd.entries) {
    if (!log_->Append(entry.zxid, entry.payload.view())) return Failed(log_->failure());
  }
  if (rd.hard_state) {
    if (storage::Status s = SaveHardState(env_, options_.snap_dir, *rd.hard_state); !s.ok()) {
      return Failed(s);
    }
  }
  if (rd.soft_state && !(*rd.soft_state == soft_)) {
    soft_ = *rd.soft_state;
    LOG(INFO) << "Now " << zab::RoleName(soft_.role) << (soft_.serving ? ", serving" : "")
              << ", leader " << soft_.leader << ", epoch " << soft_.epoch;
    if (soft_.role != zab::Role::kLeading) proposed_.clear();
    if (on_role_) on_role_(soft_);
  }
  for (zab::Message& m : rd.messages) send_(std::move(m));
  for (zab::Entry& entry : rd.committed) {
    pipeline::Txn txn;
    while (!proposed_.empty() && proposed_.front().header.zxid < entry.zxid) proposed_.pop_front();
    if (!proposed_.empty() && proposed_.front().header.zxid == entry.zxid) {
      txn = std::move(proposed_.front());
      proposed_.pop_front();
    } else if (!pipeline::DecodeTxn(entry.payload.view(), &txn) || txn.header.zxid != entry.zxid) {
      return Failed(storage::Status::Corruption("committed txn " + zab::ZxidToString(entry.zxid),
                                                "cannot be decoded"));
    }
    commit_(std::move(txn));
    if (snapshotter_ != nullptr) snapshotter_->Applied(entry.zxid);
  }
  for (const zab::SyncResult& sync : rd.syncs) {
    auto it = syncs_.find(sync.id);
    if (it == syncs_.end()) continue;
    SyncFn done = std::move(it->second);
    syncs_.erase(it);
    done();
  }
}

}  // namespace zk::replication
