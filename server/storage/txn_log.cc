#include "server/storage/txn_log.h"

#include <glog/logging.h>
#include <leveldb/db.h>
#include <leveldb/env.h>
#include <leveldb/write_batch.h>

#include <algorithm>

#include "server/storage/log_format.h"

namespace zk::storage {
namespace {

// The last transaction key at or before the iterator's position, or 0.
int64_t LastTxnZxid(leveldb::Iterator* it) {
  for (it->SeekToLast(); it->Valid(); it->Prev()) {
    int64_t zxid;
    if (log_format::DecodeKey(std::string_view(it->key().data(), it->key().size()), &zxid)) {
      return zxid;
    }
  }
  return 0;
}

leveldb::ReadOptions ScanOptions() {
  leveldb::ReadOptions options;
  options.verify_checksums = true;
  options.fill_cache = false;
  return options;
}

}  // namespace

Status TxnLog::Open(const TxnLogOptions& options, std::unique_ptr<TxnLog>* log) {
  leveldb::Options db_options;
  db_options.create_if_missing = true;
  db_options.env = options.env != nullptr ? options.env : leveldb::Env::Default();
  // Create each missing level; errors (mostly "exists") surface in Open.
  for (size_t slash = options.dir.find('/', 1); slash != std::string::npos;
       slash = options.dir.find('/', slash + 1)) {
    db_options.env->CreateDir(options.dir.substr(0, slash));
  }
  db_options.env->CreateDir(options.dir);
  leveldb::DB* db = nullptr;
  Status s = leveldb::DB::Open(db_options, options.dir, &db);
  if (!s.ok()) return s;
  std::unique_ptr<leveldb::Iterator> it(db->NewIterator(ScanOptions()));
  int64_t last = LastTxnZxid(it.get());
  if (!it->status().ok()) {
    s = it->status();
    it.reset();
    delete db;
    return s;
  }
  it.reset();
  log->reset(new TxnLog(options, db, last));
  return Status::OK();
}

TxnLog::TxnLog(TxnLogOptions options, leveldb::DB* db, int64_t last_zxid)
    : options_(std::move(options)), db_(db), last_zxid_(last_zxid), durable_zxid_(last_zxid) {}

TxnLog::~TxnLog() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  if (sync_thread_.joinable()) sync_thread_.join();
}

void TxnLog::Start(Poster poster, DurableFn durable, FailureFn failure) {
  std::lock_guard<std::mutex> lock(mu_);
  CHECK(!started_) << "TxnLog::Start called twice";
  started_ = true;
  poster_ = std::move(poster);
  durable_ = std::move(durable);
  on_failure_ = std::move(failure);
  sync_thread_ = std::thread([this] { SyncLoop(); });
}

bool TxnLog::Append(int64_t zxid, std::string txn) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    CHECK(started_) << "TxnLog::Append before Start";
    if (!failure_.ok()) return false;
    CHECK_GT(zxid, last_zxid_) << "zxids must be appended in increasing order";
    last_zxid_ = zxid;
    queue_.push_back(Entry{zxid, std::move(txn)});
  }
  work_cv_.notify_one();
  return true;
}

void TxnLog::SyncLoop() {
  leveldb::WriteOptions sync_write;
  sync_write.sync = true;
  std::vector<Entry> batch_entries;
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    work_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty() || !failure_.ok()) break;
    // Take everything queued, up to the batch cap (always at least one txn).
    size_t bytes = 0, n = 0;
    while (n < queue_.size() &&
           (n == 0 || bytes + queue_[n].txn.size() <= options_.max_batch_bytes)) {
      bytes += queue_[n].txn.size();
      ++n;
    }
    batch_entries.assign(std::make_move_iterator(queue_.begin()),
                         std::make_move_iterator(queue_.begin() + n));
    queue_.erase(queue_.begin(), queue_.begin() + n);
    writing_ = true;
    lock.unlock();

    leveldb::WriteBatch batch;
    for (const Entry& e : batch_entries) {
      batch.Put(log_format::EncodeKey(e.zxid), log_format::EncodeValue(e.zxid, e.txn));
    }
    Status s = db_->Write(sync_write, &batch);
    int64_t last = batch_entries.back().zxid;

    lock.lock();
    writing_ = false;
    if (s.ok()) {
      durable_zxid_ = last;
      stats_.appended += batch_entries.size();
      stats_.syncs++;
      stats_.max_batch = std::max<uint64_t>(stats_.max_batch, batch_entries.size());
    } else {
      LOG(ERROR) << "Transaction log write failed at zxid 0x" << std::hex
                 << batch_entries.front().zxid << std::dec << ": " << s.ToString()
                 << "; refusing further writes";
      failure_ = s;
      queue_.clear();  // never durable, never acknowledged
    }
    idle_cv_.notify_all();
    lock.unlock();
    // Posted outside the lock: an inline poster may call straight back in.
    if (s.ok()) {
      if (durable_) poster_([fn = durable_, last] { fn(last); });
    } else if (on_failure_) {
      poster_([fn = on_failure_, s] { fn(s); });
    }
    batch_entries.clear();
    lock.lock();
  }
  idle_cv_.notify_all();
}

void TxnLog::WaitIdle(std::unique_lock<std::mutex>& lock) {
  idle_cv_.wait(lock, [this] {
    return (queue_.empty() && !writing_) || !failure_.ok() || (stopping_ && !writing_);
  });
}

Status TxnLog::Flush() {
  std::unique_lock<std::mutex> lock(mu_);
  WaitIdle(lock);
  return failure_;
}

Status TxnLog::Truncate(int64_t after_zxid, uint64_t* removed_count) {
  std::unique_lock<std::mutex> lock(mu_);
  WaitIdle(lock);
  if (!failure_.ok()) return failure_;
  // Holding mu_ keeps the sync thread idle while the tail goes.
  leveldb::WriteBatch batch;
  size_t removed = 0;
  std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(ScanOptions()));
  for (it->Seek(log_format::EncodeKey(after_zxid + 1)); it->Valid(); it->Next()) {
    int64_t zxid;
    if (!log_format::DecodeKey(std::string_view(it->key().data(), it->key().size()), &zxid)) {
      continue;
    }
    batch.Delete(it->key());
    ++removed;
  }
  // A damaged block past the cut cannot be listed; leveldb's status says so.
  Status s = it->status();
  it.reset();
  if (!s.ok()) return s;
  if (removed > 0) {
    leveldb::WriteOptions sync_write;
    sync_write.sync = true;
    s = db_->Write(sync_write, &batch);
    if (!s.ok()) return s;
  }
  if (removed_count != nullptr) *removed_count = removed;
  std::unique_ptr<leveldb::Iterator> last_it(db_->NewIterator(ScanOptions()));
  last_zxid_ = durable_zxid_ = LastTxnZxid(last_it.get());
  return last_it->status();
}

Status TxnLog::PurgeBefore(int64_t zxid) {
  constexpr size_t kDeletesPerBatch = 10000;
  std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(ScanOptions()));
  leveldb::WriteBatch batch;
  size_t pending = 0;
  std::string end_key = log_format::EncodeKey(zxid);
  for (it->SeekToFirst(); it->Valid() && it->key().compare(end_key) < 0; it->Next()) {
    int64_t key_zxid;
    if (!log_format::DecodeKey(std::string_view(it->key().data(), it->key().size()), &key_zxid)) {
      continue;
    }
    batch.Delete(it->key());
    if (++pending == kDeletesPerBatch) {
      Status s = db_->Write(leveldb::WriteOptions(), &batch);
      if (!s.ok()) return s;
      batch.Clear();
      pending = 0;
    }
  }
  Status s = it->status();
  it.reset();
  if (!s.ok()) return s;
  if (pending > 0) {
    s = db_->Write(leveldb::WriteOptions(), &batch);
    if (!s.ok()) return s;
  }
  // Reclaim the space of the deleted range now rather than whenever leveldb
  // happens to compact it.
  leveldb::Slice end(end_key);
  db_->CompactRange(nullptr, &end);
  return Status::OK();
}

Status TxnLog::Read(int64_t from, int64_t to, const ReadFn& fn, int64_t* bad_zxid) const {
  std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(ScanOptions()));
  for (it->Seek(log_format::EncodeKey(std::max<int64_t>(from, 0))); it->Valid(); it->Next()) {
    int64_t zxid;
    if (!log_format::DecodeKey(std::string_view(it->key().data(), it->key().size()), &zxid)) {
      continue;
    }
    if (zxid > to) break;
    std::string_view txn;
    if (!log_format::DecodeValue(zxid, std::string_view(it->value().data(), it->value().size()),
                                 &txn)) {
      if (bad_zxid != nullptr) *bad_zxid = zxid;
      char msg[64];
      std::snprintf(msg, sizeof(msg), "checksum mismatch at zxid 0x%llx",
                    static_cast<unsigned long long>(zxid));
      return Status::Corruption("transaction log", msg);
    }
    if (!fn(zxid, txn)) break;
  }
  return it->status();
}

int64_t TxnLog::FirstZxid() const {
  std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(ScanOptions()));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    int64_t zxid;
    if (log_format::DecodeKey(std::string_view(it->key().data(), it->key().size()), &zxid)) {
      return zxid;
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.empty() ? 0 : queue_.front().zxid;
}

int64_t TxnLog::LastZxid() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_zxid_;
}

int64_t TxnLog::DurableZxid() const {
  std::lock_guard<std::mutex> lock(mu_);
  return durable_zxid_;
}

Status TxnLog::failure() const {
  std::lock_guard<std::mutex> lock(mu_);
  return failure_;
}

TxnLog::Stats TxnLog::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

}  // namespace zk::storage
