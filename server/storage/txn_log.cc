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

struct TxnLog::Batch {
  leveldb::WriteBatch writes;
  int64_t first_zxid = 0;
  int64_t last_zxid = 0;
  size_t count = 0;
  size_t bytes = 0;
};

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

bool TxnLog::Append(int64_t zxid, std::string_view txn) {
  bool wake = false;  // only an empty queue or a new batch changes what the sync thread waits for
  {
    std::lock_guard<std::mutex> lock(mu_);
    CHECK(started_) << "TxnLog::Append before Start";
    if (!failure_.ok()) return false;
    CHECK_GT(zxid, last_zxid_) << "zxids must be appended in increasing order";
    last_zxid_ = zxid;
    // A new batch once the last one is full; a txn bigger than the cap gets
    // one of its own.
    if (queue_.empty() || (queue_.back()->count > 0 &&
                           queue_.back()->bytes + txn.size() > options_.max_batch_bytes)) {
      wake = true;
      queue_.push_back(spare_ != nullptr ? std::move(spare_) : std::make_unique<Batch>());
    }
    Batch& batch = *queue_.back();
    log_format::EncodeValueInto(zxid, txn, &value_);
    batch.writes.Put(log_format::EncodeKey(zxid), value_);
    if (batch.count++ == 0) batch.first_zxid = zxid;
    batch.last_zxid = zxid;
    batch.bytes += txn.size();
  }
  if (wake) work_cv_.notify_one();
  return true;
}

void TxnLog::SyncLoop() {
  leveldb::WriteOptions sync_write;
  sync_write.sync = options_.sync;
  std::unique_lock<std::mutex> lock(mu_);
  // When the previous sync started, and whether writes were waiting as it ended.
  auto last_start = std::chrono::steady_clock::now();
  bool busy = false;
  while (true) {
    work_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (busy && options_.sync && !stopping_) {
      // Let the batch fill until the window ends or a second batch starts.
      work_cv_.wait_until(lock, last_start + options_.sync_window,
                          [this] { return stopping_ || queue_.size() > 1; });
    }
    if (queue_.empty() || !failure_.ok()) break;
    std::unique_ptr<Batch> batch = std::move(queue_.front());
    queue_.pop_front();
    writing_ = true;
    lock.unlock();

    last_start = std::chrono::steady_clock::now();
    Status s = db_->Write(sync_write, &batch->writes);

    lock.lock();
    writing_ = false;
    busy = !queue_.empty();
    int64_t last = batch->last_zxid;
    if (s.ok()) {
      durable_zxid_ = last;
      stats_.appended += batch->count;
      stats_.syncs++;
      stats_.max_batch = std::max<uint64_t>(stats_.max_batch, batch->count);
    } else {
      LOG(ERROR) << "Transaction log write failed at zxid 0x" << std::hex << batch->first_zxid
                 << std::dec << ": " << s.ToString() << "; refusing further writes";
      failure_ = s;
      queue_.clear();  // never durable, never acknowledged
    }
    batch->writes.Clear();
    batch->count = batch->bytes = 0;
    spare_ = std::move(batch);
    idle_cv_.notify_all();
    lock.unlock();
    // Posted outside the lock: an inline poster may call straight back in.
    if (s.ok()) {
      if (durable_) poster_([fn = durable_, last] { fn(last); });
    } else if (on_failure_) {
      poster_([fn = on_failure_, s] { fn(s); });
    }
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
  return queue_.empty() ? 0 : queue_.front()->first_zxid;
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
