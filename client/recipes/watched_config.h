// A watched configuration value (Curator's NodeCache, kazoo's DataWatch).
//
// Start() reads the node and keeps a data watch on it (an exists watch while
// it is absent); after every event it re-reads and re-watches. The callback
// runs on the client's event thread, once per distinct version seen, in
// commit order (by mzxid; a deleted node is reported as absent). ZooKeeper
// watches are one-shot, so writes that land between an event and the
// re-read are folded into the value read: every callback shows a committed
// value, never an older one after a newer one, and the latest value is
// always reported. Watches survive reconnects (the client re-registers
// them); when the session ends, updates stop.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "client/recipes/recipe_util.h"

namespace zk::recipes {

class WatchedConfig {
 public:
  // value is nullopt while the node does not exist.
  using Callback =
      std::function<void(const std::optional<std::string>& value, const client::Stat& stat)>;

  // REQUIRES: zk outlives the config.
  WatchedConfig(SyncClient& zk, std::string path, Callback callback);
  // No callback runs after this returns. REQUIRES: not called from the callback.
  ~WatchedConfig();

  WatchedConfig(const WatchedConfig&) = delete;
  WatchedConfig& operator=(const WatchedConfig&) = delete;

  // Reads, reports and starts watching.
  Err Start();
  // The last value reported.
  std::optional<std::string> Value() const;

 private:
  struct State;
  static void Refresh(const std::shared_ptr<State>& state);

  std::shared_ptr<State> state_;
};

}  // namespace zk::recipes
