// A plain snapshot of server state that the four-letter words print. The
// server fills one on its own thread; the renderers in four_letter_words.h
// only format it. Field comments name the ZooKeeper output they feed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/admin/version.h"

namespace zk::config {
struct ServerConfig;
}

namespace zk::admin {

// One client connection (`cons`, and `stat`'s Clients list).
struct ConnectionView {
  std::string remote_address;  // Java form, see JavaSocketAddress(): "/127.0.0.1:54532"
  int32_t interest_ops = 1;    // 1 while reading, 0 while throttled
  int64_t outstanding_requests = 0;
  int64_t packets_received = 0;
  int64_t packets_sent = 0;
  // The rest is printed by `cons` only once the connection has a session.
  int64_t session_id = 0;
  std::string last_operation = "NA";  // LastOperationName() of the last reply
  int64_t established_ms = 0;         // wall clock, ms since the epoch
  int32_t session_timeout_ms = 0;
  int64_t last_cxid = -1;  // not printed while negative
  int64_t last_zxid = -1;
  int64_t last_response_time_ms = 0;
  int64_t last_latency_ms = 0;
  int64_t min_latency_ms = 0;
  int64_t avg_latency_ms = 0;  // integer division, as Apache's per-connection stats
  int64_t max_latency_ms = 0;
};

// One watch: a session watching a path (`wchs`, `wchc`, `wchp`). Apache
// lists the data/exists watches here; child watches only count in mntr's
// zk_watch_count.
struct WatchView {
  int64_t session_id = 0;
  std::string path;
};

// Sessions that expire in the same tick bucket (`dump`).
struct SessionExpiryView {
  int64_t expire_time_ms = 0;  // wall clock, ms since the epoch
  std::vector<int64_t> session_ids;
};

// Connections expiring together (`dump`'s Connections section).
struct ConnectionExpiryView {
  int64_t expire_time_ms = 0;
  std::vector<std::pair<std::string, int64_t>> connections;  // remote address, session id
};

// A session's ephemeral nodes (`dump`).
struct EphemeralsView {
  int64_t session_id = 0;
  std::vector<std::string> paths;
};

// Extra lines of `conf` for an ensemble member (QuorumZooKeeperServer).
struct QuorumConfView {
  int32_t init_limit = 0;
  int32_t sync_limit = 0;
  int32_t election_alg = 3;
  int32_t election_port = 0;
  int32_t quorum_port = 0;
  int32_t peer_type = 0;   // 0 participant, 1 observer (LearnerType ordinal)
  std::string membership;  // ServerConfig::MembershipString()
};

// What `conf` prints.
struct ConfView {
  int32_t client_port = 0;
  int32_t secure_client_port = -1;  // -1: no TLS listener
  std::string data_dir;             // the snapshot directory; sizes come from ServerStatsView
  std::string data_log_dir;
  int32_t tick_time = 0;
  int32_t max_client_cnxns = 0;
  int32_t min_session_timeout = 0;
  int32_t max_session_timeout = 0;
  int32_t client_port_listen_backlog = -1;
  int64_t server_id = 0;
  std::optional<QuorumConfView> quorum;  // set for ensemble members
};

// mntr's leader-only gauges.
struct LeaderStatsView {
  int64_t learners = 0;
  int64_t synced_followers = 0;
  int64_t synced_non_voting_followers = 0;
  int64_t synced_observers = 0;
  int64_t pending_syncs = 0;
  int64_t leader_uptime_ms = 0;
  // Proposal sizes in bytes; -1 until the first proposal. Also printed by
  // srvr/stat as "Proposal sizes last/min/max".
  int64_t last_proposal_size = -1;
  int64_t min_proposal_size = -1;
  int64_t max_proposal_size = -1;
};

struct ServerStatsView {
  // False while the server is not serving (e.g. electing a leader): most
  // words then answer "This ZooKeeper instance is not currently serving
  // requests".
  bool serving = true;
  bool read_only = false;  // a read-only server (isro "ro", srvr banner)
  std::string version = FullVersion();
  // "standalone", "leader", "follower", "observer" or "read-only".
  std::string server_state = "standalone";
  std::string peer_state;  // mntr zk_peer_state, e.g. "leading - broadcast"; empty when standalone

  // ServerStats (srvr, stat, mntr).
  int64_t min_latency_ms = 0;
  double avg_latency_ms = 0;  // AverageOf(total, count)
  int64_t max_latency_ms = 0;
  int64_t packets_received = 0;
  int64_t packets_sent = 0;
  int64_t num_alive_connections = 0;
  int64_t outstanding_requests = 0;
  int64_t last_processed_zxid = 0;
  int64_t node_count = 0;
  std::optional<LeaderStatsView> leader;  // set on the leader
  // Ensemble members: who leads now (0 while electing) and its host.
  int64_t leader_id = 0;
  std::string leader_host;

  std::vector<ConnectionView> connections;
  std::vector<WatchView> watches;

  // mntr gauges.
  int64_t watch_count = 0;  // all watches, child watches included
  int64_t ephemerals_count = 0;
  int64_t approximate_data_size = 0;
  int64_t global_sessions = 0;
  int64_t local_sessions = 0;
  int64_t uptime_ms = 0;
  int64_t open_file_descriptor_count = -1;  // omitted while negative
  int64_t max_file_descriptor_count = -1;   // omitted while negative
  double connection_drop_probability = 0;
  int64_t last_client_response_size = -1;
  int64_t min_client_response_size = -1;
  int64_t max_client_response_size = -1;
  int64_t outstanding_tls_handshake = 0;
  int64_t auth_failed_count = 0;
  int64_t non_mtls_remote_conn_count = 0;
  int64_t non_mtls_local_conn_count = 0;
  int64_t quorum_size = 0;  // printed for ensemble members when > 0
  // Further "key value" pairs appended to mntr as zk_<key>\t<value>.
  std::vector<std::pair<std::string, std::string>> extra_metrics;

  // dirs and conf.
  int64_t data_dir_size = 0;
  int64_t log_dir_size = 0;
  ConfView conf;

  int64_t trace_mask = 306;  // gtmk/stmk; Apache's default ZooTrace mask

  // envi: key/value pairs after "zookeeper.version"; see ProcessEnvironment()
  // in environment.h.
  std::vector<std::pair<std::string, std::string>> environment;

  // dump.
  std::vector<SessionExpiryView> session_expiry;
  std::vector<EphemeralsView> ephemerals;
  std::vector<ConnectionExpiryView> connection_expiry;
};

// The four-letter code Apache's FinalRequestProcessor records as a
// connection's last operation ("GETD", "CREA", ...); "NA" for others.
std::string_view LastOperationName(int32_t opcode);

// conf's values for a parsed configuration.
ConfView MakeConfView(const config::ServerConfig& config);

}  // namespace zk::admin
