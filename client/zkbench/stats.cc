#include "client/zkbench/stats.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace zk::bench {
namespace {

double Percentile(const std::vector<uint32_t>& sorted, double q) {
  if (sorted.empty()) return 0;
  auto index = static_cast<size_t>(q * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(index, sorted.size() - 1)];
}

}  // namespace

LatencySummary Summarize(std::vector<uint32_t>* samples) {
  LatencySummary s;
  if (samples->empty()) return s;
  std::sort(samples->begin(), samples->end());
  double sum = 0;
  for (uint32_t v : *samples) sum += v;
  s.count = samples->size();
  s.mean_us = sum / static_cast<double>(s.count);
  s.p50_us = Percentile(*samples, 0.50);
  s.p99_us = Percentile(*samples, 0.99);
  s.p999_us = Percentile(*samples, 0.999);
  s.max_us = samples->back();
  return s;
}

int64_t ProcessCpuMillis(int pid) {
  std::ifstream in(pid == 0 ? std::string("/proc/self/stat")
                            : "/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return -1;
  // The command name may hold spaces; fields resume after its ')'.
  size_t close = line.rfind(')');
  if (close == std::string::npos || close + 2 > line.size()) return -1;
  std::istringstream fields(line.substr(close + 2));
  std::string field;
  int64_t utime = 0, stime = 0;
  // Field 3 (state) comes first; utime and stime are fields 14 and 15.
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stoll(field);
    if (i == 15) stime = std::stoll(field);
  }
  return (utime + stime) * 1000 / sysconf(_SC_CLK_TCK);
}

}  // namespace zk::bench
