// Latency and last-operation figures the four-letter words report, for the
// whole server and for each session.
#pragma once

#include <algorithm>
#include <cstdint>

namespace zk::pipeline {

struct LatencyStats {
  int64_t count = 0;
  int64_t total_ms = 0;
  int64_t min_ms = 0;
  int64_t max_ms = 0;

  void Add(int64_t ms) {
    min_ms = count == 0 ? ms : std::min(min_ms, ms);
    max_ms = std::max(max_ms, ms);
    total_ms += ms;
    count++;
  }
  double Average() const { return count == 0 ? 0 : static_cast<double>(total_ms) / count; }
  void Reset() { *this = LatencyStats{}; }
};

struct SessionStats {
  LatencyStats latency;
  int32_t last_op = 0;
  int64_t last_cxid = -1;
  int64_t last_zxid = -1;
  int64_t last_response_ms = 0;
  int64_t last_latency_ms = 0;
};

}  // namespace zk::pipeline
