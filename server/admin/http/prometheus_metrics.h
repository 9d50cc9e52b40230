// GET /metrics: the core server gauges in the Prometheus text format, named
// as ZooKeeper's PrometheusMetricsProvider names them (znode_count,
// num_alive_connections, ...), so existing dashboards and alerts keep working.
#pragma once

#include <string>

#include "server/admin/server_stats_view.h"

namespace zk::admin::http {

// The Content-Type of the text exposition format.
inline constexpr const char* kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

std::string RenderPrometheusMetrics(const ServerStatsView& view);

}  // namespace zk::admin::http
