#include "client/lib/client_session.h"

#include <glog/logging.h>

#include <algorithm>
#include <cstring>
#include <future>

#include "protocol/framing.h"

namespace zk::client {
namespace {

thread_local bool t_inline_completion = false;

// Replies may carry up to jute.maxbuffer of data plus their records; be
// generous, as a server may be configured above the default.
constexpr int32_t kMaxFrame = 64 * 1024 * 1024;
// SetWatches2 batches stay below this many path bytes, as the Java client's do.
constexpr size_t kSetWatchesBatchBytes = 128 * 1024;
constexpr auto kCloseWait = std::chrono::seconds(3);

}  // namespace

ClientSession::InlineCompletionScope::InlineCompletionScope() : previous_(t_inline_completion) {
  t_inline_completion = true;
}

ClientSession::InlineCompletionScope::~InlineCompletionScope() { t_inline_completion = previous_; }

ClientSession::ClientSession(ClientOptions options)
    : options_(std::move(options)),
      own_io_(options_.io_context ? nullptr : std::make_unique<boost::asio::io_context>(1)),
      io_(options_.io_context ? options_.io_context : own_io_.get()),
      strand_(boost::asio::make_strand(*io_)),
      resolver_(strand_),
      attempt_timer_(strand_),
      tick_timer_(strand_),
      reconnect_timer_(strand_),
      rng_(std::random_device{}()) {
  std::string error;
  valid_ = ParseConnectString(options_.connect_string, &connect_, &error);
  if (!valid_) LOG(WARNING) << "Bad connect string '" << options_.connect_string << "': " << error;
  if (valid_ && options_.shuffle_hosts) {
    std::shuffle(connect_.hosts.begin(), connect_.hosts.end(), rng_);
  }
  session_id_ = options_.session_id;
  password_ = options_.session_password;
  if (!options_.callbacks_on_io_thread) dispatcher_ = std::make_unique<EventDispatcher>();
  read_buf_.resize(64 * 1024);
}

ClientSession::~ClientSession() = default;

void ClientSession::Start() {
  if (own_io_) {
    work_.emplace(io_->get_executor());
    io_thread_ = std::thread([io = io_] { io->run(); });
  }
  if (!valid_) return;
  boost::asio::dispatch(strand_, [self = shared_from_this()] {
    if (self->phase_ == Phase::kIdle) self->StartAttempt();
  });
}

void ClientSession::Shutdown() {
  std::promise<void> closed;
  Close([&closed](Err) { closed.set_value(); });
  // Close delivers `done` through the dispatcher; it always runs.
  closed.get_future().wait_for(kCloseWait + std::chrono::seconds(2));
  std::promise<void> stopped;
  boost::asio::dispatch(strand_, [this, &stopped] {
    stopped_ = true;
    boost::system::error_code ec;
    if (socket_) socket_->close(ec);
    attempt_timer_.cancel();
    tick_timer_.cancel();
    reconnect_timer_.cancel();
    resolver_.cancel();
    stopped.set_value();
  });
  stopped.get_future().wait();
  dispatcher_.reset();  // runs what is queued, then joins
  if (own_io_) {
    work_.reset();
    io_->stop();
    if (io_thread_.joinable()) io_thread_.join();
  }
}

// ---------------------------------------------------------------------------
// Public entry points (any thread).

void ClientSession::Submit(Request req) {
  req.inline_completion = req.inline_completion || t_inline_completion;
  boost::asio::dispatch(strand_, [self = shared_from_this(), req = std::move(req)]() mutable {
    if (!self->valid_) {
      self->Fail(req.handler, req.inline_completion, Err::kBadArguments);
    } else if (self->phase_ == Phase::kDead || self->phase_ == Phase::kClosing) {
      self->Fail(req.handler, req.inline_completion, self->DeadError());
    } else if (self->phase_ == Phase::kConnected) {
      self->SendRequest(std::move(req));
    } else {
      self->queued_.push_back(std::move(req));
    }
  });
}

void ClientSession::SubmitAuth(std::string scheme, std::string auth, bool auth_null,
                               ReplyHandler handler) {
  bool inline_completion = t_inline_completion;
  boost::asio::dispatch(
      strand_, [self = shared_from_this(), scheme = std::move(scheme), auth = std::move(auth),
                auth_null, handler = std::move(handler), inline_completion]() mutable {
        if (!self->valid_) return self->Fail(handler, inline_completion, Err::kBadArguments);
        if (self->phase_ == Phase::kDead || self->phase_ == Phase::kClosing) {
          return self->Fail(handler, inline_completion, self->DeadError());
        }
        self->auth_infos_.push_back(
            {std::move(scheme), std::move(auth), auth_null, std::move(handler), inline_completion});
        if (self->phase_ == Phase::kConnected) self->SendAuth(self->auth_infos_.back());
      });
}

void ClientSession::Close(VoidCallback done) {
  bool inline_completion = t_inline_completion;
  boost::asio::dispatch(
      strand_, [self = shared_from_this(), done = std::move(done), inline_completion]() mutable {
        if (self->phase_ == Phase::kDead) {
          if (done) self->Deliver([done = std::move(done)] { done(Err::kOk); }, inline_completion);
          return;
        }
        if (done) self->close_waiters_.push_back({std::move(done), inline_completion});
        if (self->phase_ == Phase::kClosing) return;
        if (self->phase_ != Phase::kConnected) {
          self->BecomeDead(KeeperState::kClosed, Err::kConnectionLoss);
          return;
        }
        self->phase_ = Phase::kClosing;
        // Requests not yet sent will never be.
        while (!self->queued_.empty()) {
          Request req = std::move(self->queued_.front());
          self->queued_.pop_front();
          self->Fail(req.handler, req.inline_completion, Err::kConnectionLoss);
        }
        proto::RequestHeader header{self->next_xid_++, static_cast<int32_t>(OpCode::kCloseSession)};
        self->pending_.push_back({header.xid,
                                  [self = self.get()](Err, jute::InputArchive*) {
                                    self->BecomeDead(KeeperState::kClosed, Err::kConnectionLoss);
                                    return std::function<void()>();
                                  },
                                  true});
        self->SendFrame(header, {});
        self->attempt_timer_.expires_after(kCloseWait);
        self->attempt_timer_.async_wait([self](const boost::system::error_code& ec) {
          if (!ec && self->phase_ == Phase::kClosing) {
            self->BecomeDead(KeeperState::kClosed, Err::kConnectionLoss);
          }
        });
      });
}

void ClientSession::DeliverWatcher(Watcher watcher, WatchedEvent event) {
  Deliver([w = std::move(watcher), e = std::move(event)] { w(e); }, false);
}

// ---------------------------------------------------------------------------
// Connection lifecycle (strand).

void ClientSession::StartAttempt() {
  if (stopped_ || phase_ == Phase::kDead) return;
  phase_ = Phase::kConnecting;
  uint64_t generation = ++generation_;
  const HostPort& hp = connect_.hosts[next_host_ % connect_.hosts.size()];
  next_host_++;
  {
    std::lock_guard<std::mutex> lock(info_mu_);
    server_.clear();
  }
  socket_ = std::make_unique<tcp::socket>(strand_);
  read_len_ = 0;
  out_buf_.clear();
  writing_ = false;
  // As the Java client: the session timeout shared among the hosts.
  int per_host_ms =
      std::max<int>(1000, options_.session_timeout_ms / static_cast<int>(connect_.hosts.size()));
  attempt_timer_.expires_after(std::chrono::milliseconds(per_host_ms));
  attempt_timer_.async_wait(
      [self = shared_from_this(), generation](const boost::system::error_code& ec) {
        if (ec || generation != self->generation_) return;
        if (self->phase_ == Phase::kConnecting || self->phase_ == Phase::kHandshaking) {
          self->OnConnectionLost("connect timed out");
        }
      });
  std::string server = hp.host + ":" + std::to_string(hp.port);
  resolver_.async_resolve(
      hp.host, std::to_string(hp.port),
      [self = shared_from_this(), generation, server](const boost::system::error_code& ec,
                                                      tcp::resolver::results_type results) {
        if (generation != self->generation_ || self->stopped_) return;
        if (ec) return self->OnConnectionLost("cannot resolve host");
        boost::asio::async_connect(
            *self->socket_, results,
            [self, generation, server](const boost::system::error_code& ec, const tcp::endpoint&) {
              if (generation != self->generation_ || self->stopped_) return;
              if (ec) return self->OnConnectionLost("cannot connect");
              {
                std::lock_guard<std::mutex> lock(self->info_mu_);
                self->server_ = server;
              }
              self->OnTcpConnected(generation);
            });
      });
}

void ClientSession::OnTcpConnected(uint64_t generation) {
  phase_ = Phase::kHandshaking;
  boost::system::error_code ec;
  socket_->set_option(tcp::no_delay(true), ec);
  proto::ConnectRequest req;
  {
    std::lock_guard<std::mutex> lock(info_mu_);
    req.lastZxidSeen = last_zxid_;
    req.sessionId = session_id_;
    req.passwd = password_;
  }
  req.protocolVersion = 0;
  req.timeOut = options_.session_timeout_ms;
  if (req.passwd.empty()) req.passwd.assign(16, '\0');
  std::string body = jute::Encode(req);
  body.push_back(options_.can_be_read_only ? 1 : 0);
  out_buf_ += MakeFrame(body);
  last_recv_ = Clock::now();
  Flush();
  ReadMore(generation);
}

void ClientSession::OnHandshake(std::string_view frame) {
  jute::InputArchive in(frame, kMaxFrame);
  proto::ConnectResponse resp;
  if (!resp.Deserialize(in)) return OnConnectionLost("bad ConnectResponse");
  bool read_only = false;
  if (in.Remaining() >= 1) in.ReadBool(&read_only);
  if (resp.timeOut <= 0) {
    LOG(INFO) << "Session 0x" << std::hex << SessionId() << " expired";
    return BecomeDead(KeeperState::kExpired, Err::kSessionExpired);
  }
  attempt_timer_.cancel();
  {
    std::lock_guard<std::mutex> lock(info_mu_);
    session_id_ = resp.sessionId;
    password_ = resp.passwd;
    timeout_ms_ = resp.timeOut;
  }
  phase_ = Phase::kConnected;
  failed_attempts_ = 0;
  SetState(read_only ? KeeperState::kConnectedReadOnly : KeeperState::kSyncConnected, true);
  // Identities first, so that re-registered watches pass ACL checks.
  for (AuthInfo& info : auth_infos_) SendAuth(info);
  SendSetWatches();
  while (!queued_.empty() && phase_ == Phase::kConnected) {
    Request req = std::move(queued_.front());
    queued_.pop_front();
    SendRequest(std::move(req));
  }
  last_send_ = Clock::now();
  Tick(generation_);
}

void ClientSession::Tick(uint64_t generation) {
  if (generation != generation_ || phase_ == Phase::kDead || stopped_) return;
  int timeout_ms = NegotiatedTimeoutMs();
  auto now = Clock::now();
  auto read_timeout = std::chrono::milliseconds(timeout_ms * 2 / 3);
  auto ping_every = std::chrono::milliseconds(timeout_ms / 3);
  if (now - last_recv_ > read_timeout) return OnConnectionLost("server silent past read timeout");
  if (phase_ == Phase::kConnected && now - last_send_ >= ping_every) {
    SendFrame({xid::kPing, static_cast<int32_t>(OpCode::kPing)}, {});
  }
  tick_timer_.expires_after(std::chrono::milliseconds(std::max(10, timeout_ms / 6)));
  tick_timer_.async_wait(
      [self = shared_from_this(), generation](const boost::system::error_code& ec) {
        if (!ec) self->Tick(generation);
      });
}

void ClientSession::OnConnectionLost(const char* why) {
  if (phase_ == Phase::kDead || stopped_) return;
  bool was_connected = phase_ == Phase::kConnected;
  bool was_closing = phase_ == Phase::kClosing;
  VLOG(1) << "Connection to " << CurrentServer() << " lost: " << why;
  ++generation_;
  boost::system::error_code ec;
  if (socket_) socket_->close(ec);
  attempt_timer_.cancel();
  tick_timer_.cancel();
  resolver_.cancel();
  writing_ = false;
  out_buf_.clear();
  if (was_closing) return BecomeDead(KeeperState::kClosed, Err::kConnectionLoss);
  while (!pending_.empty()) {
    Pending p = std::move(pending_.front());
    pending_.pop_front();
    Fail(p.handler, p.inline_completion, Err::kConnectionLoss);
  }
  while (!auth_waiters_.empty()) {
    Pending p = std::move(auth_waiters_.front());
    auth_waiters_.pop_front();
    Fail(p.handler, p.inline_completion, Err::kConnectionLoss);
  }
  // As the Java client: requests waiting for this connection fail with it.
  while (!queued_.empty()) {
    Request req = std::move(queued_.front());
    queued_.pop_front();
    Fail(req.handler, req.inline_completion, Err::kConnectionLoss);
  }
  {
    std::lock_guard<std::mutex> lock(info_mu_);
    server_.clear();
  }
  if (was_connected) SetState(KeeperState::kDisconnected, true);
  phase_ = Phase::kConnecting;
  failed_attempts_++;
  ScheduleReconnect();
}

void ClientSession::ScheduleReconnect() {
  // A short random pause spreads reconnecting clients; a longer one after
  // every host failed in a row.
  int max_ms = failed_attempts_ > 0 && failed_attempts_ % connect_.hosts.size() == 0 ? 1000 : 100;
  int delay = std::uniform_int_distribution<int>(max_ms / 5, max_ms)(rng_);
  reconnect_timer_.expires_after(std::chrono::milliseconds(delay));
  reconnect_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (!ec) self->StartAttempt();
  });
}

void ClientSession::BecomeDead(KeeperState state, Err err) {
  if (phase_ == Phase::kDead) return;
  phase_ = Phase::kDead;
  dead_state_ = state;
  ++generation_;
  boost::system::error_code ec;
  if (socket_) socket_->close(ec);
  attempt_timer_.cancel();
  tick_timer_.cancel();
  reconnect_timer_.cancel();
  resolver_.cancel();
  for (auto* queue : {&pending_, &auth_waiters_}) {
    while (!queue->empty()) {
      Pending p = std::move(queue->front());
      queue->pop_front();
      Fail(p.handler, p.inline_completion, err);
    }
  }
  while (!queued_.empty()) {
    Request req = std::move(queued_.front());
    queued_.pop_front();
    Fail(req.handler, req.inline_completion, err);
  }
  {
    std::lock_guard<std::mutex> lock(info_mu_);
    server_.clear();
  }
  SetState(state, true);
  watches_.Clear();
  for (auto& [done, inline_completion] : close_waiters_) {
    Deliver([done = std::move(done)] { done(Err::kOk); }, inline_completion);
  }
  close_waiters_.clear();
}

void ClientSession::SetState(KeeperState state, bool notify) {
  {
    std::lock_guard<std::mutex> lock(info_mu_);
    state_ = state;
  }
  if (notify && options_.default_watcher) {
    DeliverWatcher(options_.default_watcher, WatchedEvent{EventType::kNone, state, ""});
  }
}

// ---------------------------------------------------------------------------
// I/O (strand).

void ClientSession::SendFrame(const proto::RequestHeader& header, std::string_view body) {
  size_t start = out_buf_.size();
  out_buf_.append(4, '\0');
  jute::OutputArchive out(&out_buf_);
  header.Serialize(out);
  out_buf_.append(body);
  auto n = static_cast<uint32_t>(out_buf_.size() - start - 4);
  for (int i = 0; i < 4; ++i) out_buf_[start + i] = static_cast<char>(n >> (24 - 8 * i));
  last_send_ = Clock::now();
  Flush();
}

void ClientSession::SendRequest(Request req) {
  proto::RequestHeader header{next_xid_++, static_cast<int32_t>(req.op)};
  pending_.push_back({header.xid, std::move(req.handler), req.inline_completion});
  SendFrame(header, req.body);
}

void ClientSession::SendAuth(AuthInfo& info) {
  proto::AuthPacket packet;
  packet.type = 0;
  packet.scheme = info.scheme;
  packet.auth = info.auth;
  packet.authIsNull = info.auth_null;
  auth_waiters_.push_back({xid::kAuth, std::move(info.handler), info.inline_completion});
  info.handler = nullptr;
  SendFrame({xid::kAuth, static_cast<int32_t>(OpCode::kAuth)}, jute::Encode(packet));
}

void ClientSession::SendSetWatches() {
  using Kind = WatchRegistry::Kind;
  if (watches_.Empty()) return;
  proto::SetWatches2 batch;
  batch.relativeZxid = LastZxid();
  size_t bytes = 0;
  auto flush = [&] {
    SendFrame({xid::kSetWatches, static_cast<int32_t>(OpCode::kSetWatches2)}, jute::Encode(batch));
    batch = proto::SetWatches2();
    batch.relativeZxid = LastZxid();
    bytes = 0;
  };
  std::pair<Kind, std::vector<std::string>*> lists[] = {
      {Kind::kData, &batch.dataWatches},
      {Kind::kExist, &batch.existWatches},
      {Kind::kChild, &batch.childWatches},
      {Kind::kPersistent, &batch.persistentWatches},
      {Kind::kPersistentRecursive, &batch.persistentRecursiveWatches}};
  for (auto& [kind, list] : lists) {
    for (const std::string& path : watches_.Paths(kind)) {
      if (bytes + path.size() > kSetWatchesBatchBytes) flush();
      std::string server_path = PrependChroot(connect_.chroot, path);
      bytes += server_path.size();
      list->push_back(std::move(server_path));
    }
  }
  if (bytes > 0) flush();
}

void ClientSession::Flush() {
  if (writing_ || out_buf_.empty() || !socket_) return;
  writing_ = true;
  writing_buf_.swap(out_buf_);
  out_buf_.clear();
  uint64_t generation = generation_;
  boost::asio::async_write(
      *socket_, boost::asio::buffer(writing_buf_),
      [self = shared_from_this(), generation](const boost::system::error_code& ec, size_t) {
        if (generation != self->generation_) return;
        self->writing_ = false;
        self->writing_buf_.clear();
        if (ec) return self->OnConnectionLost("write failed");
        self->Flush();
      });
}

void ClientSession::ReadMore(uint64_t generation) {
  if (read_buf_.size() - read_len_ < 16 * 1024) read_buf_.resize(read_buf_.size() * 2);
  socket_->async_read_some(
      boost::asio::buffer(read_buf_.data() + read_len_, read_buf_.size() - read_len_),
      [self = shared_from_this(), generation](const boost::system::error_code& ec, size_t n) {
        if (generation != self->generation_ || self->stopped_) return;
        if (ec)
          return self->OnConnectionLost(ec == boost::asio::error::eof ? "closed by server"
                                                                      : "read failed");
        self->read_len_ += n;
        self->last_recv_ = Clock::now();
        if (!self->ConsumeFrames()) return;
        if (generation == self->generation_) self->ReadMore(generation);
      });
}

bool ClientSession::ConsumeFrames() {
  size_t pos = 0;
  uint64_t generation = generation_;
  while (read_len_ - pos >= 4) {
    int32_t len = ReadFrameLength(reinterpret_cast<const unsigned char*>(read_buf_.data() + pos));
    if (!IsValidFrameLength(len, kMaxFrame)) {
      OnConnectionLost("bad frame length");
      return false;
    }
    if (read_len_ - pos - 4 < static_cast<size_t>(len)) {
      if (read_buf_.size() < static_cast<size_t>(len) + 4) read_buf_.resize(len + 4 + 1024);
      break;
    }
    std::string_view frame(read_buf_.data() + pos + 4, len);
    pos += 4 + len;
    if (phase_ == Phase::kHandshaking) {
      OnHandshake(frame);
    } else if (!HandleReply(frame)) {
      OnConnectionLost("bad reply");
      return false;
    }
    if (generation != generation_) return false;  // the connection ended meanwhile
  }
  if (pos > 0) {
    std::memmove(read_buf_.data(), read_buf_.data() + pos, read_len_ - pos);
    read_len_ -= pos;
  }
  return true;
}

bool ClientSession::HandleReply(std::string_view frame) {
  jute::InputArchive in(frame, kMaxFrame);
  proto::ReplyHeader header;
  if (!header.Deserialize(in)) return false;
  Err err = static_cast<Err>(header.err);
  switch (header.xid) {
    case xid::kPing:
    case xid::kSetWatches: return true;
    case xid::kNotification: {
      proto::WatcherEvent body;
      if (!body.Deserialize(in)) return false;
      WatchedEvent event{static_cast<EventType>(body.type), static_cast<KeeperState>(body.state),
                         StripChroot(connect_.chroot, body.path)};
      for (Watcher& w : watches_.Materialize(event.type, event.path)) {
        DeliverWatcher(std::move(w), event);
      }
      return true;
    }
    case xid::kAuth: {
      if (auth_waiters_.empty()) return true;
      Pending p = std::move(auth_waiters_.front());
      auth_waiters_.pop_front();
      if (p.handler) Deliver(p.handler(err, &in), p.inline_completion);
      if (err == Err::kAuthFailed) BecomeDead(KeeperState::kAuthFailed, Err::kAuthFailed);
      return true;
    }
    default: break;
  }
  if (pending_.empty() || pending_.front().xid != header.xid) {
    LOG(WARNING) << "Reply xid " << header.xid << " out of order";
    return false;
  }
  if (header.zxid > 0) {
    std::lock_guard<std::mutex> lock(info_mu_);
    last_zxid_ = header.zxid;
  }
  Pending p = std::move(pending_.front());
  pending_.pop_front();
  Deliver(p.handler(err, &in), p.inline_completion);
  return true;
}

void ClientSession::Fail(ReplyHandler& handler, bool inline_completion, Err err) {
  if (handler) Deliver(handler(err, nullptr), inline_completion);
}

void ClientSession::Deliver(std::function<void()> fn, bool inline_completion) {
  if (!fn) return;
  if (inline_completion || !dispatcher_ || stopped_) {
    fn();
  } else {
    dispatcher_->Post(std::move(fn));
  }
}

Err ClientSession::DeadError() const {
  switch (dead_state_) {
    case KeeperState::kExpired: return Err::kSessionExpired;
    case KeeperState::kAuthFailed: return Err::kAuthFailed;
    default: return Err::kConnectionLoss;
  }
}

// ---------------------------------------------------------------------------
// Getters (any thread).

KeeperState ClientSession::State() const {
  std::lock_guard<std::mutex> lock(info_mu_);
  return state_;
}

int64_t ClientSession::SessionId() const {
  std::lock_guard<std::mutex> lock(info_mu_);
  return session_id_;
}

std::string ClientSession::SessionPassword() const {
  std::lock_guard<std::mutex> lock(info_mu_);
  return password_;
}

int ClientSession::NegotiatedTimeoutMs() const {
  std::lock_guard<std::mutex> lock(info_mu_);
  return timeout_ms_;
}

int64_t ClientSession::LastZxid() const {
  std::lock_guard<std::mutex> lock(info_mu_);
  return last_zxid_;
}

std::string ClientSession::CurrentServer() const {
  std::lock_guard<std::mutex> lock(info_mu_);
  return server_;
}

}  // namespace zk::client
