#include "server/session/session_tracker.h"

namespace zk::session {
namespace {

// splitmix64: a tiny, well-mixed deterministic generator for the password bytes.
uint64_t Mix(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

constexpr uint64_t kPasswordSecret = 0xB3415C00ULL;

}  // namespace

SessionTracker::SessionTracker(int64_t server_id, int32_t tick_ms, int64_t now_ms)
    : tick_ms_(tick_ms > 0 ? tick_ms : 1) {
  uint64_t base = (static_cast<uint64_t>(now_ms) << 24) >> 8;
  next_session_id_ = static_cast<int64_t>(base | (static_cast<uint64_t>(server_id) << 56));
}

int64_t SessionTracker::NextSessionId() {
  int64_t id = next_session_id_++;
  while (id == 0 || sessions_.count(id)) id = next_session_id_++;
  return id;
}

std::string SessionTracker::PasswordFor(int64_t session_id) {
  uint64_t state = static_cast<uint64_t>(session_id) ^ kPasswordSecret;
  std::string out(16, '\0');
  for (int word = 0; word < 2; word++) {
    uint64_t v = Mix(state);
    for (int b = 0; b < 8; b++) out[word * 8 + b] = static_cast<char>(v >> (8 * b));
  }
  return out;
}

int64_t SessionTracker::BucketFor(int64_t deadline_ms) const {
  return (deadline_ms / tick_ms_ + 1) * tick_ms_;
}

void SessionTracker::MoveToBucket(int64_t session_id, Session& s, int64_t bucket) {
  if (s.bucket == bucket) return;
  if (auto it = buckets_.find(s.bucket); it != buckets_.end()) {
    it->second.erase(session_id);
    if (it->second.empty()) buckets_.erase(it);
  }
  s.bucket = bucket;
  buckets_[bucket].insert(session_id);
}

void SessionTracker::Add(int64_t session_id, int32_t timeout_ms, int64_t now_ms) {
  Session& s = sessions_[session_id];
  s.timeout_ms = timeout_ms;
  s.closing = false;
  MoveToBucket(session_id, s, BucketFor(now_ms + timeout_ms));
}

void SessionTracker::Remove(int64_t session_id) {
  auto it = sessions_.find(session_id);
  if (it == sessions_.end()) return;
  MoveToBucket(session_id, it->second, 0);
  buckets_.erase(0);
  sessions_.erase(it);
}

bool SessionTracker::Touch(int64_t session_id, int64_t now_ms) {
  auto it = sessions_.find(session_id);
  if (it == sessions_.end() || it->second.closing) return false;
  MoveToBucket(session_id, it->second, BucketFor(now_ms + it->second.timeout_ms));
  return true;
}

bool SessionTracker::IsAlive(int64_t session_id) const {
  auto it = sessions_.find(session_id);
  return it != sessions_.end() && !it->second.closing;
}

int32_t SessionTracker::TimeoutOf(int64_t session_id) const {
  auto it = sessions_.find(session_id);
  return it == sessions_.end() ? 0 : it->second.timeout_ms;
}

void SessionTracker::SetClosing(int64_t session_id) {
  if (auto it = sessions_.find(session_id); it != sessions_.end()) it->second.closing = true;
}

std::vector<int64_t> SessionTracker::TakeExpired(int64_t now_ms) {
  std::vector<int64_t> expired;
  while (!buckets_.empty() && buckets_.begin()->first <= now_ms) {
    for (int64_t id : buckets_.begin()->second) {
      sessions_[id].closing = true;
      sessions_[id].bucket = 0;
      expired.push_back(id);
    }
    buckets_.erase(buckets_.begin());
  }
  return expired;
}

std::vector<std::pair<int64_t, int32_t>> SessionTracker::List() const {
  std::vector<std::pair<int64_t, int32_t>> out;
  out.reserve(sessions_.size());
  for (const auto& [id, s] : sessions_) out.emplace_back(id, s.timeout_ms);
  return out;
}

std::vector<std::pair<int64_t, int64_t>> SessionTracker::Deadlines() const {
  std::vector<std::pair<int64_t, int64_t>> out;
  for (const auto& [bucket, ids] : buckets_) {
    for (int64_t id : ids) out.emplace_back(id, bucket);
  }
  return out;
}

}  // namespace zk::session
