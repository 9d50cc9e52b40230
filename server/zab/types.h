// Basic values of the ZAB core: zxids, epochs, server ids, log entries and the
// small records the core asks its shell to persist.
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

namespace zk::zab {

using ServerId = int64_t;
using Epoch = int64_t;
// A transaction id: the leader's epoch in the high 32 bits, a per-epoch counter
// (starting at 1) in the low 32 bits. Zxid 0 is "before everything".
using Zxid = int64_t;

constexpr int64_t kMaxCounter = 0xffffffffLL;

constexpr Zxid MakeZxid(Epoch epoch, int64_t counter) {
  return (epoch << 32) | (counter & kMaxCounter);
}
constexpr Epoch EpochOf(Zxid zxid) { return zxid >> 32; }
constexpr int64_t CounterOf(Zxid zxid) { return zxid & kMaxCounter; }

// "0x100000003", as ZooKeeper prints zxids.
std::string ZxidToString(Zxid zxid);

enum class Role { kLooking, kFollowing, kLeading, kObserving };
const char* RoleName(Role role);

// A txn's bytes, immutable once made. The log, each Ready and every message
// that carries the txn share one copy, so copying an Entry costs a reference
// count, not an allocation and a memcpy per copy.
class Payload {
 public:
  Payload() = default;
  Payload(std::string bytes)  // NOLINT(google-explicit-constructor): bytes are a payload
      : bytes_(std::make_shared<const std::string>(std::move(bytes))) {}
  Payload(const char* bytes) : Payload(std::string(bytes)) {}  // NOLINT: as above

  const std::string& str() const { return bytes_ != nullptr ? *bytes_ : Empty(); }
  std::string_view view() const { return str(); }
  size_t size() const { return str().size(); }
  bool empty() const { return str().empty(); }

  friend bool operator==(const Payload& a, const Payload& b) { return a.str() == b.str(); }
  friend bool operator==(const Payload& a, const std::string& b) { return a.str() == b; }
  friend bool operator==(const Payload& a, const char* b) { return a.str() == b; }
  friend std::ostream& operator<<(std::ostream& os, const Payload& p) { return os << p.str(); }

 private:
  static const std::string& Empty();
  std::shared_ptr<const std::string> bytes_;
};

// One transaction in the log. The payload is opaque to the core.
struct Entry {
  Zxid zxid = 0;
  Payload payload;
  bool operator==(const Entry&) const = default;
};

// State that must be durable before any message of the same Ready is sent.
struct HardState {
  // Highest epoch this server promised to follow (NEWEPOCH accepted).
  Epoch accepted_epoch = 0;
  // Epoch of the last leader whose history this server fully holds (NEWLEADER).
  Epoch current_epoch = 0;
  // The leader that accepted_epoch was granted to: a server grants an epoch to
  // one leader only, so two leaders can never both gather a quorum for it.
  ServerId vote = 0;
  bool operator==(const HardState&) const = default;
};

// Application state as of `zxid` (every txn <= zxid applied), opaque to the core.
struct Snapshot {
  Zxid zxid = 0;
  std::string data;
  bool operator==(const Snapshot&) const = default;
};

}  // namespace zk::zab
