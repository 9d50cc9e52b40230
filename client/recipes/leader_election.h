// Leader election (Curator's LeaderLatch, kazoo's Election): every
// participant queues an ephemeral-sequential node; the owner of the lowest
// one leads. It is a Lock held by a background thread, so it inherits the
// lock's guarantees: at most one leader per session-lifetime of its node,
// herd-free hand-over in arrival order.
//
// The listener runs with true when this participant becomes leader and with
// false when it stops being leader: Close(), or its session ending (expired
// or closed), after which the server deletes its node and the next
// participant takes over. A participant whose session expired stays out;
// rejoin with a new handle and a new LeaderElection.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "client/recipes/lock.h"

namespace zk::recipes {

class LeaderElection {
 public:
  using Listener = std::function<void(bool is_leader)>;

  // participant_id is stored in the node so others can tell who leads.
  // The listener runs on an internal thread (or in Close()) and must not
  // call Close().
  // REQUIRES: zk outlives the election.
  LeaderElection(SyncClient& zk, std::string dir, std::string participant_id,
                 Listener listener = nullptr);
  ~LeaderElection();

  LeaderElection(const LeaderElection&) = delete;
  LeaderElection& operator=(const LeaderElection&) = delete;

  // Joins the election and returns at once.
  void Start();
  // Leaves (telling the listener if this participant led). Idempotent.
  void Close();

  // False as soon as the handle knows its session ended (see Lock::IsHeld).
  bool IsLeader() const { return leader_ && !SessionIsDead(zk_); }
  // Waits until this participant leads. False on timeout or ended session.
  bool AwaitLeadership(std::chrono::milliseconds timeout);

  // The id of the current leader (kNoNode when nobody leads).
  Err CurrentLeader(std::string* id);
  // Ids of all participants in queue order, leader first.
  Err Participants(std::vector<std::string>* ids);

 private:
  void Run();
  void SetLeader(bool leader);

  SyncClient& zk_;
  const std::string dir_;
  Listener listener_;
  Lock lock_;
  std::atomic<bool> closing_{false};
  std::atomic<bool> leader_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  std::thread thread_;
};

}  // namespace zk::recipes
