#include "client/lib/sync_client.h"

#include <future>
#include <thread>

#include "client/lib/client_session.h"

namespace zk::client {
namespace {

// Runs one asynchronous call and waits for its callback, which completes on
// the io thread (InlineCompletionScope) so the event thread may block here.
template <class Start>
Err Call(Start start) {
  std::promise<Err> done;
  {
    ClientSession::InlineCompletionScope scope;
    start([&done](Err err) { done.set_value(err); });
  }
  return done.get_future().get();
}

template <class T>
void Put(T* out, const T& value) {
  if (out != nullptr) *out = value;
}

}  // namespace

SyncClient::SyncClient(ClientOptions options)
    : client_(std::make_unique<ZkClient>(std::move(options))) {}

SyncClient::~SyncClient() = default;

bool SyncClient::WaitConnected(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    KeeperState state = client_->State();
    if (state == KeeperState::kSyncConnected || state == KeeperState::kConnectedReadOnly) {
      return true;
    }
    if (!client_->Valid() || state == KeeperState::kClosed || state == KeeperState::kExpired ||
        state == KeeperState::kAuthFailed || std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

Err SyncClient::Close() {
  return Call([&](auto done) { client_->Close(done); });
}

Err SyncClient::Create(const std::string& path, const std::string& data, const AclList& acl,
                       CreateMode mode, std::string* created_path, Stat* stat, int64_t ttl_ms) {
  return Create(path, &data, acl, mode, created_path, stat, ttl_ms);
}

Err SyncClient::Create(const std::string& path, const std::string* data, const AclList& acl,
                       CreateMode mode, std::string* created_path, Stat* stat, int64_t ttl_ms) {
  return Call([&](auto done) {
    client_->Create(
        path, data, acl, mode,
        [&, done](Err err, const std::string& p, const Stat& s) {
          if (err == Err::kOk) {
            Put(created_path, p);
            Put(stat, s);
          }
          done(err);
        },
        ttl_ms);
  });
}

Err SyncClient::Delete(const std::string& path, int32_t version) {
  return Call([&](auto done) { client_->Delete(path, version, done); });
}

Err SyncClient::Exists(const std::string& path, Stat* stat, Watcher watcher) {
  return Call([&](auto done) {
    client_->Exists(
        path,
        [&, done](Err err, const Stat& s) {
          if (err == Err::kOk) Put(stat, s);
          done(err);
        },
        std::move(watcher));
  });
}

Err SyncClient::GetData(const std::string& path, std::string* data, Stat* stat, Watcher watcher,
                        bool* data_null) {
  return Call([&](auto done) {
    client_->GetData(
        path,
        NullableDataCallback([&, done](Err err, const std::string& d, bool null, const Stat& s) {
          if (err == Err::kOk) {
            Put(data, d);
            Put(stat, s);
            Put(data_null, null);
          }
          done(err);
        }),
        std::move(watcher));
  });
}

Err SyncClient::SetData(const std::string& path, const std::string& data, int32_t version,
                        Stat* stat) {
  return SetData(path, &data, version, stat);
}

Err SyncClient::SetData(const std::string& path, const std::string* data, int32_t version,
                        Stat* stat) {
  return Call([&](auto done) {
    client_->SetData(path, data, version, [&, done](Err err, const Stat& s) {
      if (err == Err::kOk) Put(stat, s);
      done(err);
    });
  });
}

Err SyncClient::GetChildren(const std::string& path, std::vector<std::string>* children,
                            Watcher watcher) {
  return Call([&](auto done) {
    client_->GetChildren(
        path,
        [&, done](Err err, const std::vector<std::string>& c, const Stat&) {
          if (err == Err::kOk) Put(children, c);
          done(err);
        },
        std::move(watcher));
  });
}

Err SyncClient::GetChildren2(const std::string& path, std::vector<std::string>* children,
                             Stat* stat, Watcher watcher) {
  return Call([&](auto done) {
    client_->GetChildren2(
        path,
        [&, done](Err err, const std::vector<std::string>& c, const Stat& s) {
          if (err == Err::kOk) {
            Put(children, c);
            Put(stat, s);
          }
          done(err);
        },
        std::move(watcher));
  });
}

Err SyncClient::GetAllChildrenNumber(const std::string& path, int32_t* count) {
  return Call([&](auto done) {
    client_->GetAllChildrenNumber(path, [&, done](Err err, int32_t n) {
      if (err == Err::kOk) Put(count, n);
      done(err);
    });
  });
}

Err SyncClient::GetEphemerals(const std::string& prefix, std::vector<std::string>* paths) {
  return Call([&](auto done) {
    client_->GetEphemerals(prefix, [&, done](Err err, const std::vector<std::string>& p) {
      if (err == Err::kOk) Put(paths, p);
      done(err);
    });
  });
}

Err SyncClient::Sync(const std::string& path) {
  return Call(
      [&](auto done) { client_->Sync(path, [done](Err err, const std::string&) { done(err); }); });
}

Err SyncClient::Multi(const std::vector<Op>& ops, std::vector<OpResult>* results) {
  return Call([&](auto done) {
    client_->Multi(ops, [&, done](Err err, const std::vector<OpResult>& r) {
      Put(results, r);
      done(err);
    });
  });
}

Err SyncClient::MultiRead(const std::vector<Op>& ops, std::vector<OpResult>* results) {
  return Call([&](auto done) {
    client_->MultiRead(ops, [&, done](Err err, const std::vector<OpResult>& r) {
      Put(results, r);
      done(err);
    });
  });
}

Err SyncClient::GetAcl(const std::string& path, AclList* acl, Stat* stat) {
  return Call([&](auto done) {
    client_->GetAcl(path, [&, done](Err err, const AclList& a, const Stat& s) {
      if (err == Err::kOk) {
        Put(acl, a);
        Put(stat, s);
      }
      done(err);
    });
  });
}

Err SyncClient::SetAcl(const std::string& path, const AclList& acl, int32_t aversion, Stat* stat) {
  return Call([&](auto done) {
    client_->SetAcl(path, acl, aversion, [&, done](Err err, const Stat& s) {
      if (err == Err::kOk) Put(stat, s);
      done(err);
    });
  });
}

Err SyncClient::AddAuth(const std::string& scheme, const std::string& auth) {
  return AddAuth(scheme, &auth);
}

Err SyncClient::AddAuth(const std::string& scheme, const std::string* auth) {
  return Call([&](auto done) { client_->AddAuth(scheme, auth, done); });
}

Err SyncClient::AddWatch(const std::string& path, AddWatchMode mode, Watcher watcher) {
  return Call([&](auto done) { client_->AddWatch(path, mode, std::move(watcher), done); });
}

Err SyncClient::RemoveWatches(const std::string& path, WatcherType type) {
  return Call([&](auto done) { client_->RemoveWatches(path, type, done); });
}

Err SyncClient::CheckWatches(const std::string& path, WatcherType type) {
  return Call([&](auto done) { client_->CheckWatches(path, type, done); });
}

Err SyncClient::WhoAmI(std::vector<ClientInfo>* identities) {
  return Call([&](auto done) {
    client_->WhoAmI([&, done](Err err, const std::vector<ClientInfo>& ids) {
      if (err == Err::kOk) Put(identities, ids);
      done(err);
    });
  });
}

}  // namespace zk::client
