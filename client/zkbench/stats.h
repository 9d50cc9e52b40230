// Latency samples and the summary zkbench prints.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace zk::bench {

struct LatencySummary {
  uint64_t count = 0;
  double mean_us = 0;
  double p50_us = 0;
  double p99_us = 0;
  double p999_us = 0;
  double max_us = 0;
};

// Summarizes samples (microseconds); sorts them in place.
LatencySummary Summarize(std::vector<uint32_t>* samples);

// utime+stime of a process in milliseconds (pid 0: this process), -1 if unknown.
int64_t ProcessCpuMillis(int pid);

}  // namespace zk::bench
