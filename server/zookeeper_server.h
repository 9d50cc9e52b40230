// The server assembled: client listener, sessions, the request pipeline and the
// data tree, all driven by one io_context thread that owns them.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>

#include "server/admin/four_letter_words.h"
#include "server/admin/http/admin_http_server.h"
#include "server/auth/sasl_authenticator.h"
#include "server/config/server_config.h"
#include "server/net/asio.h"
#include "server/net/client_listener.h"
#include "server/pipeline/request_pipeline.h"
#include "server/session/session_tracker.h"
#include "server/quorum/peer_transport.h"
#include "server/replication/replicated_orderer.h"
#include "server/storage/snapshotter.h"
#include "server/storage/txn_log.h"
#include "server/tree/data_tree.h"

namespace zk {

struct ServerOptions {
  std::string client_address = "0.0.0.0";
  int client_port = 2181;
  int32_t tick_ms = 2000;
  int32_t min_session_timeout_ms = 4000;
  int32_t max_session_timeout_ms = 40000;
  int max_client_cnxns = 60;
  int32_t max_buffer = 0xfffff;
  int64_t server_id = 0;
  bool extended_types_enabled = false;
  config::ServerConfig config;  // as read, for `conf`, `envi` and the 4lw whitelist
};

class ZooKeeperServer : private net::ConnectionHandler, private pipeline::ResponseSink {
 public:
  ZooKeeperServer(boost::asio::io_context& io, ServerOptions options);
  ZooKeeperServer(const ZooKeeperServer&) = delete;
  ZooKeeperServer& operator=(const ZooKeeperServer&) = delete;
  ~ZooKeeperServer() override;

  // Opens the transaction log and recovers the tree and sessions from the data
  // directories. False (with the reason in *error) when the server must not start.
  bool Open(std::string* error);
  // REQUIRES: Open succeeded.
  void Start();
  void Stop();
  uint16_t port() const { return listener_.port(); }

 private:
  // net::ConnectionHandler
  std::string FourLetterWord(const std::string& word) override;
  void Handshake(const std::shared_ptr<net::ClientConnection>& conn,
                 std::string_view frame) override;
  bool Request(const std::shared_ptr<net::ClientConnection>& conn, std::string_view frame) override;
  void Closed(net::ClientConnection* conn) override;

  // pipeline::ResponseSink
  void Send(int64_t session_id, std::string frame) override;
  void SessionClosed(int64_t session_id) override;
  void DropConnection(int64_t session_id) override;

  void Notify(int64_t session_id, EventType type, const std::string& path);
  // The ZAB configuration: the ensemble's, or a single voter when standalone.
  zab::Config ZabConfig() const;
  int32_t CoreTickMs() const;
  bool InstallSnapshot(const zab::Snapshot& snapshot);
  void RoleChanged(const zab::SoftState& soft);
  void ScheduleCoreTick();
  void SchedulePurge(std::chrono::milliseconds delay);
  void ReportTouchedSessions();
  void WatchPeerLinks();
  void Attach(const std::shared_ptr<net::ClientConnection>& conn, int64_t session_id,
              int32_t timeout_ms, bool read_only_byte, bool read_only = false);
  void AttachReadOnly(const std::shared_ptr<net::ClientConnection>& conn,
                      const proto::ConnectRequest& req, bool read_only_byte);
  // Without a quorum, serving reads only (readonlymode.enabled).
  bool ReadOnly() const;
  void ScheduleTick();
  void ScheduleContainerCheck();
  // A snapshot of the server's state for the four-letter words.
  admin::ServerStatsView StatsView() const;
  int64_t NowMs() const;

  boost::asio::io_context& io_;
  ServerOptions options_;
  tree::DataTree tree_;
  session::SessionTracker sessions_;
  // Declared so that destruction stops the pipeline first and the log last,
  // after it has written out its queue.
  std::unique_ptr<storage::TxnLog> log_;
  std::unique_ptr<storage::Snapshotter> snapshotter_;
  std::unique_ptr<replication::ReplicatedOrderer> orderer_;
  std::unique_ptr<quorum::PeerTransport> transport_;  // null when standalone
  std::map<int64_t, bool> peer_up_;  // outgoing peer links seen connected
  std::set<int64_t> read_only_sessions_;  // local to this server while read-only
  std::unique_ptr<pipeline::RequestPipeline> pipeline_;
  net::ClientListener listener_;
  boost::asio::steady_timer tick_timer_;
  boost::asio::steady_timer core_tick_timer_;
  boost::asio::steady_timer purge_timer_;
  boost::asio::steady_timer container_timer_;
  int64_t container_check_ms_ = 60000;  // znode.container.checkIntervalMs
  // The connection each session is attached to now.
  std::unordered_map<int64_t, std::shared_ptr<net::ClientConnection>> session_conns_;
  admin::FourLetterWordWhitelist whitelist_;
  std::unique_ptr<admin::http::AdminHttpServer> admin_http_;
  int64_t started_ms_ = 0;
  // SASL negotiations; made with the first sasl packet.
  std::unique_ptr<auth::SaslAuthenticator> sasl_;
};

}  // namespace zk
