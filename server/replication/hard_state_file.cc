#include "server/replication/hard_state_file.h"

#include <cinttypes>
#include <cstdio>

namespace zk::replication {
namespace {

constexpr const char* kFileName = "epoch";

std::string Format(const zab::HardState& hs) {
  char buf[96];
  std::snprintf(buf, sizeof(buf), "%" PRId64 " %" PRId64 " %" PRId64 "\n", hs.accepted_epoch,
                hs.current_epoch, hs.vote);
  return buf;
}

}  // namespace

storage::Status LoadHardState(storage::FileEnv* env, const std::string& dir, zab::HardState* out) {
  *out = zab::HardState();
  std::vector<std::string> names;
  if (storage::Status s = env->GetChildren(dir, &names); !s.ok()) return s;
  bool exists = false;
  for (const std::string& name : names) exists = exists || name == kFileName;
  if (!exists) return storage::Status::OK();
  std::string text;
  if (storage::Status s = env->ReadFile(dir + "/" + kFileName, &text); !s.ok()) return s;
  zab::HardState hs;
  if (std::sscanf(text.c_str(), "%" SCNd64 " %" SCNd64 " %" SCNd64, &hs.accepted_epoch,
                  &hs.current_epoch, &hs.vote) != 3 ||
      Format(hs) != text) {
    return storage::Status::Corruption(dir + "/" + kFileName, "not an epoch file");
  }
  *out = hs;
  return storage::Status::OK();
}

storage::Status SaveHardState(storage::FileEnv* env, const std::string& dir,
                              const zab::HardState& hs) {
  const std::string path = dir + "/" + kFileName;
  const std::string tmp = path + ".tmp";
  std::unique_ptr<storage::WritableFile> file;
  storage::Status s = env->CreateDirs(dir);
  if (s.ok()) s = env->NewWritableFile(tmp, &file);
  if (s.ok()) s = file->Append(Format(hs));
  if (s.ok()) s = file->Sync();
  if (s.ok()) s = file->Close();
  if (s.ok()) s = env->RenameFile(tmp, path);
  if (s.ok()) s = env->SyncDir(dir);
  return s;
}

}  // namespace zk::replication
