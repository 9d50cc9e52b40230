// The durable transaction log: every txn in zxid order, kept in leveldb.
//
// Appends are group-committed. The owner thread calls Append(), which encodes
// the txn straight into the leveldb WriteBatch being filled; a dedicated sync
// thread writes each filled batch with sync=true, then reports "durable up to
// zxid" through the DurableFn, posted with the caller's Poster so it runs on
// the owner's thread. Many txns share one fsync, so throughput is bounded by
// the disk's bandwidth, not its fsync rate. While writes keep arriving, syncs
// start at most once per `sync_window`: a millisecond or two of extra latency
// under load buys batches large enough that the fsyncs, and the wakeups and
// sends that follow each one, stop dominating the CPU spent per write. A sync
// that finds nothing else waiting when it ends does not delay the next one.
//
// A failed write (disk full, I/O error) is a hard failure: nothing after it is
// reported durable, FailureFn is posted once, and every later Append() is
// refused. The log does not retry: a server must stop acknowledging writes.
//
// Thread-safety: Append, Flush and the accessors may be called from any thread.
// Truncate and PurgeBefore may also, but Truncate must not race with Append
// (the caller's ordering logic owns that). The callbacks run wherever the
// Poster puts them and must not block on the log.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "server/storage/status.h"

namespace leveldb {
class DB;
class Env;
class WriteBatch;
}  // namespace leveldb

namespace zk::storage {

struct TxnLogOptions {
  std::string dir;                   // the leveldb directory; created if missing
  leveldb::Env* env = nullptr;       // null: leveldb's default (POSIX) env
  size_t max_batch_bytes = 8 << 20;  // one WriteBatch (and one fsync) at most this big
  // Under continuous load, at least this long from one sync's start to the
  // next; zero syncs as soon as the previous one ends.
  std::chrono::microseconds sync_window{2000};
  // False (zoo.cfg forceSync=no): write without fsync. A crash of the machine,
  // not only of the process, may then lose acknowledged writes.
  bool sync = true;
};

class TxnLog {
 public:
  using Task = std::function<void()>;
  // Runs a task on the owner's thread, e.g. [&io](Task t) { asio::post(io, std::move(t)); }.
  using Poster = std::function<void(Task)>;
  using DurableFn = std::function<void(int64_t zxid)>;
  using FailureFn = std::function<void(const Status&)>;
  // Called with each entry of a range; return false to stop early.
  using ReadFn = std::function<bool(int64_t zxid, std::string_view txn)>;

  struct Stats {
    uint64_t appended = 0;   // txns made durable
    uint64_t syncs = 0;      // WriteBatch + fsync rounds
    uint64_t max_batch = 0;  // most txns in one round
  };

  // Opens the log, creating it if missing. Does not verify entries (recovery
  // does, while replaying).
  static Status Open(const TxnLogOptions& options, std::unique_ptr<TxnLog>* log);

  TxnLog(const TxnLog&) = delete;
  TxnLog& operator=(const TxnLog&) = delete;
  // Writes what is queued, then stops the sync thread.
  ~TxnLog();

  // Starts the sync thread. REQUIRES: called once, before the first Append.
  void Start(Poster poster, DurableFn durable, FailureFn failure);

  // Queues a txn to be written. Returns false, dropping it, once the log has
  // failed. REQUIRES: Start() was called; zxid > every zxid appended before.
  bool Append(int64_t zxid, std::string_view txn);

  // Blocks until every queued txn is written or the log fails.
  Status Flush();

  // Removes every entry with zxid > after_zxid (ZAB's TRUNC, a torn tail).
  // Waits for queued appends first. Durable when it returns OK. Sets
  // *removed (when non-null) to the number of entries removed.
  Status Truncate(int64_t after_zxid, uint64_t* removed = nullptr);

  // Removes every entry with zxid < zxid (autopurge). Not synced: an entry
  // that comes back after a crash is purged again next time.
  Status PurgeBefore(int64_t zxid);

  // Calls fn for each entry with from <= zxid <= to, in order. Returns
  // Corruption (and sets *bad_zxid when non-null) at the first entry whose
  // checksum fails, after calling fn for every entry before it.
  Status Read(int64_t from, int64_t to, const ReadFn& fn, int64_t* bad_zxid = nullptr) const;

  // Zxid of the first / last entry on disk or queued; 0 when the log is empty.
  int64_t FirstZxid() const;
  int64_t LastZxid() const;
  // Highest zxid known durable; 0 before anything is.
  int64_t DurableZxid() const;
  // OK while the log is healthy; the hard error once a write failed.
  Status failure() const;
  Stats stats() const;

 private:
  // Txns encoded for one leveldb write, in zxid order.
  struct Batch;

  TxnLog(TxnLogOptions options, leveldb::DB* db, int64_t last_zxid);
  void SyncLoop();
  // Waits until the sync thread has nothing queued or in flight.
  void WaitIdle(std::unique_lock<std::mutex>& lock);

  const TxnLogOptions options_;
  std::unique_ptr<leveldb::DB> db_;

  mutable std::mutex mu_;
  std::condition_variable work_cv_;  // signalled when work is queued or on stop
  std::condition_variable idle_cv_;  // signalled after each write round
  // Filled batches, oldest first; Append adds to the last one. Guarded by mu_.
  std::deque<std::unique_ptr<Batch>> queue_;
  std::unique_ptr<Batch> spare_;  // guarded by mu_: a written batch kept for its buffers
  std::string value_;             // guarded by mu_: Append's encoding buffer
  bool writing_ = false;          // guarded by mu_: a batch is in flight
  bool stopping_ = false;         // guarded by mu_
  bool started_ = false;          // guarded by mu_
  int64_t last_zxid_;             // guarded by mu_
  int64_t durable_zxid_;          // guarded by mu_
  Status failure_;                // guarded by mu_
  Stats stats_;                   // guarded by mu_

  Poster poster_;
  DurableFn durable_;
  FailureFn on_failure_;
  std::thread sync_thread_;
};

}  // namespace zk::storage
