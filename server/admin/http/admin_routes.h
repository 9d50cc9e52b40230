// What the admin server answers for a request line, free of sockets so it
// can be tested alone. Routes, as Apache's JettyAdminServer plus the
// Prometheus endpoint:
//   GET <command_url>          links to every command (HTML)
//   GET <command_url>/<name>   run a command (JSON); unknown names get 404
//   GET /metrics               Prometheus text format
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "server/admin/server_stats_view.h"

namespace zk::admin::http {

struct HttpReply {
  int status = 200;
  std::string content_type;
  std::string body;
};

class AdminRoutes {
 public:
  using StatsProvider = std::function<ServerStatsView()>;

  // `stats` is called once per command or metrics request, on the caller's
  // thread.
  AdminRoutes(std::string command_url, StatsProvider stats);

  // `target` is the request target, query string included (ignored: none of
  // the commands served here take arguments).
  HttpReply Handle(std::string_view method, std::string_view target) const;

 private:
  std::string command_url_;
  StatsProvider stats_;
};

}  // namespace zk::admin::http
