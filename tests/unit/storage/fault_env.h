// File layers for tests that lose whatever was not synced, as a power cut
// would, and that can fail or slow down writes on demand.
#pragma once

#include <leveldb/env.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "server/storage/file_env.h"

namespace zk::storage::testing {

// Wraps leveldb's default Env for the transaction log.
class FaultLevelDbEnv : public leveldb::EnvWrapper {
 public:
  FaultLevelDbEnv() : EnvWrapper(leveldb::Env::Default()) {}

  leveldb::Status NewWritableFile(const std::string& name, leveldb::WritableFile** file) override;
  leveldb::Status NewAppendableFile(const std::string& name, leveldb::WritableFile** file) override;
  leveldb::Status RemoveFile(const std::string& name) override;
  leveldb::Status RenameFile(const std::string& from, const std::string& to) override;

  // Every later Append, Flush and Sync fails with an IOError.
  void SetFailWrites(bool fail) { fail_writes_ = fail; }
  bool fail_writes() const { return fail_writes_; }
  // Each Sync sleeps this long first, so appends pile up behind it.
  void SetSyncDelayMicros(int micros) { sync_delay_micros_ = micros; }
  int sync_delay_micros() const { return sync_delay_micros_; }
  // Syncs of leveldb's write-ahead log files (*.log).
  uint64_t log_syncs() const { return log_syncs_; }

  // Cuts every file written through this env back to its last synced size.
  // REQUIRES: the database is closed.
  void DropUnsyncedData();

  // Bookkeeping for the file wrapper.
  void Appended(const std::string& name, uint64_t bytes);
  void Synced(const std::string& name);

 private:
  struct FileState {
    uint64_t size = 0;
    uint64_t synced = 0;
  };
  std::mutex mu_;
  std::map<std::string, FileState> files_;
  std::atomic<bool> fail_writes_{false};
  std::atomic<int> sync_delay_micros_{0};
  std::atomic<uint64_t> log_syncs_{0};
};

// Wraps FileEnv::Default() for snapshots. Renames count only once their
// directory is synced.
class FaultFileEnv : public FileEnv {
 public:
  Status NewWritableFile(const std::string& path, std::unique_ptr<WritableFile>* file) override;
  Status ReadFile(const std::string& path, std::string* contents) override;
  Status RenameFile(const std::string& from, const std::string& to) override;
  Status RemoveFile(const std::string& path) override;
  Status GetChildren(const std::string& dir, std::vector<std::string>* names) override;
  Status CreateDirs(const std::string& dir) override;
  Status SyncDir(const std::string& dir) override;
  Status GetFileSize(const std::string& path, uint64_t* size) override;

  void SetFailWrites(bool fail) { fail_writes_ = fail; }
  bool fail_writes() const { return fail_writes_; }
  // Sync blocks until Release() while held.
  void Hold();
  void Release();
  void WaitUntilHeld();

  // Cuts files back to their synced size and undoes renames whose directory
  // was not synced, newest first.
  void DropUnsyncedData();

  void Appended(const std::string& path, uint64_t bytes);
  void Synced(const std::string& path);

 private:
  FileEnv* base_ = FileEnv::Default();
  std::mutex mu_;
  std::map<std::string, std::pair<uint64_t, uint64_t>> files_;  // size, synced
  std::vector<std::pair<std::string, std::string>> pending_renames_;
  std::atomic<bool> fail_writes_{false};
  std::condition_variable hold_cv_;
  bool held_ = false;
  bool waiting_in_sync_ = false;
};

}  // namespace zk::storage::testing
