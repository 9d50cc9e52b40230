#include "server/admin/http/admin_routes.h"

#include <utility>

#include "server/admin/http/admin_commands.h"
#include "server/admin/http/prometheus_metrics.h"

namespace zk::admin::http {
namespace {

constexpr const char* kJson = "application/json";
constexpr const char* kHtml = "text/html;charset=utf-8";
constexpr const char* kText = "text/plain;charset=utf-8";

}  // namespace

AdminRoutes::AdminRoutes(std::string command_url, StatsProvider stats)
    : command_url_(std::move(command_url)), stats_(std::move(stats)) {
  while (!command_url_.empty() && command_url_.back() == '/') command_url_.pop_back();
  if (command_url_.empty() || command_url_[0] != '/') command_url_ = "/" + command_url_;
}

HttpReply AdminRoutes::Handle(std::string_view method, std::string_view target) const {
  if (method != "GET") return {405, kText, "Method Not Allowed\n"};
  std::string_view path = target.substr(0, target.find('?'));
  if (path == "/metrics") return {200, kPrometheusContentType, RenderPrometheusMetrics(stats_())};
  if (path == command_url_ || path == command_url_ + "/") {
    return {200, kHtml, CommandLinksPage(command_url_)};
  }
  if (path.size() > command_url_.size() + 1 &&
      path.substr(0, command_url_.size()) == command_url_ && path[command_url_.size()] == '/') {
    std::string_view name = path.substr(command_url_.size() + 1);
    // Unknown names are answered without asking the server for its state.
    if (PrimaryCommandName(name).empty()) {
      CommandResult result = RunAdminCommand(name, ServerStatsView());
      return {result.status, kJson, std::move(result.body)};
    }
    CommandResult result = RunAdminCommand(name, stats_());
    return {result.status, kJson, std::move(result.body)};
  }
  return {404, kText, "Not Found\n"};
}

}  // namespace zk::admin::http
