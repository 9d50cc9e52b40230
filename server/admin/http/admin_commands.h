// The admin server's commands, as ZooKeeper 3.8's Commands registers them:
// each has a primary name and aliases (server_stats/srvr, watches/wchc, ...)
// and answers a JSON object that starts with "command" (the primary name)
// and "error" (null on success). Rendering is pure: the caller takes a
// ServerStatsView on the server's thread and passes it in.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "server/admin/server_stats_view.h"

namespace zk::admin::http {

struct CommandResult {
  int status = 200;  // HTTP status
  std::string body;  // JSON
};

// The primary names, sorted (what GET <command url> links to).
std::vector<std::string> AdminCommandNames();

// The primary name a name or alias stands for; empty when unknown.
std::string_view PrimaryCommandName(std::string_view name);

// Whether the command needs a serving server. Commands that do answer an
// error (503) while `view.serving` is false, as Commands.runCommand does.
bool CommandNeedsServer(std::string_view primary_name);

// Runs `name` (primary name or alias). Unknown names answer 404 with
// {"command": name, "error": "Unknown command: <name>"}.
CommandResult RunAdminCommand(std::string_view name, const ServerStatsView& view);

// The page GET <command url> shows: one link per command, each followed by
// "<br/>", as JettyAdminServer's command list.
std::string CommandLinksPage(std::string_view command_url);

}  // namespace zk::admin::http
