// Shared helpers of the storage tests: scratch directories, a task queue to
// stand in for the owner thread, transaction builders and tree comparison.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "protocol/opcodes.h"
#include "server/pipeline/txn.h"
#include "server/storage/txn_log.h"
#include "server/tree/data_tree.h"

namespace zk::storage::testing {

// A fresh directory per test, removed afterwards.
class ScratchDir {
 public:
  ScratchDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::path(::testing::TempDir()) /
            (std::string("storage_") + info->test_suite_name() + "_" + info->name());
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() { std::filesystem::remove_all(path_); }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  std::string path() const { return path_.string(); }
  std::string Sub(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// The owner thread of a test: callbacks posted here run when the test drains it.
class TaskQueue {
 public:
  TxnLog::Poster Poster() {
    return [this](TxnLog::Task task) {
      std::lock_guard<std::mutex> lock(mu_);
      tasks_.push_back(std::move(task));
      cv_.notify_all();
    };
  }
  // Runs tasks until `done` holds or `timeout` passes; returns done().
  bool RunUntil(const std::function<bool()>& done,
                std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::unique_lock<std::mutex> lock(mu_);
      // Wake now and then: `done` may turn true without any task.
      if (!cv_.wait_for(lock, std::chrono::milliseconds(2), [this] { return !tasks_.empty(); })) {
        continue;
      }
      TxnLog::Task task = std::move(tasks_.front());
      tasks_.pop_front();
      lock.unlock();
      task();
    }
    return true;
  }
  // Runs whatever is queued now.
  void RunPending() {
    while (true) {
      std::unique_lock<std::mutex> lock(mu_);
      if (tasks_.empty()) return;
      TxnLog::Task task = std::move(tasks_.front());
      tasks_.pop_front();
      lock.unlock();
      task();
    }
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<TxnLog::Task> tasks_;
};

inline std::vector<data::ACL> OpenAcl() {
  data::ACL acl;
  acl.perms = perms::kAll;
  acl.id.scheme = "world";
  acl.id.id = "anyone";
  return {acl};
}

inline pipeline::Txn MakeTxn(OpCode type, int64_t zxid, int64_t session, pipeline::TxnBody body) {
  pipeline::Txn txn;
  txn.header.clientId = session;
  txn.header.cxid = static_cast<int32_t>(zxid);
  txn.header.zxid = zxid;
  txn.header.time = 1700000000000 + zxid;
  txn.header.type = static_cast<int32_t>(type);
  txn.body = std::move(body);
  return txn;
}

inline pipeline::Txn CreateSession(int64_t zxid, int64_t session, int32_t timeout = 30000) {
  txn::CreateSessionTxn body;
  body.timeOut = timeout;
  return MakeTxn(OpCode::kCreateSession, zxid, session, body);
}
inline pipeline::Txn CloseSession(int64_t zxid, int64_t session) {
  return MakeTxn(OpCode::kCloseSession, zxid, session, txn::CloseSessionTxn{});
}
inline pipeline::Txn Create(int64_t zxid, const std::string& path, const std::string& data,
                            int64_t ephemeral_session = 0, int32_t parent_cversion = -1) {
  txn::CreateTxn body;
  body.path = path;
  body.data = data;
  body.acl = OpenAcl();
  body.ephemeral = ephemeral_session != 0;
  body.parentCVersion = parent_cversion;
  return MakeTxn(OpCode::kCreate, zxid, ephemeral_session, body);
}
inline pipeline::Txn SetData(int64_t zxid, const std::string& path, const std::string& data,
                             int32_t version) {
  txn::SetDataTxn body;
  body.path = path;
  body.data = data;
  body.version = version;
  return MakeTxn(OpCode::kSetData, zxid, 0, body);
}
inline pipeline::Txn Delete(int64_t zxid, const std::string& path) {
  txn::DeleteTxn body;
  body.path = path;
  return MakeTxn(OpCode::kDelete, zxid, 0, body);
}

// A little history of `count` txns starting at zxid `first`: sessions come
// and go, nodes are created, changed and deleted, some are ephemeral.
std::vector<pipeline::Txn> MakeHistory(int64_t first, int count);

// Every node of the tree, one line each, for comparing trees.
std::string DumpTree(const tree::DataTree& tree);

// Appends the txns to `log` (started with `queue`'s poster) in batches of
// ten and waits until all are durable.
void AppendAll(TxnLog* log, TaskQueue* queue, const std::vector<pipeline::Txn>& txns);

}  // namespace zk::storage::testing
