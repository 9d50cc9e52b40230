// Group membership and service registry (kazoo's Party, Curator's
// ServiceDiscovery in its simplest form).
//
// A GroupMember is an ephemeral node <group>/<member id> whose data describes
// the member (an address, say). It lives as long as the member's session:
// when the session expires the server deletes it and every GroupWatcher sees
// the member leave; the member's own listener is told too. Rejoining needs
// a new handle.
//
// A GroupWatcher keeps a children watch on the group and calls back with the
// whole member list after every change (and once at Start). Callbacks run
// in order on the client's event thread; a burst of changes may be reported
// as one call with the latest list, never a stale one after a newer one.
// Watches survive reconnects (the client re-registers them).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "client/recipes/recipe_util.h"
#include "client/recipes/session_monitor.h"

namespace zk::recipes {

class GroupMember {
 public:
  // REQUIRES: zk outlives the member.
  GroupMember(SyncClient& zk, std::string group, std::string member_id, std::string data = "");
  // Leaves the group.
  ~GroupMember();

  GroupMember(const GroupMember&) = delete;
  GroupMember& operator=(const GroupMember&) = delete;

  // Runs once (on a monitor thread) when the session ends while joined.
  void SetLostListener(std::function<void()> listener) { lost_listener_ = std::move(listener); }

  // Creates the member node (and the group). kNodeExists when another live
  // session registered the same id.
  Err Join();
  Err Leave();
  // Updates the member's data.
  Err Update(const std::string& data);

  const std::string& Path() const { return path_; }

 private:
  SyncClient& zk_;
  const std::string group_;
  const std::string path_;
  std::string data_;
  std::function<void()> lost_listener_;
  std::unique_ptr<SessionMonitor> monitor_;
  bool joined_ = false;
};

// Member ids (sorted) and, when data is given, their data in the same order.
Err ListMembers(SyncClient& zk, const std::string& group, std::vector<std::string>* ids,
                std::vector<std::string>* data = nullptr);

class GroupWatcher {
 public:
  using Callback = std::function<void(const std::vector<std::string>& member_ids)>;

  // REQUIRES: zk outlives the watcher.
  GroupWatcher(SyncClient& zk, std::string group, Callback callback);
  // No callback runs after this returns. REQUIRES: not called from the callback.
  ~GroupWatcher();

  GroupWatcher(const GroupWatcher&) = delete;
  GroupWatcher& operator=(const GroupWatcher&) = delete;

  // Creates the group if missing, reads it, reports it, and starts watching.
  Err Start();
  // The last member list reported.
  std::vector<std::string> Members() const;

 private:
  struct State;
  static void Refresh(const std::shared_ptr<State>& state);

  std::shared_ptr<State> state_;
};

}  // namespace zk::recipes
