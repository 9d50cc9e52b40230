#include "tests/unit/storage/fault_env.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>

namespace zk::storage::testing {
namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string DirOf(const std::string& path) {
  return std::filesystem::path(path).parent_path().string();
}

class FaultLevelDbFile : public leveldb::WritableFile {
 public:
  FaultLevelDbFile(FaultLevelDbEnv* env, std::string name, leveldb::WritableFile* base)
      : env_(env), name_(std::move(name)), base_(base) {}

  leveldb::Status Append(const leveldb::Slice& data) override {
    if (env_->fail_writes()) return leveldb::Status::IOError(name_, "injected write failure");
    leveldb::Status s = base_->Append(data);
    if (s.ok()) env_->Appended(name_, data.size());
    return s;
  }
  leveldb::Status Close() override { return base_->Close(); }
  leveldb::Status Flush() override {
    if (env_->fail_writes()) return leveldb::Status::IOError(name_, "injected write failure");
    return base_->Flush();
  }
  leveldb::Status Sync() override {
    if (int delay = env_->sync_delay_micros(); delay > 0) ::usleep(static_cast<useconds_t>(delay));
    if (env_->fail_writes()) return leveldb::Status::IOError(name_, "injected sync failure");
    leveldb::Status s = base_->Sync();
    if (s.ok()) env_->Synced(name_);
    return s;
  }

 private:
  FaultLevelDbEnv* env_;
  std::string name_;
  std::unique_ptr<leveldb::WritableFile> base_;
};

class FaultFile : public WritableFile {
 public:
  FaultFile(FaultFileEnv* env, std::string path, std::unique_ptr<WritableFile> base)
      : env_(env), path_(std::move(path)), base_(std::move(base)) {}
  Status Append(std::string_view data) override {
    if (env_->fail_writes()) return Status::IOError(path_, "injected write failure");
    Status s = base_->Append(data);
    if (s.ok()) env_->Appended(path_, data.size());
    return s;
  }
  Status Sync() override {
    if (env_->fail_writes()) return Status::IOError(path_, "injected sync failure");
    Status s = base_->Sync();
    if (s.ok()) env_->Synced(path_);
    return s;
  }
  Status Close() override { return base_->Close(); }

 private:
  FaultFileEnv* env_;
  std::string path_;
  std::unique_ptr<WritableFile> base_;
};

}  // namespace

leveldb::Status FaultLevelDbEnv::NewWritableFile(const std::string& name,
                                                 leveldb::WritableFile** file) {
  leveldb::WritableFile* base = nullptr;
  leveldb::Status s = target()->NewWritableFile(name, &base);
  if (!s.ok()) return s;
  {
    std::lock_guard<std::mutex> lock(mu_);
    files_[name] = FileState{};
  }
  *file = new FaultLevelDbFile(this, name, base);
  return s;
}

leveldb::Status FaultLevelDbEnv::NewAppendableFile(const std::string& name,
                                                   leveldb::WritableFile** file) {
  uint64_t size = 0;
  if (!target()->GetFileSize(name, &size).ok()) size = 0;
  leveldb::WritableFile* base = nullptr;
  leveldb::Status s = target()->NewAppendableFile(name, &base);
  if (!s.ok()) return s;
  {
    std::lock_guard<std::mutex> lock(mu_);
    files_[name] = FileState{size, size};
  }
  *file = new FaultLevelDbFile(this, name, base);
  return s;
}

leveldb::Status FaultLevelDbEnv::RemoveFile(const std::string& name) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    files_.erase(name);
  }
  return target()->RemoveFile(name);
}

leveldb::Status FaultLevelDbEnv::RenameFile(const std::string& from, const std::string& to) {
  leveldb::Status s = target()->RenameFile(from, to);
  if (s.ok()) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = files_.find(from);
    if (it != files_.end()) {
      files_[to] = it->second;
      files_.erase(it);
    }
  }
  return s;
}

void FaultLevelDbEnv::Appended(const std::string& name, uint64_t bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  files_[name].size += bytes;
}

void FaultLevelDbEnv::Synced(const std::string& name) {
  if (EndsWith(name, ".log")) log_syncs_++;
  std::lock_guard<std::mutex> lock(mu_);
  files_[name].synced = files_[name].size;
}

void FaultLevelDbEnv::DropUnsyncedData() {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [name, state] : files_) {
    if (state.size > state.synced) {
      if (::truncate(name.c_str(), static_cast<off_t>(state.synced)) == 0) {
        state.size = state.synced;
      }
    }
  }
}

Status FaultFileEnv::NewWritableFile(const std::string& path, std::unique_ptr<WritableFile>* file) {
  if (fail_writes_) return Status::IOError(path, "injected create failure");
  std::unique_ptr<WritableFile> base;
  Status s = base_->NewWritableFile(path, &base);
  if (!s.ok()) return s;
  {
    std::lock_guard<std::mutex> lock(mu_);
    files_[path] = {0, 0};
  }
  *file = std::make_unique<FaultFile>(this, path, std::move(base));
  return s;
}

Status FaultFileEnv::ReadFile(const std::string& path, std::string* contents) {
  return base_->ReadFile(path, contents);
}

Status FaultFileEnv::RenameFile(const std::string& from, const std::string& to) {
  Status s = base_->RenameFile(from, to);
  if (s.ok()) {
    std::lock_guard<std::mutex> lock(mu_);
    pending_renames_.emplace_back(from, to);
    if (auto it = files_.find(from); it != files_.end()) {
      files_[to] = it->second;
      files_.erase(it);
    }
  }
  return s;
}

Status FaultFileEnv::RemoveFile(const std::string& path) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    files_.erase(path);
  }
  return base_->RemoveFile(path);
}

Status FaultFileEnv::GetChildren(const std::string& dir, std::vector<std::string>* names) {
  return base_->GetChildren(dir, names);
}

Status FaultFileEnv::CreateDirs(const std::string& dir) { return base_->CreateDirs(dir); }

Status FaultFileEnv::SyncDir(const std::string& dir) {
  if (fail_writes_) return Status::IOError(dir, "injected sync failure");
  Status s = base_->SyncDir(dir);
  if (s.ok()) {
    std::lock_guard<std::mutex> lock(mu_);
    std::erase_if(pending_renames_, [&](const auto& r) { return DirOf(r.second) == dir; });
  }
  return s;
}

Status FaultFileEnv::GetFileSize(const std::string& path, uint64_t* size) {
  return base_->GetFileSize(path, size);
}

void FaultFileEnv::Hold() {
  std::lock_guard<std::mutex> lock(mu_);
  held_ = true;
}

void FaultFileEnv::Release() {
  std::lock_guard<std::mutex> lock(mu_);
  held_ = false;
  hold_cv_.notify_all();
}

void FaultFileEnv::WaitUntilHeld() {
  std::unique_lock<std::mutex> lock(mu_);
  hold_cv_.wait(lock, [this] { return waiting_in_sync_; });
}

void FaultFileEnv::Appended(const std::string& path, uint64_t bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  files_[path].first += bytes;
}

void FaultFileEnv::Synced(const std::string& path) {
  std::unique_lock<std::mutex> lock(mu_);
  if (held_) {
    waiting_in_sync_ = true;
    hold_cv_.notify_all();
    hold_cv_.wait(lock, [this] { return !held_; });
    waiting_in_sync_ = false;
  }
  files_[path].second = files_[path].first;
}

void FaultFileEnv::DropUnsyncedData() {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = pending_renames_.rbegin(); it != pending_renames_.rend(); ++it) {
    base_->RenameFile(it->second, it->first);
    if (auto f = files_.find(it->second); f != files_.end()) {
      files_[it->first] = f->second;
      files_.erase(f);
    }
  }
  pending_renames_.clear();
  for (auto& [path, state] : files_) {
    if (state.first > state.second &&
        ::truncate(path.c_str(), static_cast<off_t>(state.second)) == 0) {
      state.first = state.second;
    }
  }
}

}  // namespace zk::storage::testing
