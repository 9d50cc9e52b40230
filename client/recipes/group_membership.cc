#include "client/recipes/group_membership.h"

#include <algorithm>

namespace zk::recipes {

GroupMember::GroupMember(SyncClient& zk, std::string group, std::string member_id, std::string data)
    : zk_(zk),
      group_(std::move(group)),
      path_(JoinPath(group_, member_id)),
      data_(std::move(data)) {}

GroupMember::~GroupMember() {
  if (joined_) Leave();
}

Err GroupMember::Join() {
  if (joined_) return Err::kOk;
  Err err = EnsurePath(zk_, group_);
  if (err != Err::kOk) return err;
  err = RetryOnConnectionLoss(zk_, [&] {
    return zk_.Create(path_, data_, client::OpenAclUnsafe(), CreateMode::kEphemeral);
  });
  if (err == Err::kNodeExists) {
    // Ours if a lost reply hid our own create.
    client::Stat stat;
    if (zk_.Exists(path_, &stat) == Err::kOk && stat.ephemeralOwner == zk_.Async().SessionId()) {
      err = Err::kOk;
    }
  }
  if (err != Err::kOk) return err;
  joined_ = true;
  monitor_ = std::make_unique<SessionMonitor>(zk_, [this](KeeperState) {
    if (lost_listener_) lost_listener_();
  });
  return Err::kOk;
}

Err GroupMember::Leave() {
  monitor_.reset();
  if (!joined_) return Err::kOk;
  joined_ = false;
  if (SessionIsDead(zk_)) return Err::kOk;  // the server removed the node
  Err err = RetryOnConnectionLoss(zk_, [&] { return zk_.Delete(path_); });
  return err == Err::kNoNode ? Err::kOk : err;
}

Err GroupMember::Update(const std::string& data) {
  data_ = data;
  if (!joined_) return Err::kOk;
  return RetryOnConnectionLoss(zk_, [&] { return zk_.SetData(path_, data); });
}

Err ListMembers(SyncClient& zk, const std::string& group, std::vector<std::string>* ids,
                std::vector<std::string>* data) {
  std::vector<std::string> children;
  Err err = RetryOnConnectionLoss(zk, [&] { return zk.GetChildren(group, &children); });
  if (err != Err::kOk) return err;
  std::sort(children.begin(), children.end());
  ids->clear();
  if (data != nullptr) data->clear();
  for (const auto& id : children) {
    if (data != nullptr) {
      std::string value;
      err = RetryOnConnectionLoss(zk, [&] { return zk.GetData(JoinPath(group, id), &value); });
      if (err == Err::kNoNode) continue;  // left meanwhile
      if (err != Err::kOk) return err;
      data->push_back(value);
    }
    ids->push_back(id);
  }
  return Err::kOk;
}

struct GroupWatcher::State {
  State(SyncClient& z, std::string g, Callback cb)
      : zk(z), group(std::move(g)), callback(std::move(cb)) {}
  SyncClient& zk;
  std::string group;
  Callback callback;
  // Held while refreshing so the destructor can wait out a running callback.
  std::mutex run_mu;
  bool stopped = false;
  mutable std::mutex members_mu;
  std::vector<std::string> members;
};

GroupWatcher::GroupWatcher(SyncClient& zk, std::string group, Callback callback)
    : state_(std::make_shared<State>(zk, std::move(group), std::move(callback))) {}

GroupWatcher::~GroupWatcher() {
  std::lock_guard<std::mutex> lock(state_->run_mu);
  state_->stopped = true;
}

Err GroupWatcher::Start() {
  Err err = EnsurePath(state_->zk, state_->group);
  if (err != Err::kOk) return err;
  Refresh(state_);
  return Err::kOk;
}

void GroupWatcher::Refresh(const std::shared_ptr<State>& state) {
  std::lock_guard<std::mutex> lock(state->run_mu);
  if (state->stopped) return;
  std::weak_ptr<State> weak = state;
  client::Watcher watcher = [weak](const client::WatchedEvent&) {
    if (auto s = weak.lock()) Refresh(s);
  };
  std::vector<std::string> children;
  Err err = RetryOnConnectionLoss(
      state->zk, [&] { return state->zk.GetChildren(state->group, &children, watcher); });
  // kNoNode: the group was deleted; nothing more to watch.
  if (err != Err::kOk) return;
  std::sort(children.begin(), children.end());
  {
    std::lock_guard<std::mutex> members_lock(state->members_mu);
    state->members = children;
  }
  if (state->callback) state->callback(children);
}

std::vector<std::string> GroupWatcher::Members() const {
  std::lock_guard<std::mutex> lock(state_->members_mu);
  return state_->members;
}

}  // namespace zk::recipes
