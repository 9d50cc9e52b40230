// The connection state machine under ZkClient: handshake, pending requests in
// xid order, pings, read timeouts, reconnects keeping the session, watch
// re-registration and session events.
//
// Threads: everything but Submit, the getters and Shutdown runs on strand_.
// Reply handlers run on the strand and return the closure that tells the
// caller; it runs on the event dispatcher, or on the strand for requests
// submitted under an InlineCompletionScope (the blocking API), so a blocking
// call never waits for the event thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "client/lib/connect_string.h"
#include "client/lib/event_dispatcher.h"
#include "client/lib/watch_registry.h"
#include "client/lib/zk_client.h"
#include "jute/archive.h"
#include "server/net/asio.h"

namespace zk::client {

class ClientSession : public std::enable_shared_from_this<ClientSession> {
 public:
  // Decodes a reply (body is null when the request failed locally) and
  // returns what to tell the caller (may be empty).
  using ReplyHandler = std::function<std::function<void()>(Err err, jute::InputArchive* body)>;

  struct Request {
    OpCode op = OpCode::kPing;
    std::string body;  // the record after the RequestHeader
    ReplyHandler handler;
    bool inline_completion = false;
  };

  // While one lives on a thread, requests submitted from that thread complete
  // on the io thread rather than the event thread.
  class InlineCompletionScope {
   public:
    InlineCompletionScope();
    ~InlineCompletionScope();
    InlineCompletionScope(const InlineCompletionScope&) = delete;
    InlineCompletionScope& operator=(const InlineCompletionScope&) = delete;

   private:
    bool previous_;
  };

  explicit ClientSession(ClientOptions options);
  ~ClientSession();

  ClientSession(const ClientSession&) = delete;
  ClientSession& operator=(const ClientSession&) = delete;

  // Begins connecting. REQUIRES: called once, after construction through make_shared.
  void Start();
  // Closes the session, waits for the answer (bounded), stops delivering
  // callbacks and joins the client's own threads.
  void Shutdown();

  bool Valid() const { return valid_; }
  const std::string& Chroot() const { return connect_.chroot; }

  // Sends req (now, or after the next handshake) or fails it at once on a
  // dead handle. Thread-safe.
  void Submit(Request req);
  // Thread-safe; see ZkClient::AddAuth.
  void SubmitAuth(std::string scheme, std::string auth, bool auth_null, ReplyHandler handler);
  // Thread-safe; see ZkClient::Close.
  void Close(VoidCallback done);

  // On the strand, from reply handlers.
  WatchRegistry& Watches() { return watches_; }
  // Runs a watcher with an event, in order, on the event thread.
  void DeliverWatcher(Watcher watcher, WatchedEvent event);

  KeeperState State() const;
  int64_t SessionId() const;
  std::string SessionPassword() const;
  int NegotiatedTimeoutMs() const;
  int64_t LastZxid() const;
  std::string CurrentServer() const;

 private:
  using Clock = std::chrono::steady_clock;
  using tcp = boost::asio::ip::tcp;

  struct Pending {
    int32_t xid;
    ReplyHandler handler;
    bool inline_completion;
  };
  struct AuthInfo {
    std::string scheme;
    std::string auth;
    bool auth_null = false;
    ReplyHandler handler;  // until its first answer
    bool inline_completion = false;
  };
  enum class Phase { kIdle, kConnecting, kHandshaking, kConnected, kClosing, kDead };

  // Connection lifecycle.
  void StartAttempt();
  void OnTcpConnected(uint64_t generation);
  void OnHandshake(std::string_view frame);
  void OnConnectionLost(const char* why);
  void ScheduleReconnect();
  void Tick(uint64_t generation);
  void BecomeDead(KeeperState state, Err err);
  void SetState(KeeperState state, bool notify);

  // I/O.
  void SendFrame(const proto::RequestHeader& header, std::string_view body);
  void SendRequest(Request req);
  void Flush();
  void ReadMore(uint64_t generation);
  bool ConsumeFrames();
  bool HandleReply(std::string_view frame);
  void SendSetWatches();
  void SendAuth(AuthInfo& info);

  void Fail(ReplyHandler& handler, bool inline_completion, Err err);
  void Deliver(std::function<void()> fn, bool inline_completion);
  Err DeadError() const;

  const ClientOptions options_;
  ConnectString connect_;
  bool valid_ = false;

  std::unique_ptr<boost::asio::io_context> own_io_;
  boost::asio::io_context* io_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::thread io_thread_;
  std::unique_ptr<EventDispatcher> dispatcher_;

  // Owned by the strand.
  Phase phase_ = Phase::kIdle;
  bool stopped_ = false;
  uint64_t generation_ = 0;  // bumped per connection; stale handlers compare
  std::unique_ptr<tcp::socket> socket_;
  tcp::resolver resolver_;
  boost::asio::steady_timer attempt_timer_;
  boost::asio::steady_timer tick_timer_;
  boost::asio::steady_timer reconnect_timer_;
  size_t next_host_ = 0;
  size_t failed_attempts_ = 0;  // since the last handshake
  std::mt19937 rng_;
  std::string read_buf_;
  size_t read_len_ = 0;
  std::string out_buf_;
  std::string writing_buf_;
  bool writing_ = false;
  Clock::time_point last_send_;
  Clock::time_point last_recv_;
  int32_t next_xid_ = 1;
  std::deque<Pending> pending_;
  std::deque<Request> queued_;
  std::vector<AuthInfo> auth_infos_;
  std::deque<Pending> auth_waiters_;  // xid -4 answers, in order
  WatchRegistry watches_;
  std::vector<std::pair<VoidCallback, bool>> close_waiters_;  // and inline_completion
  KeeperState dead_state_ = KeeperState::kClosed;

  // Readable from any thread.
  mutable std::mutex info_mu_;
  KeeperState state_ = KeeperState::kDisconnected;  // guarded by info_mu_
  int64_t session_id_ = 0;                          // guarded by info_mu_
  std::string password_;                            // guarded by info_mu_
  int timeout_ms_ = 0;                              // guarded by info_mu_
  int64_t last_zxid_ = 0;                           // guarded by info_mu_
  std::string server_;                              // guarded by info_mu_
};

}  // namespace zk::client
