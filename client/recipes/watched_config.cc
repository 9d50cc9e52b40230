#include "client/recipes/watched_config.h"

#include <mutex>

namespace zk::recipes {

struct WatchedConfig::State {
  State(SyncClient& z, std::string p, Callback cb)
      : zk(z), path(std::move(p)), callback(std::move(cb)) {}
  SyncClient& zk;
  const std::string path;
  Callback callback;
  // Held while refreshing so the destructor can wait out a running callback.
  std::mutex run_mu;
  bool stopped = false;
  bool reported = false;
  int64_t last_mzxid = -1;  // -1 with reported: reported as absent
  mutable std::mutex value_mu;
  std::optional<std::string> value;
};

WatchedConfig::WatchedConfig(SyncClient& zk, std::string path, Callback callback)
    : state_(std::make_shared<State>(zk, std::move(path), std::move(callback))) {}

WatchedConfig::~WatchedConfig() {
  std::lock_guard<std::mutex> lock(state_->run_mu);
  state_->stopped = true;
}

Err WatchedConfig::Start() {
  Err err = state_->zk.Exists("/");
  if (err != Err::kOk) return err;
  Refresh(state_);
  return Err::kOk;
}

void WatchedConfig::Refresh(const std::shared_ptr<State>& state) {
  std::lock_guard<std::mutex> lock(state->run_mu);
  if (state->stopped) return;
  std::weak_ptr<State> weak = state;
  client::Watcher watcher = [weak](const client::WatchedEvent&) {
    if (auto s = weak.lock()) Refresh(s);
  };
  SyncClient& zk = state->zk;
  std::optional<std::string> value;
  client::Stat stat;
  while (true) {
    std::string data;
    Err err =
        RetryOnConnectionLoss(zk, [&] { return zk.GetData(state->path, &data, &stat, watcher); });
    if (err == Err::kOk) {
      value = std::move(data);
      break;
    }
    if (err != Err::kNoNode) return;  // session over
    err = RetryOnConnectionLoss(zk, [&] { return zk.Exists(state->path, &stat, watcher); });
    if (err == Err::kNoNode) {
      stat = client::Stat();
      break;
    }
    if (err != Err::kOk) return;
    // Created between the two reads: read it again.
  }
  const int64_t mzxid = value ? stat.mzxid : -1;
  if (state->reported && mzxid == state->last_mzxid) return;  // nothing new
  if (value && state->last_mzxid > mzxid) return;             // older than reported
  state->reported = true;
  state->last_mzxid = mzxid;
  {
    std::lock_guard<std::mutex> value_lock(state->value_mu);
    state->value = value;
  }
  if (state->callback) state->callback(value, stat);
}

std::optional<std::string> WatchedConfig::Value() const {
  std::lock_guard<std::mutex> lock(state_->value_mu);
  return state_->value;
}

}  // namespace zk::recipes
