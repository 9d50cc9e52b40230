// Where a server of the ensemble listens for its peers.
#pragma once

#include <cstdint>
#include <string>

#include "server/zab/types.h"

namespace zk::quorum {

struct PeerAddress {
  zab::ServerId id = 0;
  std::string host;
  uint16_t port = 0;
};

}  // namespace zk::quorum
