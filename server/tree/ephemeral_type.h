// What a znode's raw ephemeralOwner means (ZooKeeper's EphemeralType).
//
// 0 is a persistent node and Long.MIN_VALUE a container. When extended types
// are enabled (zookeeper.extendedTypesEnabled), a value whose high byte is 0xff
// is an extended type: the next two bytes name the feature (0 = TTL) and the
// low five bytes carry its value (the TTL in ms). Any other value is the
// session id owning an ordinary ephemeral node.
#pragma once

#include <cstdint>
#include <limits>

namespace zk::tree {

enum class EphemeralKind {
  kVoid,    // persistent
  kNormal,  // ephemeral, owned by a session
  kContainer,
  kTtl,
  kInvalid,  // extended type bits naming no known feature
};

inline constexpr int64_t kContainerOwner = std::numeric_limits<int64_t>::min();
inline constexpr uint64_t kExtendedMask = 0xff00000000000000ULL;
inline constexpr uint64_t kExtendedFeatureMask = 0x00ffff0000000000ULL;
inline constexpr uint64_t kExtendedValueMask = ~(kExtendedMask | kExtendedFeatureMask);
// The largest TTL a TTL node can carry, in ms (about 34 years).
inline constexpr int64_t kMaxTtl = static_cast<int64_t>(kExtendedValueMask);

inline EphemeralKind ClassifyOwner(int64_t owner, bool extended_types_enabled) {
  uint64_t bits = static_cast<uint64_t>(owner);
  if (extended_types_enabled && (bits & kExtendedMask) == kExtendedMask) {
    return (bits & kExtendedFeatureMask) == 0 ? EphemeralKind::kTtl : EphemeralKind::kInvalid;
  }
  if (owner == kContainerOwner) return EphemeralKind::kContainer;
  return owner == 0 ? EphemeralKind::kVoid : EphemeralKind::kNormal;
}

// The ephemeralOwner of a TTL node. REQUIRES: 0 < ttl <= kMaxTtl.
inline int64_t TtlOwner(int64_t ttl) { return static_cast<int64_t>(kExtendedMask | uint64_t(ttl)); }

// The TTL carried by a TTL node's ephemeralOwner.
inline int64_t TtlOf(int64_t owner) {
  return static_cast<int64_t>(static_cast<uint64_t>(owner) & kExtendedValueMask);
}

}  // namespace zk::tree
