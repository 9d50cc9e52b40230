#include "server/storage/logged_orderer.h"

#include <glog/logging.h>

#include "server/storage/snapshotter.h"

namespace zk::storage {

LoggedOrderer::LoggedOrderer(TxnLog* log, TxnLog::Poster poster, Snapshotter* snapshotter,
                             FailureFn on_failure)
    : log_(log),
      snapshotter_(snapshotter),
      on_failure_(std::move(on_failure)),
      self_(std::make_shared<LoggedOrderer*>(this)) {
  std::weak_ptr<LoggedOrderer*> weak = self_;
  log_->Start(
      std::move(poster),
      [weak](int64_t zxid) {
        if (auto self = weak.lock()) (*self)->Durable(zxid);
      },
      [weak](const Status& status) {
        if (auto self = weak.lock()) (*self)->Failed(status);
      });
}

LoggedOrderer::~LoggedOrderer() = default;

void LoggedOrderer::Propose(pipeline::Txn txn) {
  if (failed_) return;
  int64_t zxid = txn.header.zxid;
  if (!log_->Append(zxid, pipeline::EncodeTxn(txn))) {
    Failed(log_->failure());
    return;
  }
  pending_.push_back(std::move(txn));
}

void LoggedOrderer::Durable(int64_t zxid) {
  while (!failed_ && !pending_.empty() && pending_.front().header.zxid <= zxid) {
    pipeline::Txn txn = std::move(pending_.front());
    pending_.pop_front();
    int64_t committed = txn.header.zxid;
    commit_(std::move(txn));
    if (snapshotter_ != nullptr) snapshotter_->Applied(committed);
  }
}

void LoggedOrderer::Failed(const Status& status) {
  if (failed_) return;
  failed_ = true;
  LOG(ERROR) << "Transaction log failed (" << status.ToString() << "); " << pending_.size()
             << " proposals will never be acknowledged";
  if (on_failure_) on_failure_(status);
}

}  // namespace zk::storage
