#include "client/recipes/leader_election.h"

namespace zk::recipes {

LeaderElection::LeaderElection(SyncClient& zk, std::string dir, std::string participant_id,
                               Listener listener)
    : zk_(zk),
      dir_(dir),
      listener_(std::move(listener)),
      lock_(zk, std::move(dir), LockMode::kExclusive, std::move(participant_id)) {
  lock_.SetLostListener([this] { SetLeader(false); });
}

LeaderElection::~LeaderElection() { Close(); }

void LeaderElection::Start() {
  if (thread_.joinable() || closing_) return;
  thread_ = std::thread([this] { Run(); });
}

void LeaderElection::Run() {
  while (!closing_ && !SessionIsDead(zk_)) {
    Err err = lock_.Acquire();
    if (err == Err::kOk) {
      if (closing_) return;  // Close() releases
      SetLeader(true);
      return;
    }
    if (err == Err::kSessionExpired) return;
    // kConnectionLoss after retries, or cancelled: try again unless closing.
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

void LeaderElection::SetLeader(bool leader) {
  if (leader_.exchange(leader) == leader) return;
  {
    // Taking the mutex orders the flag with a waiter about to sleep.
    std::lock_guard<std::mutex> lock(mu_);
  }
  cv_.notify_all();
  if (listener_) listener_(leader);
}

void LeaderElection::Close() {
  if (closing_.exchange(true)) return;
  lock_.Cancel();
  if (thread_.joinable()) thread_.join();
  lock_.Release();
  SetLeader(false);
}

bool LeaderElection::AwaitLeadership(std::chrono::milliseconds timeout) {
  Clock::time_point deadline = DeadlineAfter(timeout);
  std::unique_lock<std::mutex> lock(mu_);
  while (!leader_) {
    auto now = Clock::now();
    if (now >= deadline || closing_ || SessionIsDead(zk_)) return false;
    cv_.wait_until(lock, std::min(deadline, now + std::chrono::milliseconds(50)));
  }
  return true;
}

Err LeaderElection::Participants(std::vector<std::string>* ids) {
  std::vector<std::string> children;
  Err err = RetryOnConnectionLoss(zk_, [&] { return zk_.GetChildren(dir_, &children); });
  if (err != Err::kOk) return err;
  ids->clear();
  for (const auto& name : SortedBySequence(children)) {
    std::string id;
    err = RetryOnConnectionLoss(zk_, [&] { return zk_.GetData(JoinPath(dir_, name), &id); });
    if (err == Err::kNoNode) continue;  // left meanwhile
    if (err != Err::kOk) return err;
    ids->push_back(id);
  }
  return Err::kOk;
}

Err LeaderElection::CurrentLeader(std::string* id) {
  std::vector<std::string> ids;
  Err err = Participants(&ids);
  if (err != Err::kOk) return err;
  if (ids.empty()) return Err::kNoNode;
  *id = ids.front();
  return Err::kOk;
}

}  // namespace zk::recipes
