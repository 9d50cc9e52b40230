// The file operations snapshots need, behind one interface so a test can
// inject faults and lose whatever was not synced (leveldb has its own Env for
// the log). Paths are plain strings; directories are created on demand.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "server/storage/status.h"

namespace zk::storage {

class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status Append(std::string_view data) = 0;
  // Makes everything appended so far durable (fsync).
  virtual Status Sync() = 0;
  virtual Status Close() = 0;
};

class FileEnv {
 public:
  virtual ~FileEnv() = default;

  // The real file system. Lives for the whole process.
  static FileEnv* Default();

  // Creates `path` empty, replacing any file of that name.
  virtual Status NewWritableFile(const std::string& path, std::unique_ptr<WritableFile>* file) = 0;
  virtual Status ReadFile(const std::string& path, std::string* contents) = 0;
  // Atomically replaces `to`. Durable only after SyncDir of its directory.
  virtual Status RenameFile(const std::string& from, const std::string& to) = 0;
  virtual Status RemoveFile(const std::string& path) = 0;
  // Names (not paths) of the entries of `dir`.
  virtual Status GetChildren(const std::string& dir, std::vector<std::string>* names) = 0;
  // Creates `dir` and its missing parents; OK if it exists.
  virtual Status CreateDirs(const std::string& dir) = 0;
  // Makes renames and creations inside `dir` durable.
  virtual Status SyncDir(const std::string& dir) = 0;
  virtual Status GetFileSize(const std::string& path, uint64_t* size) = 0;
};

}  // namespace zk::storage
