#include "server/zookeeper_server.h"

#include <glog/logging.h>

#include <algorithm>
#include <chrono>
#include <random>

#include "jute/archive.h"
#include "jute/zookeeper.h"
#include "protocol/framing.h"
#include "server/auth/acl.h"
#include "server/auth/authenticate.h"
#include "server/auth/host_address.h"
#include "server/pipeline/forwarded.h"
#include "server/replication/hard_state_file.h"
#include "server/storage/layout.h"
#include "server/storage/recovery.h"

namespace zk {
namespace {

std::string Hex(int64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string NotificationFrame(EventType type, const std::string& path) {
  proto::ReplyHeader header;
  header.xid = xid::kNotification;
  header.zxid = -1;
  header.err = 0;
  proto::WatcherEvent event;
  event.type = static_cast<int32_t>(type);
  event.state = static_cast<int32_t>(KeeperState::kSyncConnected);
  event.path = path;
  return MakeFrame(jute::Encode(header) + jute::Encode(event));
}

std::string ReplyFrame(int32_t xid, int64_t zxid, Err err) {
  proto::ReplyHeader header;
  header.xid = xid;
  header.zxid = zxid;
  header.err = static_cast<int32_t>(err);
  return MakeFrame(jute::Encode(header));
}

// The ACL settings ZooKeeper reads from zookeeper.* system properties, which
// zoo.cfg may also give without the prefix.
auth::AuthSettings AuthSettingsFrom(const config::ServerConfig& config) {
  auto setting = [&config](const std::string& key) -> std::optional<std::string> {
    if (auto it = config.file_properties.find(key); it != config.file_properties.end()) {
      return it->second;
    }
    return config.SystemProperty("zookeeper." + key);
  };
  auth::AuthSettings settings;
  settings.skip_acl = setting("skipACL").value_or("no") == "yes";
  settings.digest_enabled =
      setting("DigestAuthenticationProvider.enabled").value_or("true") != "false";
  settings.super_digest = config.super_digest;
  settings.sasl_enabled = config.SaslProviderEnabled();
  return settings;
}

auth::SaslServerOptions SaslOptionsFrom(const config::ServerConfig& config) {
  auth::SaslServerOptions options;
  options.jaas_path = config.jaas_config_path;
  options.login_context = config.sasl_login_context;
  options.super_user = config.sasl_super_user;
  options.allow_failed_clients = config.allow_sasl_failed_clients;
  return options;
}

}  // namespace

ZooKeeperServer::ZooKeeperServer(boost::asio::io_context& io, ServerOptions options)
    : io_(io),
      options_(std::move(options)),
      tree_(tree::DataTreeOptions{options_.extended_types_enabled, options_.config.enforce_quota}),
      sessions_(options_.server_id, options_.tick_ms, NowMs()),
      listener_(io,
                {boost::asio::ip::make_address(options_.client_address),
                 static_cast<uint16_t>(options_.client_port)},
                this, options_.max_client_cnxns, options_.max_buffer),
      tick_timer_(io),
      core_tick_timer_(io),
      purge_timer_(io),
      container_timer_(io),
      whitelist_(options_.config.four_letter_word_whitelist,
                 options_.config.read_only_mode_enabled),
      started_ms_(NowMs()) {}

// The ZAB core ticks at a finer grain than tickTime, so that an election
// (a few ticks) takes a fraction of a second; the limits keep their meaning in
// time: initLimit and syncLimit are counted in tickTime.
int32_t ZooKeeperServer::CoreTickMs() const { return std::clamp(options_.tick_ms, 1, 100); }

zab::Config ZooKeeperServer::ZabConfig() const {
  zab::Config config;
  const config::ServerConfig& cfg = options_.config;
  if (cfg.IsDistributed()) {
    config.id = cfg.server_id;
    for (const auto& [id, server] : cfg.servers) {
      (server.type == config::LearnerType::kObserver ? config.observers : config.voters)
          .push_back(id);
    }
  } else {
    config.id = 1;
    config.voters = {1};
  }
  int32_t ratio = std::max(1, options_.tick_ms / CoreTickMs());
  config.init_limit = std::max(1, cfg.init_limit) * ratio;
  config.sync_limit = std::max(1, cfg.sync_limit) * ratio;
  config.seed = std::random_device{}() | (uint64_t{std::random_device{}()} << 32);
  return config;
}

bool ZooKeeperServer::Open(std::string* error) {
  storage::StorageDirs dirs =
      storage::DirsFor(options_.config.data_dir, options_.config.data_log_dir);
  storage::TxnLogOptions log_options;
  log_options.dir = dirs.log_dir;
  log_options.sync = options_.config.force_sync;
  if (!log_options.sync) {
    LOG(WARNING) << "forceSync=no: the transaction log is not fsynced; a machine crash may lose "
                    "acknowledged writes";
  }
  if (storage::Status s = storage::TxnLog::Open(log_options, &log_); !s.ok()) {
    *error = "cannot open the transaction log in " + dirs.log_dir + ": " + s.ToString();
    return false;
  }
  // Opening the log creates the snapshot dir only when dataLogDir is dataDir;
  // the epoch file below needs it either way.
  if (storage::Status s = storage::FileEnv::Default()->CreateDirs(dirs.snap_dir); !s.ok()) {
    *error = "cannot create the snapshot directory " + dirs.snap_dir + ": " + s.ToString();
    return false;
  }
  // The tree comes back as of the newest snapshot; the log after it goes to
  // the ZAB core, which commits what a leader (we, when standalone) confirms.
  storage::RecoveryResult recovered;
  std::vector<storage::LogEntry> unapplied;
  if (storage::Status s = storage::Recover(storage::FileEnv::Default(), dirs.snap_dir, log_.get(),
                                           &tree_, &recovered, &unapplied);
      !s.ok()) {
    *error = "cannot recover from " + dirs.snap_dir + ": " + s.ToString();
    return false;
  }
  zab::PersistentState state;
  if (storage::Status s =
          replication::LoadHardState(storage::FileEnv::Default(), dirs.snap_dir, &state.hard_state);
      !s.ok()) {
    *error = "cannot read the epoch file in " + dirs.snap_dir + ": " + s.ToString();
    return false;
  }
  state.snapshot_zxid = recovered.snapshot_zxid;
  state.entries.reserve(unapplied.size());
  for (storage::LogEntry& e : unapplied) state.entries.push_back({e.zxid, std::move(e.txn)});
  unapplied.clear();
  for (const storage::SessionEntry& s : recovered.sessions) {
    sessions_.Add(s.id, s.timeout_ms, NowMs());
  }
  LOG(INFO) << "Recovered snapshot " << Hex(recovered.snapshot_zxid) << " with "
            << recovered.sessions.size() << " sessions; " << state.entries.size()
            << " log entries after it, up to " << Hex(recovered.last_zxid);

  storage::SnapshotterOptions snap_options;
  snap_options.dir = dirs.snap_dir;
  snap_options.snap_count = options_.config.snap_count;
  snap_options.purge_retain_count = 0;  // autopurge runs on its own timer
  snap_options.log = log_.get();
  snapshotter_ = std::make_unique<storage::Snapshotter>(snap_options, &tree_, &sessions_);

  const zab::Config zab_config = ZabConfig();
  if (options_.config.IsDistributed()) {
    std::vector<quorum::PeerAddress> peers;
    for (const auto& [id, server] : options_.config.servers) {
      peers.push_back({id, server.host, static_cast<uint16_t>(server.peer_port)});
    }
    transport_ = std::make_unique<quorum::PeerTransport>(io_, zab_config.id, std::move(peers),
                                                         [this](zab::Message m) {
                                                           if (orderer_)
                                                             orderer_->Step(std::move(m));
                                                         });
  }
  replication::ReplicatedOrdererOptions zab_options;
  zab_options.config = zab_config;
  zab_options.state = std::move(state);
  zab_options.snap_dir = dirs.snap_dir;
  orderer_ = std::make_unique<replication::ReplicatedOrderer>(
      std::move(zab_options), log_.get(),
      [this](storage::TxnLog::Task task) { boost::asio::post(io_, std::move(task)); },
      snapshotter_.get(),
      [this](zab::Message m) {
        if (transport_) transport_->Send(std::move(m));
      },
      [this](const zab::Snapshot& snapshot) { return InstallSnapshot(snapshot); },
      [this](const zab::SoftState& soft) { RoleChanged(soft); },
      [this](const storage::Status& s) {
        // As ZooKeeper exits when its log fails: never acknowledge what was not synced.
        LOG(ERROR) << "Storage failed, no more writes will be acknowledged: " << s.ToString()
                   << "; shutting down";
        Stop();
        io_.stop();
      });
  pipeline::ResponseSink* sink = this;
  pipeline_ = std::make_unique<pipeline::RequestPipeline>(
      &tree_, &sessions_, orderer_.get(), sink, [this] { return NowMs(); },
      options_.extended_types_enabled, options_.max_buffer, AuthSettingsFrom(options_.config));
  pipeline_->ResetZxid(recovered.snapshot_zxid);
  pipeline_->SetReadOnly(ReadOnly());

  tree_.SetWatchListener([this](const tree::WatchEvent& event) {
    // A session that may not read the node does not hear about it.
    if (event.acl != nullptr &&
        auth::CheckAcl(*event.acl, perms::kRead, pipeline_->AuthOf(event.watcher),
                       pipeline_->auth_settings()) != Err::kOk) {
      return;
    }
    Notify(event.watcher, event.type, std::string(event.path));
  });
  return true;
}

bool ZooKeeperServer::InstallSnapshot(const zab::Snapshot& snapshot) {
  storage::StorageDirs dirs =
      storage::DirsFor(options_.config.data_dir, options_.config.data_log_dir);
  storage::FileEnv* env = storage::FileEnv::Default();
  // Durable first: after a crash we restart from it, not from older state.
  const std::string path = dirs.snap_dir + "/" + storage::SnapshotFileName(snapshot.zxid);
  std::unique_ptr<storage::WritableFile> file;
  storage::Status s = env->CreateDirs(dirs.snap_dir);
  if (s.ok()) s = env->NewWritableFile(path + ".tmp", &file);
  if (s.ok()) s = file->Append(snapshot.data);
  if (s.ok()) s = file->Sync();
  if (s.ok()) s = file->Close();
  if (s.ok()) s = env->RenameFile(path + ".tmp", path);
  if (s.ok()) s = env->SyncDir(dirs.snap_dir);
  std::vector<storage::SessionEntry> sessions;
  int64_t zxid = 0;
  tree_.Reset();
  if (s.ok()) s = storage::LoadSnapshot(snapshot.data, &tree_, &sessions, &zxid);
  if (!s.ok()) {
    LOG(ERROR) << "Cannot install the leader's snapshot: " << s.ToString();
    return false;
  }
  for (const auto& [id, timeout] : sessions_.List()) sessions_.Remove(id);
  for (const storage::SessionEntry& e : sessions) sessions_.Add(e.id, e.timeout_ms, NowMs());
  pipeline_->StateReplaced(zxid);
  LOG(INFO) << "Installed snapshot " << Hex(zxid) << " (" << tree_.NodeCount() << " nodes)";
  return true;
}

// Clients of the old leadership are dropped: what they had in flight may or
// may not commit, and they resume their sessions once someone serves again.
void ZooKeeperServer::RoleChanged(const zab::SoftState& soft) {
  std::vector<std::shared_ptr<net::ClientConnection>> conns;
  for (auto& [id, conn] : session_conns_) conns.push_back(conn);
  session_conns_.clear();
  for (auto& conn : conns) conn->Close();
  for (int64_t id : read_only_sessions_) sessions_.Remove(id);
  read_only_sessions_.clear();
  pipeline_->RoleChanged(soft.role == zab::Role::kLeading && soft.serving,
                         zab::MakeZxid(soft.epoch, 0));
  pipeline_->SetReadOnly(ReadOnly());
}

ZooKeeperServer::~ZooKeeperServer() = default;

int64_t ZooKeeperServer::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void ZooKeeperServer::Start() {
  if (transport_) {
    std::string error;
    if (!transport_->Start(&error)) LOG(FATAL) << "Cannot listen for peers: " << error;
  }
  orderer_->Tick();
  listener_.Start();
  ScheduleTick();
  ScheduleCoreTick();
  if (auto interval = options_.config.SystemProperty("znode.container.checkIntervalMs")) {
    container_check_ms_ = std::max<int64_t>(1, std::atoll(interval->c_str()));
  } else if (auto it = options_.config.file_properties.find("znode.container.checkIntervalMs");
             it != options_.config.file_properties.end()) {
    container_check_ms_ = std::max<int64_t>(1, std::atoll(it->second.c_str()));
  }
  ScheduleContainerCheck();
  if (options_.config.purge_interval_hours > 0) SchedulePurge(std::chrono::milliseconds(0));
  if (options_.config.admin_enable_server) {
    admin_http_ = std::make_unique<admin::http::AdminHttpServer>(
        io_, admin::http::AdminHttpOptionsFrom(options_.config), [this] { return StatsView(); });
    std::string error;
    if (!admin_http_->Start(&error)) {
      // Clients are still served, as an Apache server does when its AdminServer fails.
      LOG(WARNING) << "Problem starting AdminServer: " << error;
      admin_http_.reset();
    }
  }
  LOG(INFO) << "Serving clients on " << options_.client_address << ":" << port();
}

void ZooKeeperServer::ScheduleContainerCheck() {
  container_timer_.expires_after(std::chrono::milliseconds(container_check_ms_));
  container_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    pipeline_->CheckContainers();
    ScheduleContainerCheck();
  });
}

// autopurge: once at start, as ZooKeeper does, then every purgeInterval hours.
void ZooKeeperServer::SchedulePurge(std::chrono::milliseconds delay) {
  purge_timer_.expires_after(delay);
  purge_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    snapshotter_->RequestPurge(options_.config.snap_retain_count);
    SchedulePurge(std::chrono::hours(options_.config.purge_interval_hours));
  });
}

void ZooKeeperServer::Stop() {
  tick_timer_.cancel();
  purge_timer_.cancel();
  core_tick_timer_.cancel();
  if (transport_) transport_->Stop();
  container_timer_.cancel();
  if (admin_http_) admin_http_->Stop();
  listener_.Stop();
}

void ZooKeeperServer::ScheduleTick() {
  tick_timer_.expires_after(std::chrono::milliseconds(std::max(options_.tick_ms / 2, 1)));
  tick_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    pipeline_->ExpireSessions();
    ReportTouchedSessions();
    ScheduleTick();
  });
}

void ZooKeeperServer::ScheduleCoreTick() {
  // A server that is not serving yet ticks fast: a standalone server elects
  // itself in a few ticks, and a restart should not wait for them.
  int32_t ms = orderer_->serving() || options_.config.IsDistributed() ? CoreTickMs() : 1;
  core_tick_timer_.expires_after(std::chrono::milliseconds(ms));
  core_tick_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    WatchPeerLinks();
    orderer_->Tick();
    ScheduleCoreTick();
  });
}

// A link that was up and went down means the peer died or was cut off.
void ZooKeeperServer::WatchPeerLinks() {
  if (!transport_) return;
  for (const auto& [id, server] : options_.config.servers) {
    if (id == options_.config.server_id) continue;
    bool up = transport_->Connected(id);
    bool& was_up = peer_up_[id];
    if (was_up && !up) orderer_->PeerDown(id);
    was_up = up;
  }
}

// Followers tell the leader which sessions their clients kept alive; the
// leader alone expires sessions.
void ZooKeeperServer::ReportTouchedSessions() {
  if (orderer_->Leading() || !orderer_->serving()) return;
  pipeline::Forwarded touched;
  touched.kind = pipeline::Forwarded::Kind::kTouch;
  touched.sessions = pipeline_->TakeTouched();
  if (!touched.sessions.empty()) orderer_->Forward(pipeline::EncodeForwarded(touched));
}

std::string ZooKeeperServer::FourLetterWord(const std::string& word) {
  if (!admin::IsKnownFourLetterWord(word)) return "";
  if (!whitelist_.IsAllowed(word)) return admin::NotWhitelistedResponse(word);
  if (word == "crst") pipeline_->ResetStats();
  if (word == "srst") pipeline_->ResetStats();
  return admin::RenderFourLetterWord(word, StatsView()).value_or("");
}

void ZooKeeperServer::Handshake(const std::shared_ptr<net::ClientConnection>& conn,
                                std::string_view frame) {
  jute::InputArchive in(frame, options_.max_buffer);
  proto::ConnectRequest req;
  if (!req.Deserialize(in)) {
    LOG(WARNING) << "Closing connection from " << conn->remote_address()
                 << ": malformed connect request";
    conn->Close();
    return;
  }
  bool read_only_byte = in.Remaining() >= 1;
  bool wants_read_only = false;
  if (read_only_byte && !in.ReadBool(&wants_read_only)) wants_read_only = false;
  if (!orderer_->serving()) {
    if (ReadOnly() && wants_read_only) {
      AttachReadOnly(conn, req, read_only_byte);
      return;
    }
    LOG(INFO) << "Closing connection from " << conn->remote_address()
              << ": not serving (no established leader)";
    conn->Close();
    return;
  }
  if (req.lastZxidSeen > pipeline_->LastProcessedZxid()) {
    LOG(INFO) << "Refusing session request for client " << conn->remote_address()
              << " as it has seen zxid " << Hex(req.lastZxidSeen) << " our last zxid is "
              << Hex(pipeline_->LastProcessedZxid()) << " client must try another server";
    conn->Close();
    return;
  }
  int32_t timeout =
      std::clamp(req.timeOut, options_.min_session_timeout_ms, options_.max_session_timeout_ms);
  if (req.sessionId == 0) {
    std::weak_ptr<net::ClientConnection> weak = conn;
    pipeline_->CreateSession(timeout, [this, weak, timeout, read_only_byte](int64_t session_id) {
      if (auto c = weak.lock()) Attach(c, session_id, timeout, read_only_byte);
    });
    return;
  }
  bool valid = req.passwd == session::SessionTracker::PasswordFor(req.sessionId) &&
               sessions_.Touch(req.sessionId, NowMs());
  if (!valid) {
    LOG(INFO) << "Invalid session " << Hex(req.sessionId) << " for client "
              << conn->remote_address() << ", probably expired";
    proto::ConnectResponse rsp;
    rsp.passwd.assign(16, '\0');
    std::string body = jute::Encode(rsp);
    if (read_only_byte) body.push_back('\0');
    conn->Send(MakeFrame(body));
    conn->CloseAfterWrites();
    return;
  }
  Attach(conn, req.sessionId, timeout, read_only_byte);
}

bool ZooKeeperServer::ReadOnly() const {
  return options_.config.read_only_mode_enabled && options_.config.IsDistributed() &&
         !orderer_->serving();
}

// Without a quorum, a read-only server keeps serving reads to clients that
// allow it, as ZooKeeper's ReadOnlyZooKeeperServer does: a new session is
// local to this server and ends when the server rejoins a quorum.
void ZooKeeperServer::AttachReadOnly(const std::shared_ptr<net::ClientConnection>& conn,
                                     const proto::ConnectRequest& req, bool read_only_byte) {
  int32_t timeout =
      std::clamp(req.timeOut, options_.min_session_timeout_ms, options_.max_session_timeout_ms);
  int64_t session_id = req.sessionId;
  if (session_id == 0) {
    session_id = sessions_.NextSessionId();
    sessions_.Add(session_id, timeout, NowMs());
    read_only_sessions_.insert(session_id);
  } else if (req.passwd != session::SessionTracker::PasswordFor(session_id) ||
             !sessions_.Touch(session_id, NowMs())) {
    proto::ConnectResponse rsp;
    rsp.passwd.assign(16, '\0');
    std::string body = jute::Encode(rsp);
    if (read_only_byte) body.push_back('\0');
    conn->Send(MakeFrame(body));
    conn->CloseAfterWrites();
    return;
  }
  Attach(conn, session_id, timeout, read_only_byte, /*read_only=*/true);
}

void ZooKeeperServer::Attach(const std::shared_ptr<net::ClientConnection>& conn, int64_t session_id,
                             int32_t timeout_ms, bool read_only_byte, bool read_only) {
  if (auto it = session_conns_.find(session_id); it != session_conns_.end()) {
    std::shared_ptr<net::ClientConnection> old = std::move(it->second);
    session_conns_.erase(it);
    if (old != conn) old->Close();
  }
  session_conns_[session_id] = conn;
  pipeline_->Attached(
      session_id, auth::JavaHostAddress(conn->remote_address()).value_or(conn->remote_address()));
  proto::ConnectResponse rsp;
  rsp.protocolVersion = 0;
  rsp.timeOut = timeout_ms;
  rsp.sessionId = session_id;
  rsp.passwd = session::SessionTracker::PasswordFor(session_id);
  std::string body = jute::Encode(rsp);
  if (read_only_byte) body.push_back(read_only ? '\1' : '\0');
  conn->Send(MakeFrame(body));
  conn->SessionEstablished(session_id);
  VLOG(1) << "Established session " << Hex(session_id) << " with negotiated timeout " << timeout_ms
          << " for client " << conn->remote_address();
}

bool ZooKeeperServer::Request(const std::shared_ptr<net::ClientConnection>& conn,
                              std::string_view frame) {
  jute::InputArchive in(frame, options_.max_buffer);
  proto::RequestHeader header;
  if (!header.Deserialize(in)) {
    LOG(WARNING) << "Closing connection from " << conn->remote_address()
                 << ": malformed request header";
    return false;
  }
  auto op = static_cast<OpCode>(header.type);
  if (op == OpCode::kAuth) {
    proto::AuthPacket packet;
    if (!packet.Deserialize(in)) return false;
    int64_t session_id = conn->session_id();
    std::string host =
        auth::JavaHostAddress(conn->remote_address()).value_or(conn->remote_address());
    // Null credentials authenticate no one (ZooKeeper's providers refuse them).
    Err err = packet.authIsNull
                  ? Err::kAuthFailed
                  : auth::HandleAddAuth(packet.scheme, packet.auth, host,
                                        pipeline_->auth_settings(), &pipeline_->AuthOf(session_id));
    conn->Send(ReplyFrame(header.xid, 0, err));
    // ZooKeeper answers a failed authentication and then closes the connection.
    return err == Err::kOk;
  }
  if (op == OpCode::kSasl) {
    proto::GetSASLRequest packet;
    if (!packet.Deserialize(in)) return false;
    if (!sasl_) {
      sasl_ = std::make_unique<auth::SaslAuthenticator>(SaslOptionsFrom(options_.config));
      if (std::string error; !sasl_->Load(&error)) LOG(ERROR) << "SASL unavailable: " << error;
    }
    auth::SaslReply reply =
        sasl_->Handle(conn, packet.token, &pipeline_->AuthOf(conn->session_id()));
    proto::ReplyHeader header_out;
    header_out.xid = header.xid;
    header_out.zxid = 0;
    header_out.err = static_cast<int32_t>(reply.err);
    proto::SetSASLResponse response;
    response.token = std::move(reply.token);
    response.tokenIsNull = reply.token_is_null;
    conn->Send(MakeFrame(jute::Encode(header_out) + jute::Encode(response)));
    return !reply.close;
  }
  pipeline::Request request;
  request.session_id = conn->session_id();
  request.xid = header.xid;
  request.op = op;
  request.body.assign(frame.substr(frame.size() - in.Remaining()));
  request.received_ms = NowMs();
  pipeline_->Submit(std::move(request));
  return true;
}

void ZooKeeperServer::Closed(net::ClientConnection* conn) {
  int64_t session_id = conn->session_id();
  if (session_id != 0) {
    auto it = session_conns_.find(session_id);
    if (it != session_conns_.end() && it->second.get() == conn) {
      session_conns_.erase(it);
      pipeline_->Disconnected(session_id);
    }
  }
  listener_.Forget(conn);
}

void ZooKeeperServer::Send(int64_t session_id, std::string frame) {
  if (auto it = session_conns_.find(session_id); it != session_conns_.end()) {
    it->second->Send(std::move(frame));
  }
}

void ZooKeeperServer::SessionClosed(int64_t session_id) {
  auto it = session_conns_.find(session_id);
  if (it == session_conns_.end()) return;
  std::shared_ptr<net::ClientConnection> conn = std::move(it->second);
  session_conns_.erase(it);
  conn->CloseAfterWrites();
}

void ZooKeeperServer::DropConnection(int64_t session_id) {
  if (auto it = session_conns_.find(session_id); it != session_conns_.end()) {
    it->second->CloseAfterWrites();
  }
}

void ZooKeeperServer::Notify(int64_t session_id, EventType type, const std::string& path) {
  Send(session_id, NotificationFrame(type, path));
}

}  // namespace zk
