#include "server/zookeeper_server.h"

#include <glog/logging.h>

#include <algorithm>
#include <chrono>

#include "jute/archive.h"
#include "jute/zookeeper.h"
#include "protocol/framing.h"
#include "server/auth/acl.h"
#include "server/auth/authenticate.h"
#include "server/auth/host_address.h"
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
  return settings;
}

}  // namespace

ZooKeeperServer::ZooKeeperServer(boost::asio::io_context& io, ServerOptions options)
    : io_(io),
      options_(std::move(options)),
      tree_(tree::DataTreeOptions{options_.extended_types_enabled}),
      sessions_(options_.server_id, options_.tick_ms, NowMs()),
      listener_(io,
                {boost::asio::ip::make_address(options_.client_address),
                 static_cast<uint16_t>(options_.client_port)},
                this, options_.max_client_cnxns, options_.max_buffer),
      tick_timer_(io),
      container_timer_(io),
      whitelist_(options_.config.four_letter_word_whitelist,
                 options_.config.read_only_mode_enabled),
      started_ms_(NowMs()) {}

bool ZooKeeperServer::Open(std::string* error) {
  storage::StorageDirs dirs =
      storage::DirsFor(options_.config.data_dir, options_.config.data_log_dir);
  storage::TxnLogOptions log_options;
  log_options.dir = dirs.log_dir;
  if (storage::Status s = storage::TxnLog::Open(log_options, &log_); !s.ok()) {
    *error = "cannot open the transaction log in " + dirs.log_dir + ": " + s.ToString();
    return false;
  }
  storage::RecoveryResult recovered;
  if (storage::Status s = storage::Recover(storage::FileEnv::Default(), dirs.snap_dir, log_.get(),
                                           &tree_, &recovered);
      !s.ok()) {
    *error = "cannot recover from " + dirs.snap_dir + ": " + s.ToString();
    return false;
  }
  // Sessions come back with their timeouts restarted, as in ZooKeeper.
  for (const storage::SessionEntry& s : recovered.sessions) {
    sessions_.Add(s.id, s.timeout_ms, NowMs());
  }
  LOG(INFO) << "Recovered to zxid " << Hex(recovered.last_zxid) << " (snapshot "
            << Hex(recovered.snapshot_zxid) << ", " << recovered.replayed << " txns replayed, "
            << recovered.sessions.size() << " sessions)";

  storage::SnapshotterOptions snap_options;
  snap_options.dir = dirs.snap_dir;
  snap_options.snap_count = options_.config.snap_count;
  snap_options.purge_retain_count =
      options_.config.purge_interval_hours > 0 ? options_.config.snap_retain_count : 0;
  snap_options.log = log_.get();
  snapshotter_ = std::make_unique<storage::Snapshotter>(snap_options, &tree_, &sessions_);
  orderer_ = std::make_unique<storage::LoggedOrderer>(
      log_.get(), [this](storage::TxnLog::Task task) { boost::asio::post(io_, std::move(task)); },
      snapshotter_.get(),
      [this](const storage::Status& s) {
        // As ZooKeeper exits when its log fails: never acknowledge what was not synced.
        LOG(ERROR) << "Transaction log failed, no more writes will be acknowledged: "
                   << s.ToString() << "; shutting down";
        Stop();
        io_.stop();
      });
  pipeline::ResponseSink* sink = this;
  pipeline_ = std::make_unique<pipeline::RequestPipeline>(
      &tree_, &sessions_, orderer_.get(), sink, [this] { return NowMs(); },
      options_.extended_types_enabled, options_.max_buffer, AuthSettingsFrom(options_.config));
  pipeline_->ResetZxid(recovered.last_zxid);

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

ZooKeeperServer::~ZooKeeperServer() = default;

int64_t ZooKeeperServer::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void ZooKeeperServer::Start() {
  listener_.Start();
  ScheduleTick();
  if (auto interval = options_.config.SystemProperty("znode.container.checkIntervalMs")) {
    container_check_ms_ = std::max<int64_t>(1, std::atoll(interval->c_str()));
  } else if (auto it = options_.config.file_properties.find("znode.container.checkIntervalMs");
             it != options_.config.file_properties.end()) {
    container_check_ms_ = std::max<int64_t>(1, std::atoll(it->second.c_str()));
  }
  ScheduleContainerCheck();
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

void ZooKeeperServer::Stop() {
  tick_timer_.cancel();
  container_timer_.cancel();
  if (admin_http_) admin_http_->Stop();
  listener_.Stop();
}

void ZooKeeperServer::ScheduleTick() {
  tick_timer_.expires_after(std::chrono::milliseconds(std::max(options_.tick_ms / 2, 1)));
  tick_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    pipeline_->ExpireSessions();
    ScheduleTick();
  });
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

void ZooKeeperServer::Attach(const std::shared_ptr<net::ClientConnection>& conn, int64_t session_id,
                             int32_t timeout_ms, bool read_only_byte) {
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
  if (read_only_byte) body.push_back('\0');
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
    Err err = auth::HandleAddAuth(packet.scheme, packet.auth, host, pipeline_->auth_settings(),
                                  &pipeline_->AuthOf(session_id));
    conn->Send(ReplyFrame(header.xid, 0, err));
    // ZooKeeper answers a failed authentication and then closes the connection.
    return err == Err::kOk;
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
