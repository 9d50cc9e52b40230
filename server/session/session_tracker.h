// Tracks live sessions and their deadlines, grouped in tickTime buckets as ZooKeeper's
// ExpiryQueue does, so a tick checks one bucket instead of every session.
//
// Thread-safety: owned by the server's apply thread; not synchronized.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace zk::session {

class SessionTracker {
 public:
  SessionTracker(int64_t server_id, int32_t tick_ms, int64_t now_ms);
  SessionTracker(const SessionTracker&) = delete;
  SessionTracker& operator=(const SessionTracker&) = delete;

  // A fresh session id: server id in the top byte, start time below it, as ZooKeeper does.
  int64_t NextSessionId();

  // The password clients must present to reattach. Derived from the id, so every
  // server of an ensemble computes the same one.
  static std::string PasswordFor(int64_t session_id);

  // Starts tracking `session_id`, which expires `timeout_ms` after its last touch.
  void Add(int64_t session_id, int32_t timeout_ms, int64_t now_ms);
  void Remove(int64_t session_id);

  // Pushes the deadline out. Returns false for an unknown or closing session.
  bool Touch(int64_t session_id, int64_t now_ms);

  bool IsAlive(int64_t session_id) const;
  int32_t TimeoutOf(int64_t session_id) const;  // 0 when unknown

  // Marks a session as closing: it takes no more requests while its close is ordered.
  void SetClosing(int64_t session_id);

  // Sessions whose deadline is at or before `now_ms`; they are marked closing.
  std::vector<int64_t> TakeExpired(int64_t now_ms);

  size_t Count() const { return sessions_.size(); }
  // Every live session id with its timeout, for the `dump` and `cons` words.
  std::vector<std::pair<int64_t, int32_t>> List() const;
  // Every session id with the tick bucket it expires in (ms), for `dump`.
  std::vector<std::pair<int64_t, int64_t>> Deadlines() const;

 private:
  struct Session {
    int32_t timeout_ms = 0;
    int64_t bucket = 0;
    bool closing = false;
  };
  int64_t BucketFor(int64_t deadline_ms) const;
  void MoveToBucket(int64_t session_id, Session& s, int64_t bucket);

  const int32_t tick_ms_;
  int64_t next_session_id_;
  std::unordered_map<int64_t, Session> sessions_;
  std::map<int64_t, std::unordered_set<int64_t>> buckets_;  // bucket deadline -> sessions
};

}  // namespace zk::session
