// Static configuration of one ZAB core: who we are, who votes, and the timing
// limits in ticks (zoo.cfg's initLimit / syncLimit).
#pragma once

#include <cstdint>
#include <vector>

#include "server/zab/types.h"

namespace zk::zab {

struct Config {
  ServerId id = 0;
  std::vector<ServerId> voters;     // participants; ids must be > 0
  std::vector<ServerId> observers;  // never vote, never count for a quorum
  // Ticks a leader may spend in discovery + sync, and a learner may wait for
  // the leader during its handshake.
  int init_limit = 10;
  // Ticks of silence after which a follower abandons its leader, and a leader
  // without a quorum of live followers steps down.
  int sync_limit = 5;
  // Seeds the core's only randomness (learner handshake nonces). It must
  // differ between starts of the same server, or a leader may mistake a
  // restarted learner for its previous connection: seed it from a random
  // device at boot (a simulation derives it from its seed and a boot count).
  uint64_t seed = 1;

  bool IsVoter(ServerId id) const;
  bool IsObserver(ServerId id) const;
  size_t Quorum() const { return voters.size() / 2 + 1; }
  // Everyone but us.
  std::vector<ServerId> Peers() const;
};

}  // namespace zk::zab
