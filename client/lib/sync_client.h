// The blocking ZooKeeper client: ZkClient's operations as calls that wait.
//
// Each call returns zk::Err and fills the outputs it was given (any output
// pointer may be null) only on kOk, except multi's results, which are filled
// on failure too. Calls are thread-safe and may run from many threads at once,
// and from ZkClient callbacks and watchers running on the event thread (not
// with ClientOptions::callbacks_on_io_thread). A call waits until the server
// answers or the connection drops (kConnectionLoss): the client's read timeout
// (two thirds of the session timeout) bounds it when a server stops answering.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "client/lib/zk_client.h"

namespace zk::client {

class SyncClient {
 public:
  explicit SyncClient(ClientOptions options);
  ~SyncClient();

  SyncClient(const SyncClient&) = delete;
  SyncClient& operator=(const SyncClient&) = delete;

  // The asynchronous handle underneath, for callbacks and state.
  ZkClient& Async() { return *client_; }

  // Waits until the session is connected (kSyncConnected or
  // kConnectedReadOnly). Returns false on timeout, or at once when the
  // handle is closed, expired or its connect string invalid.
  bool WaitConnected(std::chrono::milliseconds timeout);

  Err Close();

  Err Create(const std::string& path, const std::string& data, const AclList& acl, CreateMode mode,
             std::string* created_path = nullptr, Stat* stat = nullptr, int64_t ttl_ms = -1);
  // A null `data` creates the node with null data (not empty).
  Err Create(const std::string& path, const std::string* data, const AclList& acl, CreateMode mode,
             std::string* created_path = nullptr, Stat* stat = nullptr, int64_t ttl_ms = -1);
  Err Delete(const std::string& path, int32_t version = -1);
  // kNoNode when absent (the watcher then waits for the creation).
  Err Exists(const std::string& path, Stat* stat = nullptr, Watcher watcher = nullptr);
  // *data_null tells null data (then *data is empty) from empty data.
  Err GetData(const std::string& path, std::string* data, Stat* stat = nullptr,
              Watcher watcher = nullptr, bool* data_null = nullptr);
  Err SetData(const std::string& path, const std::string& data, int32_t version = -1,
              Stat* stat = nullptr);
  // A null `data` sets null data.
  Err SetData(const std::string& path, const std::string* data, int32_t version = -1,
              Stat* stat = nullptr);
  Err GetChildren(const std::string& path, std::vector<std::string>* children,
                  Watcher watcher = nullptr);
  Err GetChildren2(const std::string& path, std::vector<std::string>* children, Stat* stat,
                   Watcher watcher = nullptr);
  Err GetAllChildrenNumber(const std::string& path, int32_t* count);
  Err GetEphemerals(const std::string& prefix, std::vector<std::string>* paths);
  Err Sync(const std::string& path);
  Err Multi(const std::vector<Op>& ops, std::vector<OpResult>* results = nullptr);
  Err MultiRead(const std::vector<Op>& ops, std::vector<OpResult>* results);
  Err GetAcl(const std::string& path, AclList* acl, Stat* stat = nullptr);
  Err SetAcl(const std::string& path, const AclList& acl, int32_t aversion = -1,
             Stat* stat = nullptr);
  Err AddAuth(const std::string& scheme, const std::string& auth);
  // A null `auth` sends a null auth buffer.
  Err AddAuth(const std::string& scheme, const std::string* auth);
  Err AddWatch(const std::string& path, AddWatchMode mode, Watcher watcher);
  Err RemoveWatches(const std::string& path, WatcherType type);
  Err CheckWatches(const std::string& path, WatcherType type);
  Err WhoAmI(std::vector<ClientInfo>* identities);

 private:
  std::unique_ptr<ZkClient> client_;
};

}  // namespace zk::client
