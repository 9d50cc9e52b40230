// The asynchronous ZooKeeper client: one session with a ZooKeeper ensemble.
//
// A ZkClient speaks the ZooKeeper client protocol to any server of the
// connect string, keeps its session across reconnects (session id, password
// and last zxid seen travel in every ConnectRequest), pings at a third of the
// negotiated timeout, and re-registers its watches with SetWatches2 after a
// reconnect, as Apache ZooKeeper's Java client does.
//
// Every operation takes a callback that runs exactly once with the result.
// Errors arrive as zk::Err (ErrName gives ZooKeeper's name): a call made on a
// closed handle fails with kConnectionLoss, on an expired one with
// kSessionExpired; calls in flight when the connection drops fail with
// kConnectionLoss (the session may live on: the client reconnects). Calls
// issued while disconnected wait for the next connection and fail with
// kConnectionLoss if that attempt fails.
//
// Threads: ZkClient is thread-safe. Network I/O runs on an io_context, either
// its own (one thread) or one the caller supplies (any number of threads; the
// client serializes itself on a strand). Callbacks and watchers run in the
// order the server answered, on one event thread per client by default, so
// they may call SyncClient; with ClientOptions::callbacks_on_io_thread they run
// on the io_context instead (faster, but they must not block).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "jute/zookeeper.h"
#include "protocol/errors.h"
#include "protocol/opcodes.h"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace zk::client {

using Stat = zk::data::Stat;
using Acl = zk::data::ACL;
using AclList = std::vector<zk::data::ACL>;
using ClientInfo = zk::data::ClientInfo;

// The ACLs of ZooDefs.Ids.
AclList OpenAclUnsafe();  // world:anyone with all permissions
AclList CreatorAllAcl();  // auth: all permissions for the creator's identities
AclList ReadAclUnsafe();  // world:anyone may read

// Which watches removeWatches/checkWatches address (WatcherType).
enum class WatcherType : int32_t { kChildren = 1, kData = 2, kAny = 3 };

// addWatch modes (AddWatchMode).
enum class AddWatchMode : int32_t { kPersistent = 0, kPersistentRecursive = 1 };

// A watch notification or a session state change (type kNone, path empty).
// Paths are as the caller sees them: relative to the chroot.
struct WatchedEvent {
  EventType type = EventType::kNone;
  KeeperState state = KeeperState::kDisconnected;
  std::string path;
};
using Watcher = std::function<void(const WatchedEvent&)>;

struct ClientOptions {
  // "host:port,host:port/chroot"; hosts are tried in a shuffled order.
  std::string connect_string;
  // Requested session timeout; the server negotiates it into its bounds.
  int session_timeout_ms = 30000;
  // Resume an existing session (as ZooKeeper(connectString, ..., sessionId,
  // passwd)); 0 starts a new one.
  int64_t session_id = 0;
  std::string session_password;
  // Accept a read-only server (readOnly flag of the ConnectRequest).
  bool can_be_read_only = false;
  // Keep the connect string's host order (tests); default shuffles.
  bool shuffle_hosts = true;
  // Run I/O on this io_context instead of an own thread. REQUIRES: it runs
  // until the client is destroyed.
  boost::asio::io_context* io_context = nullptr;
  // Run callbacks and watchers on the io_context instead of an event thread.
  bool callbacks_on_io_thread = false;
  // Receives session events (SyncConnected, Disconnected, Expired,
  // AuthFailed, ConnectedReadOnly, Closed). May be empty.
  Watcher default_watcher;
};

// One operation of multi() or multiRead().
struct Op {
  OpCode type = OpCode::kCheck;
  std::string path;
  std::string data;
  AclList acl;
  CreateMode mode = CreateMode::kPersistent;
  int64_t ttl_ms = -1;
  int32_t version = -1;

  static Op Create(std::string path, std::string data, AclList acl,
                   CreateMode mode = CreateMode::kPersistent, int64_t ttl_ms = -1);
  static Op Delete(std::string path, int32_t version = -1);
  static Op SetData(std::string path, std::string data, int32_t version = -1);
  static Op Check(std::string path, int32_t version);
  // multiRead only.
  static Op GetData(std::string path);
  static Op GetChildren(std::string path);
};

// The result of one operation, as ZooKeeper reports it. When a multi fails,
// every result is an error result (type kError): kOk for the operations
// before the failing one, its error for it, kRuntimeInconsistency after it.
// In multiRead each operation succeeds or fails on its own.
struct OpResult {
  OpCode type = OpCode::kError;
  Err err = Err::kOk;
  std::string path;                   // create: the created path
  Stat stat;                          // create (with stat), setData, getData
  std::string data;                   // getData
  std::vector<std::string> children;  // getChildren
};

using VoidCallback = std::function<void(Err)>;
using StatCallback = std::function<void(Err, const Stat&)>;
using CreateCallback = std::function<void(Err, const std::string& path, const Stat&)>;
using DataCallback = std::function<void(Err, const std::string& data, const Stat&)>;
// getData telling null data (data_null, data empty) from empty data.
using NullableDataCallback =
    std::function<void(Err, const std::string& data, bool data_null, const Stat&)>;
// getChildren (stat is zero) and getChildren2.
using ChildrenCallback =
    std::function<void(Err, const std::vector<std::string>& children, const Stat&)>;
using StringsCallback = std::function<void(Err, const std::vector<std::string>&)>;
using CountCallback = std::function<void(Err, int32_t)>;
using AclCallback = std::function<void(Err, const AclList&, const Stat&)>;
using MultiCallback = std::function<void(Err, const std::vector<OpResult>&)>;
using StringCallback = std::function<void(Err, const std::string&)>;
using WhoAmICallback = std::function<void(Err, const std::vector<ClientInfo>&)>;

class ClientSession;

class ZkClient {
 public:
  // Starts connecting at once. A malformed connect string makes every call
  // fail with kBadArguments (see Valid()).
  explicit ZkClient(ClientOptions options);
  // Closes the session (bounded wait) and stops the client's threads.
  // REQUIRES: not called from one of this client's callbacks.
  ~ZkClient();

  ZkClient(const ZkClient&) = delete;
  ZkClient& operator=(const ZkClient&) = delete;

  // False when the connect string could not be parsed.
  bool Valid() const;
  // The current state: kDisconnected until the first handshake, then
  // kSyncConnected / kConnectedReadOnly / kDisconnected, and finally kClosed,
  // kExpired or kAuthFailed.
  KeeperState State() const;
  // Valid once connected; stays after a close so a session can be resumed.
  int64_t SessionId() const;
  std::string SessionPassword() const;
  int NegotiatedTimeoutMs() const;
  // The highest zxid seen in a response.
  int64_t LastZxid() const;
  // "host:port" of the current server, empty when disconnected.
  std::string CurrentServer() const;

  // Sends closeSession and ends the handle; `done` (may be empty) runs when
  // the server answered or the attempt gave up. Later calls fail with
  // kConnectionLoss. Safe to call more than once.
  void Close(VoidCallback done = nullptr);

  // create2 (createContainer / createTTL for those modes): the callback gets
  // the created path (with the sequential suffix) and its Stat. ttl_ms is
  // required (> 0) for the TTL modes and must be -1 otherwise.
  void Create(const std::string& path, const std::string& data, const AclList& acl, CreateMode mode,
              CreateCallback cb, int64_t ttl_ms = -1);
  // As above; a null `data` creates the node with null data (not empty).
  void Create(const std::string& path, const std::string* data, const AclList& acl, CreateMode mode,
              CreateCallback cb, int64_t ttl_ms = -1);
  void Delete(const std::string& path, int32_t version, VoidCallback cb);
  // kNoNode when absent; a watcher is then set for the node's creation.
  void Exists(const std::string& path, StatCallback cb, Watcher watcher = nullptr);
  void GetData(const std::string& path, DataCallback cb, Watcher watcher = nullptr);
  void GetData(const std::string& path, NullableDataCallback cb, Watcher watcher = nullptr);
  void SetData(const std::string& path, const std::string& data, int32_t version, StatCallback cb);
  // A null `data` sets null data.
  void SetData(const std::string& path, const std::string* data, int32_t version, StatCallback cb);
  // getChildren (opcode 8): the Stat passed to cb is zero.
  void GetChildren(const std::string& path, ChildrenCallback cb, Watcher watcher = nullptr);
  // getChildren2 (opcode 12): children and the parent's Stat.
  void GetChildren2(const std::string& path, ChildrenCallback cb, Watcher watcher = nullptr);
  void GetAllChildrenNumber(const std::string& path, CountCallback cb);
  // Ephemeral nodes of this session whose path starts with prefix ("/" = all).
  void GetEphemerals(const std::string& prefix, StringsCallback cb);
  // The callback gets the path the server echoed.
  void Sync(const std::string& path, StringCallback cb);
  // Atomic: all operations or none. The Err is the first failing result's.
  void Multi(const std::vector<Op>& ops, MultiCallback cb);
  // getData/getChildren operations, each answered independently.
  void MultiRead(const std::vector<Op>& ops, MultiCallback cb);
  void GetAcl(const std::string& path, AclCallback cb);
  void SetAcl(const std::string& path, const AclList& acl, int32_t aversion, StatCallback cb);
  // Adds an identity (e.g. "digest", "user:pass"); it is resent after every
  // reconnect. kAuthFailed ends the session (the server closes it).
  void AddAuth(const std::string& scheme, const std::string& auth, VoidCallback cb);
  // A null `auth` sends a null auth buffer, as zkCli.sh does for a missing one.
  void AddAuth(const std::string& scheme, const std::string* auth, VoidCallback cb);
  // Persistent watch: fires for every change until removed.
  void AddWatch(const std::string& path, AddWatchMode mode, Watcher watcher, VoidCallback cb);
  // Removes this client's watches of `type` on path (server and local); the
  // removed watchers get a *WatchRemoved event. kNoWatcher if none.
  void RemoveWatches(const std::string& path, WatcherType type, VoidCallback cb);
  // kOk if the server holds a watch of `type` on path, else kNoWatcher.
  void CheckWatches(const std::string& path, WatcherType type, VoidCallback cb);
  void WhoAmI(WhoAmICallback cb);

 private:
  std::shared_ptr<ClientSession> session_;
};

}  // namespace zk::client
