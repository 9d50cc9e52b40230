// Limits and timings of the peer transport. The defaults suit an ensemble;
// tests shrink them.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace zk::quorum {

struct TransportOptions {
  // Largest frame a link sends or accepts; a snapshot transfer must fit. A
  // bigger incoming frame closes the link. At most 4 GiB - 1 (u32 header).
  size_t max_frame_bytes = size_t{1} << 30;
  // Per peer: once this much is waiting to be written, Send drops. A single
  // message always fits into an empty queue, so a snapshot can still go.
  size_t max_queue_bytes = size_t{64} << 20;
  size_t max_queue_messages = 10000;
  // Reconnect delay: starts at min_backoff and doubles up to max_backoff. A
  // link that stayed up at least max_backoff starts over at min_backoff.
  std::chrono::milliseconds min_backoff{50};
  std::chrono::milliseconds max_backoff{1000};
};

// What one outgoing link has done, for mntr and tests.
struct PeerLinkStats {
  bool connected = false;
  size_t queued_messages = 0;  // waiting or being written
  size_t queued_bytes = 0;
  uint64_t sent_messages = 0;
  uint64_t dropped_messages = 0;  // link down, queue full or too large
  uint64_t connects = 0;          // successful connections so far
};

}  // namespace zk::quorum
