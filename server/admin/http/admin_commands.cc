#include "server/admin/http/admin_commands.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#include "server/admin/four_letter_words.h"
#include "server/admin/http/json_value.h"

namespace zk::admin::http {
namespace {

using Object = JsonValue::Object;
using Renderer = void (*)(const ServerStatsView&, JsonValue*);

struct Command {
  std::string_view primary;
  std::vector<std::string_view> aliases;
  bool needs_server;
  Renderer render;
};

// Jackson writes an InetSocketAddress as "host:port", without the leading
// slash Java's toString adds.
std::string SocketAddress(const std::string& java_address) {
  return !java_address.empty() && java_address[0] == '/' ? java_address.substr(1) : java_address;
}

JsonValue ConnectionInfo(const ConnectionView& c, bool brief) {
  JsonValue info;
  info.Set("remote_socket_address", SocketAddress(c.remote_address));
  info.Set("interest_ops", c.interest_ops);
  info.Set("outstanding_requests", c.outstanding_requests);
  info.Set("packets_received", c.packets_received);
  info.Set("packets_sent", c.packets_sent);
  if (!brief) {
    info.Set("session_id", c.session_id);
    info.Set("last_operation", c.last_operation);
    info.Set("established", c.established_ms);
    info.Set("session_timeout", c.session_timeout_ms);
    info.Set("last_cxid", c.last_cxid);
    info.Set("last_zxid", c.last_zxid);
    info.Set("last_response_time", c.last_response_time_ms);
    info.Set("last_latency", c.last_latency_ms);
    info.Set("min_latency", c.min_latency_ms);
    info.Set("avg_latency", c.avg_latency_ms);
    info.Set("max_latency", c.max_latency_ms);
  }
  return info;
}

JsonValue Connections(const ServerStatsView& view, bool brief) {
  JsonValue list = JsonValue::EmptyArray();
  for (const ConnectionView& c : view.connections) list.Append(ConnectionInfo(c, brief));
  return list;
}

// BufferStats as Jackson writes it.
JsonValue BufferStats(int64_t last, int64_t min, int64_t max) {
  return JsonValue(
      Object{{"last_buffer_size", last}, {"min_buffer_size", min}, {"max_buffer_size", max}});
}

JsonValue ClientResponseStats(const ServerStatsView& v) {
  return BufferStats(v.last_client_response_size, v.min_client_response_size,
                     v.max_client_response_size);
}

// The ServerStats bean's properties.
JsonValue ServerStats(const ServerStatsView& v) {
  JsonValue stats;
  stats.Set("packets_sent", v.packets_sent);
  stats.Set("packets_received", v.packets_received);
  stats.Set("fsync_threshold_exceed_count", int64_t{0});
  stats.Set("client_response_stats", ClientResponseStats(v));
  stats.Set("provider_null", false);
  stats.Set("server_state", v.server_state);
  stats.Set("avg_latency", v.avg_latency_ms);
  stats.Set("max_latency", v.max_latency_ms);
  stats.Set("min_latency", v.min_latency_ms);
  stats.Set("outstanding_requests", v.outstanding_requests);
  stats.Set("last_processed_zxid", v.last_processed_zxid);
  stats.Set("data_dir_size", v.data_dir_size);
  stats.Set("log_dir_size", v.log_dir_size);
  stats.Set("num_alive_client_connections", v.num_alive_connections);
  stats.Set("uptime", v.uptime_ms);
  stats.Set("auth_failed_count", v.auth_failed_count);
  stats.Set("non_mtls_remote_conn_count", v.non_mtls_remote_conn_count);
  stats.Set("non_mtls_local_conn_count", v.non_mtls_local_conn_count);
  return stats;
}

void PutNothing(const ServerStatsView&, JsonValue*) {}

void PutServerStats(const ServerStatsView& v, JsonValue* out) {
  out->Set("version", v.version);
  out->Set("read_only", v.read_only);
  out->Set("server_stats", ServerStats(v));
  out->Set("client_response", ClientResponseStats(v));
  if (v.leader) {
    out->Set("proposal_stats",
             BufferStats(v.leader->last_proposal_size, v.leader->min_proposal_size,
                         v.leader->max_proposal_size));
  }
  out->Set("node_count", v.node_count);
}

void PutStats(const ServerStatsView& v, JsonValue* out) {
  PutServerStats(v, out);
  out->Set("connections", Connections(v, true));
}

void PutConnections(const ServerStatsView& v, JsonValue* out) {
  out->Set("connections", Connections(v, false));
  out->Set("secure_connections", JsonValue::EmptyArray());
}

void PutConfiguration(const ServerStatsView& v, JsonValue* out) {
  const ConfView& c = v.conf;
  out->Set("client_port", c.client_port);
  out->Set("data_dir", c.data_dir);
  out->Set("data_log_dir", c.data_log_dir);
  out->Set("tick_time", c.tick_time);
  out->Set("max_client_cnxns", c.max_client_cnxns);
  out->Set("min_session_timeout", c.min_session_timeout);
  out->Set("max_session_timeout", c.max_session_timeout);
  out->Set("server_id", c.server_id);
  out->Set("client_port_listen_backlog", c.client_port_listen_backlog);
}

// ZooKeeperServer.dumpMonitorValues: mntr's keys without the "zk_" prefix,
// numbers as JSON numbers.
void PutMonitor(const ServerStatsView& v, JsonValue* out) {
  out->Set("version", v.version);
  out->Set("server_state", v.server_state);
  if (!v.peer_state.empty()) out->Set("peer_state", v.peer_state);
  out->Set("avg_latency", v.avg_latency_ms);
  out->Set("max_latency", v.max_latency_ms);
  out->Set("min_latency", v.min_latency_ms);
  out->Set("packets_received", v.packets_received);
  out->Set("packets_sent", v.packets_sent);
  out->Set("num_alive_connections", v.num_alive_connections);
  out->Set("outstanding_requests", v.outstanding_requests);
  out->Set("uptime", v.uptime_ms);
  out->Set("znode_count", v.node_count);
  out->Set("watch_count", v.watch_count);
  out->Set("ephemerals_count", v.ephemerals_count);
  out->Set("approximate_data_size", v.approximate_data_size);
  out->Set("global_sessions", v.global_sessions);
  out->Set("local_sessions", v.local_sessions);
  if (v.open_file_descriptor_count >= 0) {
    out->Set("open_file_descriptor_count", v.open_file_descriptor_count);
  }
  if (v.max_file_descriptor_count >= 0) {
    out->Set("max_file_descriptor_count", v.max_file_descriptor_count);
  }
  out->Set("connection_drop_probability", v.connection_drop_probability);
  out->Set("last_client_response_size", v.last_client_response_size);
  out->Set("max_client_response_size", v.max_client_response_size);
  out->Set("min_client_response_size", v.min_client_response_size);
  out->Set("outstanding_tls_handshake", v.outstanding_tls_handshake);
  out->Set("auth_failed_count", v.auth_failed_count);
  out->Set("non_mtls_remote_conn_count", v.non_mtls_remote_conn_count);
  out->Set("non_mtls_local_conn_count", v.non_mtls_local_conn_count);
  if (v.quorum_size > 0) out->Set("quorum_size", v.quorum_size);
  if (v.leader) {
    const LeaderStatsView& l = *v.leader;
    out->Set("learners", l.learners);
    out->Set("synced_followers", l.synced_followers);
    out->Set("synced_non_voting_followers", l.synced_non_voting_followers);
    out->Set("synced_observers", l.synced_observers);
    out->Set("pending_syncs", l.pending_syncs);
    out->Set("leader_uptime", l.leader_uptime_ms);
    out->Set("last_proposal_size", l.last_proposal_size);
    out->Set("max_proposal_size", l.max_proposal_size);
    out->Set("min_proposal_size", l.min_proposal_size);
  }
  // Extra metrics are text in the view; keep numbers as numbers.
  for (const auto& [key, value] : v.extra_metrics) {
    char* end = nullptr;
    long long number = value.empty() ? 0 : std::strtoll(value.c_str(), &end, 10);
    if (end != nullptr && *end == '\0') {
      out->Set(key, static_cast<int64_t>(number));
    } else {
      out->Set(key, value);
    }
  }
}

void PutWatches(const ServerStatsView& v, JsonValue* out) {
  std::map<int64_t, std::set<std::string>> by_session;
  for (const WatchView& w : v.watches) by_session[w.session_id].insert(w.path);
  JsonValue map = JsonValue::EmptyObject();
  for (const auto& [session, paths] : by_session) {
    JsonValue list = JsonValue::EmptyArray();
    for (const std::string& path : paths) list.Append(path);
    map.Set(std::to_string(session), std::move(list));  // Jackson writes Long keys in decimal
  }
  out->Set("session_id_to_watched_paths", std::move(map));
}

void PutWatchesByPath(const ServerStatsView& v, JsonValue* out) {
  std::map<std::string, std::set<int64_t>> by_path;
  for (const WatchView& w : v.watches) by_path[w.path].insert(w.session_id);
  JsonValue map = JsonValue::EmptyObject();
  for (const auto& [path, sessions] : by_path) {
    JsonValue list = JsonValue::EmptyArray();
    for (int64_t session : sessions) list.Append(session);
    map.Set(path, std::move(list));
  }
  out->Set("path_to_session_ids", std::move(map));
}

void PutWatchSummary(const ServerStatsView& v, JsonValue* out) {
  std::set<int64_t> sessions;
  std::set<std::string> paths;
  std::set<std::pair<int64_t, std::string>> watches;
  for (const WatchView& w : v.watches) {
    sessions.insert(w.session_id);
    paths.insert(w.path);
    watches.emplace(w.session_id, w.path);
  }
  out->Set("num_connections", static_cast<int64_t>(sessions.size()));
  out->Set("num_paths", static_cast<int64_t>(paths.size()));
  out->Set("num_total_watches", static_cast<int64_t>(watches.size()));
}

void PutEnvironment(const ServerStatsView& v, JsonValue* out) {
  out->Set("zookeeper.version", v.version);
  for (const auto& [key, value] : v.environment) out->Set(key, value);
}

void PutDirs(const ServerStatsView& v, JsonValue* out) {
  out->Set("datadir_size", v.data_dir_size);
  out->Set("logdir_size", v.log_dir_size);
}

void PutIsReadOnly(const ServerStatsView& v, JsonValue* out) { out->Set("read_only", v.read_only); }

// AdminServer's `leader`: only an ensemble member has one.
void PutLeader(const ServerStatsView& v, JsonValue* out) {
  if (!v.conf.quorum) {
    out->Set("error", "server is not initialized");
    return;
  }
  out->Set("is_leader", v.server_state == "leader");
  out->Set("leader_id", v.leader_id);
  out->Set("leader_ip", v.leader_host.empty() ? "unknown" : v.leader_host);
}

// AdminServer's `voting_view`: the voting members as zoo.cfg names them.
void PutVotingView(const ServerStatsView& v, JsonValue* out) {
  JsonValue members = JsonValue::EmptyObject();
  if (v.conf.quorum) {
    std::string_view rest = v.conf.quorum->membership;
    while (!rest.empty()) {
      size_t end = rest.find('\n');
      std::string_view line = rest.substr(0, end);
      rest = end == std::string_view::npos ? "" : rest.substr(end + 1);
      size_t eq = line.find('=');
      if (line.substr(0, 7) != "server." || eq == std::string_view::npos) continue;
      std::string_view value = line.substr(eq + 1);
      if (value.find(":observer") != std::string_view::npos) continue;
      members.Set(std::string(line.substr(7, eq - 7)), std::string(value));
    }
  }
  out->Set("current_config", std::move(members));
}

void PutDump(const ServerStatsView& v, JsonValue* out) {
  JsonValue expiry = JsonValue::EmptyObject();
  for (const SessionExpiryView& bucket : v.session_expiry) {
    JsonValue ids = JsonValue::EmptyArray();
    for (int64_t id : bucket.session_ids) ids.Append(id);
    expiry.Set(std::to_string(bucket.expire_time_ms), std::move(ids));
  }
  out->Set("expiry_time_to_session_ids", std::move(expiry));
  JsonValue ephemerals = JsonValue::EmptyObject();
  for (const EphemeralsView& e : v.ephemerals) {
    JsonValue paths = JsonValue::EmptyArray();
    for (const std::string& path : e.paths) paths.Append(path);
    ephemerals.Set(std::to_string(e.session_id), std::move(paths));
  }
  out->Set("session_id_to_ephemeral_paths", std::move(ephemerals));
}

void PutTraceMask(const ServerStatsView& v, JsonValue* out) { out->Set("tracemask", v.trace_mask); }

// The commands this server answers. Resets (crst, srst) and stmk change
// server state and are left to the four-letter words for now.
const std::vector<Command>& Commands() {
  static const auto* const kCommands = new std::vector<Command>{
      {"configuration", {"conf", "config"}, true, PutConfiguration},
      {"connections", {"cons"}, true, PutConnections},
      {"dirs", {}, true, PutDirs},
      {"dump", {}, true, PutDump},
      {"environment", {"env", "envi"}, false, PutEnvironment},
      {"get_trace_mask", {"gtmk"}, false, PutTraceMask},
      {"is_read_only", {"isro"}, true, PutIsReadOnly},
      {"leader", {"lead"}, true, PutLeader},
      {"monitor", {"mntr"}, false, PutMonitor},
      {"ruok", {}, true, PutNothing},
      {"server_stats", {"srvr"}, true, PutServerStats},
      {"stats", {"stat"}, true, PutStats},
      {"voting_view", {}, true, PutVotingView},
      {"watch_summary", {"wchs"}, true, PutWatchSummary},
      {"watches", {"wchc"}, true, PutWatches},
      {"watches_by_path", {"wchp"}, true, PutWatchesByPath},
  };
  return *kCommands;
}

const Command* FindCommand(std::string_view name) {
  for (const Command& command : Commands()) {
    if (command.primary == name) return &command;
    for (std::string_view alias : command.aliases) {
      if (alias == name) return &command;
    }
  }
  return nullptr;
}

CommandResult ErrorResult(int status, std::string_view name, std::string error) {
  JsonValue body;
  body.Set("command", name);
  body.Set("error", std::move(error));
  return {status, body.Serialize()};
}

}  // namespace

std::vector<std::string> AdminCommandNames() {
  std::vector<std::string> names;
  for (const Command& command : Commands()) names.emplace_back(command.primary);
  std::sort(names.begin(), names.end());
  return names;
}

std::string_view PrimaryCommandName(std::string_view name) {
  const Command* command = FindCommand(name);
  return command == nullptr ? std::string_view() : command->primary;
}

bool CommandNeedsServer(std::string_view primary_name) {
  const Command* command = FindCommand(primary_name);
  return command != nullptr && command->needs_server;
}

CommandResult RunAdminCommand(std::string_view name, const ServerStatsView& view) {
  const Command* command = FindCommand(name);
  if (command == nullptr) return ErrorResult(404, name, "Unknown command: " + std::string(name));
  // Apache names the command as requested here, not by its primary name.
  if (command->needs_server && !view.serving)
    return ErrorResult(503, name, std::string(kNotServing));
  JsonValue body;
  body.Set("command", command->primary);
  body.Set("error", nullptr);
  command->render(view, &body);
  return {200, body.Serialize()};
}

std::string CommandLinksPage(std::string_view command_url) {
  std::string page;
  for (const std::string& name : AdminCommandNames()) {
    std::string url = std::string(command_url) + "/" + name;
    page += "<a href=\"" + url + "\">" + name + "</a>\n<br/>\n";
  }
  return page;
}

}  // namespace zk::admin::http
