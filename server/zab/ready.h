// What the core asks of its shell after a batch of inputs. See README.md for
// the full contract; in short, for one Ready, in this order:
//   1. install `snapshot` (replaces the state machine and the whole log),
//   2. truncate the log after `truncate_after`,
//   3. append `entries` (may be written in the background; call
//      Core::Persisted(zxid) once every entry <= zxid is durable),
//   4. persist `hard_state`;
//   steps 1, 2 and 4 must be durable before
//   5. sending `messages`,
//   6. applying `committed` to the state machine, in order (every committed
//      entry was already reported persisted),
//   7. answering `syncs` (they refer to the state after step 6),
//   8. calling Core::Advance().
#pragma once

#include <optional>
#include <vector>

#include "server/zab/message.h"
#include "server/zab/types.h"

namespace zk::zab {

// Volatile facts the shell wants to know about (who leads, can we serve).
struct SoftState {
  Role role = Role::kLooking;
  ServerId leader = 0;  // 0 while looking
  Epoch epoch = 0;      // the leader's epoch, once known
  // Leader: established (a quorum acknowledged NEWLEADER), accepts Propose.
  // Learner: received UPTODATE, may serve reads and forward writes.
  bool serving = false;
  bool operator==(const SoftState&) const = default;
};

// Outcome of Core::RequestSync: ok means the state machine has applied every
// txn the leader had proposed when the sync reached it.
struct SyncResult {
  uint64_t id = 0;
  bool ok = false;
};

struct Ready {
  std::optional<SoftState> soft_state;
  std::optional<HardState> hard_state;
  std::optional<Snapshot> snapshot;
  std::optional<Zxid> truncate_after;
  std::vector<Entry> entries;
  std::vector<Message> messages;
  std::vector<Entry> committed;
  std::vector<SyncResult> syncs;
};

}  // namespace zk::zab
