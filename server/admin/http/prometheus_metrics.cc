#include "server/admin/http/prometheus_metrics.h"

#include <string_view>

#include "server/admin/java_format.h"

namespace zk::admin::http {
namespace {

// ZooKeeper registers these as gauges (packets_received and packets_sent
// included) and the Java client prints values as Double.toString does.
void Gauge(std::string* out, std::string_view name, std::string_view help, double value) {
  std::string n(name);
  *out += "# HELP " + n + " " + std::string(help) + "\n";
  *out += "# TYPE " + n + " gauge\n";
  *out += n + " " + JavaDouble(value) + "\n";
}

}  // namespace

std::string RenderPrometheusMetrics(const ServerStatsView& v) {
  std::string out;
  auto d = [](int64_t value) { return static_cast<double>(value); };
  Gauge(&out, "znode_count", "znode_count", d(v.node_count));
  Gauge(&out, "watch_count", "watch_count", d(v.watch_count));
  Gauge(&out, "ephemerals_count", "ephemerals_count", d(v.ephemerals_count));
  Gauge(&out, "approximate_data_size", "approximate_data_size", d(v.approximate_data_size));
  Gauge(&out, "num_alive_connections", "num_alive_connections", d(v.num_alive_connections));
  Gauge(&out, "outstanding_requests", "outstanding_requests", d(v.outstanding_requests));
  Gauge(&out, "avg_latency", "avg_latency", v.avg_latency_ms);
  Gauge(&out, "min_latency", "min_latency", d(v.min_latency_ms));
  Gauge(&out, "max_latency", "max_latency", d(v.max_latency_ms));
  Gauge(&out, "packets_received", "packets_received", d(v.packets_received));
  Gauge(&out, "packets_sent", "packets_sent", d(v.packets_sent));
  Gauge(&out, "global_sessions", "global_sessions", d(v.global_sessions));
  Gauge(&out, "uptime", "uptime", d(v.uptime_ms));
  if (v.open_file_descriptor_count >= 0) {
    Gauge(&out, "open_file_descriptor_count", "open_file_descriptor_count",
          d(v.open_file_descriptor_count));
  }
  if (v.quorum_size > 0) Gauge(&out, "quorum_size", "quorum_size", d(v.quorum_size));
  return out;
}

}  // namespace zk::admin::http
