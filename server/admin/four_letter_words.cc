#include "server/admin/four_letter_words.h"

#include <map>

#include "server/admin/java_format.h"

namespace zk::admin {
namespace {

constexpr std::string_view kTelnetClose = "telnet close";
constexpr uint32_t kTelnetCloseCode = 0xfff4fffd;

std::string NotServingLine() { return std::string(kNotServing) + "\n"; }

std::string Hex(int64_t value) { return "0x" + JavaHex(value); }

// ServerStats.toString(), then the node count and the leader's proposal
// sizes, as StatCommand prints them after the banner.
std::string ServerStatsBlock(const ServerStatsView& view) {
  std::string out;
  out += "Latency min/avg/max: " + std::to_string(view.min_latency_ms) + "/" +
         std::to_string(static_cast<int64_t>(view.avg_latency_ms)) + "/" +
         std::to_string(view.max_latency_ms) + "\n";
  out += "Received: " + std::to_string(view.packets_received) + "\n";
  out += "Sent: " + std::to_string(view.packets_sent) + "\n";
  out += "Connections: " + std::to_string(view.num_alive_connections) + "\n";
  out += "Outstanding: " + std::to_string(view.outstanding_requests) + "\n";
  out += "Zxid: " + Hex(view.last_processed_zxid) + "\n";
  out += "Mode: " + view.server_state + "\n";
  out += "Node count: " + std::to_string(view.node_count) + "\n";
  if (view.leader) {
    out += "Proposal sizes last/min/max: " + std::to_string(view.leader->last_proposal_size) + "/" +
           std::to_string(view.leader->min_proposal_size) + "/" +
           std::to_string(view.leader->max_proposal_size) + "\n";
  }
  return out;
}

std::string Banner(const ServerStatsView& view) {
  std::string out = "Zookeeper version: " + view.version + "\n";
  if (view.read_only) out += "READ-ONLY mode; serving only read-only clients\n";
  return out;
}

std::string StatOrSrvr(const ServerStatsView& view, bool with_clients) {
  if (!view.serving) return NotServingLine();
  std::string out = Banner(view);
  if (with_clients) {
    out += "Clients:\n";
    for (const ConnectionView& c : view.connections) out += FormatConnection(c, true) + "\n";
    out += "\n";
  }
  return out + ServerStatsBlock(view);
}

class MntrWriter {
 public:
  void Add(std::string_view key, const std::string& value) {
    out_ += "zk_";
    out_ += key;
    out_ += "\t" + value + "\n";
  }
  void Add(std::string_view key, int64_t value) { Add(key, std::to_string(value)); }
  void AddDouble(std::string_view key, double value) { Add(key, JavaDouble(value)); }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

// The watches, deduplicated, grouped by session or by path in sorted order.
std::map<int64_t, std::set<std::string>> WatchesBySession(const ServerStatsView& view) {
  std::map<int64_t, std::set<std::string>> grouped;
  for (const WatchView& w : view.watches) grouped[w.session_id].insert(w.path);
  return grouped;
}

std::map<std::string, std::set<int64_t>> WatchesByPath(const ServerStatsView& view) {
  std::map<std::string, std::set<int64_t>> grouped;
  for (const WatchView& w : view.watches) grouped[w.path].insert(w.session_id);
  return grouped;
}

}  // namespace

const std::vector<std::string>& KnownFourLetterWords() {
  static const auto* const kWords = new std::vector<std::string>{
      "conf", "cons", "crst", "dirs", "dump", "envi", "gtmk", "ruok", "stmk",
      "srst", "srvr", "stat", "wchc", "wchp", "wchs", "mntr", "isro", std::string(kTelnetClose)};
  return *kWords;
}

bool IsKnownFourLetterWord(std::string_view word) {
  for (const std::string& known : KnownFourLetterWords()) {
    if (known == word) return true;
  }
  return false;
}

std::optional<std::string> FourLetterWordFromLength(int32_t length) {
  uint32_t code = static_cast<uint32_t>(length);
  if (code == kTelnetCloseCode) return std::string(kTelnetClose);
  std::string word = {static_cast<char>(code >> 24), static_cast<char>(code >> 16),
                      static_cast<char>(code >> 8), static_cast<char>(code)};
  if (word == kTelnetClose || !IsKnownFourLetterWord(word)) return std::nullopt;
  return word;
}

FourLetterWordWhitelist::FourLetterWordWhitelist(const std::optional<std::string>& setting,
                                                 bool read_only_mode_enabled) {
  if (setting) {
    std::string_view rest = *setting;
    while (true) {
      size_t comma = rest.find(',');
      std::string_view item = rest.substr(0, comma);
      size_t begin = item.find_first_not_of(" \t\r\n\f\v");
      size_t end = item.find_last_not_of(" \t\r\n\f\v");
      item = begin == std::string_view::npos ? "" : item.substr(begin, end - begin + 1);
      if (item == "*") {
        allowed_.insert(KnownFourLetterWords().begin(), KnownFourLetterWords().end());
        break;
      }
      if (!item.empty()) allowed_.emplace(item);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  if (read_only_mode_enabled) allowed_.insert("isro");
  allowed_.insert("srvr");
}

bool FourLetterWordWhitelist::IsAllowed(std::string_view word) const {
  return allowed_.find(word) != allowed_.end();
}

bool IsFourLetterWordAllowed(std::string_view word, const std::optional<std::string>& setting,
                             bool read_only_mode_enabled) {
  return FourLetterWordWhitelist(setting, read_only_mode_enabled).IsAllowed(word);
}

std::string NotWhitelistedResponse(std::string_view word) {
  return std::string(word) + " is not executed because it is not in the whitelist.\n";
}

std::string FormatConnection(const ConnectionView& c, bool brief) {
  std::string out = " " + c.remote_address + "[";
  out += c.interest_ops == 0 ? "0" : JavaHex(c.interest_ops);
  out += "](queued=" + std::to_string(c.outstanding_requests) +
         ",recved=" + std::to_string(c.packets_received) +
         ",sent=" + std::to_string(c.packets_sent);
  if (!brief && c.session_id != 0) {
    out += ",sid=" + Hex(c.session_id) + ",lop=" + c.last_operation +
           ",est=" + std::to_string(c.established_ms) +
           ",to=" + std::to_string(c.session_timeout_ms);
    if (c.last_cxid >= 0) out += ",lcxid=" + Hex(c.last_cxid);
    out += ",lzxid=" + Hex(c.last_zxid) + ",lresp=" + std::to_string(c.last_response_time_ms) +
           ",llat=" + std::to_string(c.last_latency_ms) +
           ",minlat=" + std::to_string(c.min_latency_ms) +
           ",avglat=" + std::to_string(c.avg_latency_ms) +
           ",maxlat=" + std::to_string(c.max_latency_ms);
  }
  return out + ")";
}

std::string RenderRuok() { return "imok"; }

std::string RenderSrvr(const ServerStatsView& view) { return StatOrSrvr(view, false); }

std::string RenderStat(const ServerStatsView& view) { return StatOrSrvr(view, true); }

std::string RenderCons(const ServerStatsView& view) {
  if (!view.serving) return NotServingLine();
  std::string out;
  for (const ConnectionView& c : view.connections) out += FormatConnection(c, false) + "\n";
  return out + "\n";
}

std::string RenderConf(const ServerStatsView& view) {
  if (!view.serving) return NotServingLine();
  const ConfView& c = view.conf;
  std::string out;
  auto line = [&out](std::string_view key, const std::string& value) {
    out += std::string(key) + "=" + value + "\n";
  };
  line("clientPort", std::to_string(c.client_port));
  line("secureClientPort", std::to_string(c.secure_client_port));
  line("dataDir", c.data_dir);
  line("dataDirSize", std::to_string(view.data_dir_size));
  line("dataLogDir", c.data_log_dir);
  line("dataLogSize", std::to_string(view.log_dir_size));
  line("tickTime", std::to_string(c.tick_time));
  line("maxClientCnxns", std::to_string(c.max_client_cnxns));
  line("minSessionTimeout", std::to_string(c.min_session_timeout));
  line("maxSessionTimeout", std::to_string(c.max_session_timeout));
  line("clientPortListenBacklog", std::to_string(c.client_port_listen_backlog));
  line("serverId", std::to_string(c.server_id));
  if (c.quorum) {
    line("initLimit", std::to_string(c.quorum->init_limit));
    line("syncLimit", std::to_string(c.quorum->sync_limit));
    line("electionAlg", std::to_string(c.quorum->election_alg));
    line("electionPort", std::to_string(c.quorum->election_port));
    line("quorumPort", std::to_string(c.quorum->quorum_port));
    line("peerType", std::to_string(c.quorum->peer_type));
    out += "membership: \n" + c.quorum->membership;
  }
  return out;
}

std::string RenderEnvi(const ServerStatsView& view) {
  std::string out = "Environment:\nzookeeper.version=" + view.version + "\n";
  for (const auto& [key, value] : view.environment) out += key + "=" + value + "\n";
  return out;
}

std::string RenderMntr(const ServerStatsView& view) {
  if (!view.serving) return NotServingLine();
  MntrWriter w;
  w.Add("version", view.version);
  w.Add("server_state", view.server_state);
  if (!view.peer_state.empty()) w.Add("peer_state", view.peer_state);
  w.AddDouble("avg_latency", view.avg_latency_ms);
  w.Add("max_latency", view.max_latency_ms);
  w.Add("min_latency", view.min_latency_ms);
  w.Add("packets_received", view.packets_received);
  w.Add("packets_sent", view.packets_sent);
  w.Add("num_alive_connections", view.num_alive_connections);
  w.Add("outstanding_requests", view.outstanding_requests);
  w.Add("uptime", view.uptime_ms);
  w.Add("znode_count", view.node_count);
  w.Add("watch_count", view.watch_count);
  w.Add("ephemerals_count", view.ephemerals_count);
  w.Add("approximate_data_size", view.approximate_data_size);
  w.Add("global_sessions", view.global_sessions);
  w.Add("local_sessions", view.local_sessions);
  if (view.open_file_descriptor_count >= 0) {
    w.Add("open_file_descriptor_count", view.open_file_descriptor_count);
  }
  if (view.max_file_descriptor_count >= 0) {
    w.Add("max_file_descriptor_count", view.max_file_descriptor_count);
  }
  w.AddDouble("connection_drop_probability", view.connection_drop_probability);
  w.Add("last_client_response_size", view.last_client_response_size);
  w.Add("max_client_response_size", view.max_client_response_size);
  w.Add("min_client_response_size", view.min_client_response_size);
  w.Add("outstanding_tls_handshake", view.outstanding_tls_handshake);
  w.Add("auth_failed_count", view.auth_failed_count);
  w.Add("non_mtls_remote_conn_count", view.non_mtls_remote_conn_count);
  w.Add("non_mtls_local_conn_count", view.non_mtls_local_conn_count);
  if (view.quorum_size > 0) w.Add("quorum_size", view.quorum_size);
  if (view.leader) {
    const LeaderStatsView& l = *view.leader;
    w.Add("learners", l.learners);
    w.Add("synced_followers", l.synced_followers);
    w.Add("synced_non_voting_followers", l.synced_non_voting_followers);
    w.Add("synced_observers", l.synced_observers);
    w.Add("pending_syncs", l.pending_syncs);
    w.Add("leader_uptime", l.leader_uptime_ms);
    w.Add("last_proposal_size", l.last_proposal_size);
    w.Add("max_proposal_size", l.max_proposal_size);
    w.Add("min_proposal_size", l.min_proposal_size);
  }
  for (const auto& [key, value] : view.extra_metrics) w.Add(key, value);
  return w.Take();
}

std::string RenderWchs(const ServerStatsView& view) {
  if (!view.serving) return NotServingLine();
  auto by_session = WatchesBySession(view);
  size_t total = 0;
  for (const auto& [session, paths] : by_session) total += paths.size();
  return std::to_string(by_session.size()) + " connections watching " +
         std::to_string(WatchesByPath(view).size()) +
         " paths\nTotal watches:" + std::to_string(total) + "\n";
}

std::string RenderWchc(const ServerStatsView& view) {
  if (!view.serving) return NotServingLine();
  std::string out;
  for (const auto& [session, paths] : WatchesBySession(view)) {
    out += Hex(session) + "\n";
    for (const std::string& path : paths) out += "\t" + path + "\n";
  }
  return out + "\n";
}

std::string RenderWchp(const ServerStatsView& view) {
  if (!view.serving) return NotServingLine();
  std::string out;
  for (const auto& [path, sessions] : WatchesByPath(view)) {
    out += path + "\n";
    for (int64_t session : sessions) out += "\t" + Hex(session) + "\n";
  }
  return out + "\n";
}

std::string RenderDirs(const ServerStatsView& view) {
  if (!view.serving) return NotServingLine();
  return "datadir_size: " + std::to_string(view.data_dir_size) +
         "\nlogdir_size: " + std::to_string(view.log_dir_size) + "\n";
}

std::string RenderIsro(const ServerStatsView& view) {
  if (!view.serving) return "null";
  return view.read_only ? "ro" : "rw";
}

std::string RenderDump(const ServerStatsView& view) {
  if (!view.serving) return NotServingLine();
  std::string out = "SessionTracker dump:\n";
  size_t sessions = 0;
  for (const SessionExpiryView& bucket : view.session_expiry) sessions += bucket.session_ids.size();
  out += "Session Sets (" + std::to_string(view.session_expiry.size()) + ")/(" +
         std::to_string(sessions) + "):\n";
  for (const SessionExpiryView& bucket : view.session_expiry) {
    out += std::to_string(bucket.session_ids.size()) + " expire at " +
           JavaDate(bucket.expire_time_ms) + ":\n";
    for (int64_t id : bucket.session_ids) out += "\t" + Hex(id) + "\n";
  }
  out += "ephemeral nodes dump:\n";
  out += "Sessions with Ephemerals (" + std::to_string(view.ephemerals.size()) + "):\n";
  for (const EphemeralsView& e : view.ephemerals) {
    out += Hex(e.session_id) + ":\n";
    for (const std::string& path : e.paths) out += "\t" + path + "\n";
  }
  out += "Connections dump:\n";
  size_t connections = 0;
  for (const ConnectionExpiryView& bucket : view.connection_expiry) {
    connections += bucket.connections.size();
  }
  out += "Connections Sets (" + std::to_string(view.connection_expiry.size()) + ")/(" +
         std::to_string(connections) + "):\n";
  for (const ConnectionExpiryView& bucket : view.connection_expiry) {
    out += std::to_string(bucket.connections.size()) + " expire at " +
           JavaDate(bucket.expire_time_ms) + ":\n";
    for (const auto& [address, session] : bucket.connections) {
      out += "\tip: " + address + " sessionId: " + Hex(session) + "\n";
    }
  }
  return out;
}

std::string RenderCrst(const ServerStatsView& view) {
  return view.serving ? "Connection stats reset.\n" : NotServingLine();
}

std::string RenderSrst(const ServerStatsView& view) {
  return view.serving ? "Server stats reset.\n" : NotServingLine();
}

std::string RenderTraceMask(int64_t mask) { return std::to_string(mask); }

std::optional<std::string> RenderFourLetterWord(std::string_view word,
                                                const ServerStatsView& view) {
  using Renderer = std::string (*)(const ServerStatsView&);
  static const auto* const kRenderers = new std::map<std::string_view, Renderer>{
      {"ruok", [](const ServerStatsView&) { return RenderRuok(); }},
      {"srvr", RenderSrvr},
      {"stat", RenderStat},
      {"cons", RenderCons},
      {"conf", RenderConf},
      {"envi", RenderEnvi},
      {"mntr", RenderMntr},
      {"wchs", RenderWchs},
      {"wchc", RenderWchc},
      {"wchp", RenderWchp},
      {"dirs", RenderDirs},
      {"isro", RenderIsro},
      {"dump", RenderDump},
      {"crst", RenderCrst},
      {"srst", RenderSrst},
      {"gtmk", [](const ServerStatsView& v) { return RenderTraceMask(v.trace_mask); }},
  };
  auto it = kRenderers->find(word);
  if (it == kRenderers->end()) return std::nullopt;
  return it->second(view);
}

}  // namespace zk::admin
