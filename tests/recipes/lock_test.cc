// Lock: mutual exclusion, FIFO order, herd-free hand-over, timeouts,
// session expiry of the holder, and connection loss during the create.
#include "client/recipes/lock.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "tests/recipes/recipe_fixture.h"
#include "tests/recipes/tcp_proxy.h"

namespace zk::recipes::testing {
namespace {

using namespace std::chrono_literals;
using LockTest = RecipeTest;

int ChildCount(SyncClient& zk, const std::string& path) {
  std::vector<std::string> children;
  return zk.GetChildren(path, &children) == Err::kOk ? static_cast<int>(children.size()) : -1;
}

TEST_F(LockTest, OnlyOneHolderAtATimeAcrossClientsAndThreads) {
  constexpr int kClients = 3, kThreadsPerClient = 2, kRounds = 5;
  std::vector<std::unique_ptr<SyncClient>> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(Connect());
    ASSERT_NE(clients.back(), nullptr);
  }
  std::atomic<int> inside{0}, max_inside{0};
  int shared_total = 0;  // deliberately unsynchronized: only the lock protects it
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int c = 0; c < kClients; ++c) {
    for (int t = 0; t < kThreadsPerClient; ++t) {
      threads.emplace_back([&, c] {
        Lock lock(*clients[c], Path("mutex"));
        for (int r = 0; r < kRounds; ++r) {
          if (lock.Acquire(kWait) != Err::kOk) {
            failures++;
            continue;
          }
          int now = ++inside;
          max_inside = std::max(max_inside.load(), now);
          int read = shared_total;
          std::this_thread::sleep_for(2ms);
          shared_total = read + 1;
          --inside;
          if (lock.Release() != Err::kOk) failures++;
        }
      });
    }
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(max_inside.load(), 1);
  EXPECT_EQ(shared_total, kClients * kThreadsPerClient * kRounds);
  EXPECT_EQ(ChildCount(*zk_, Path("mutex")), 0);
}

TEST_F(LockTest, WaitersGetTheLockInTheOrderTheyAsked) {
  Lock holder(*zk_, Path("fifo"));
  ASSERT_EQ(holder.Acquire(kWait), Err::kOk);
  constexpr int kWaiters = 4;
  std::vector<std::unique_ptr<SyncClient>> clients;
  std::vector<std::unique_ptr<Lock>> locks;
  std::vector<std::thread> threads;
  std::mutex order_mu;
  std::vector<int> order;
  for (int i = 0; i < kWaiters; ++i) {
    clients.push_back(Connect());
    ASSERT_NE(clients.back(), nullptr);
    locks.push_back(std::make_unique<Lock>(*clients.back(), Path("fifo")));
    threads.emplace_back([&, i] {
      if (locks[i]->Acquire(kWait) != Err::kOk) return;
      {
        std::lock_guard<std::mutex> lock(order_mu);
        order.push_back(i);
      }
      locks[i]->Release();
    });
    // The next waiter asks only once this one is queued.
    ASSERT_TRUE(WaitUntil([&] { return ChildCount(*zk_, Path("fifo")) == i + 2; }));
  }
  ASSERT_EQ(holder.Release(), Err::kOk);
  for (auto& t : threads) t.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3}));
}

TEST_F(LockTest, ReleaseWakesOnlyTheNextWaiter) {
  Lock holder(*zk_, Path("herd"));
  ASSERT_EQ(holder.Acquire(kWait), Err::kOk);
  constexpr int kWaiters = 4;
  std::vector<std::unique_ptr<SyncClient>> clients;
  std::vector<std::unique_ptr<Lock>> locks;
  std::vector<std::thread> threads;
  std::atomic<int> acquired{0};
  std::atomic<bool> release{false};
  for (int i = 0; i < kWaiters; ++i) {
    clients.push_back(Connect());
    ASSERT_NE(clients.back(), nullptr);
    locks.push_back(std::make_unique<Lock>(*clients.back(), Path("herd")));
    threads.emplace_back([&, i] {
      if (locks[i]->Acquire(kWait) != Err::kOk) return;
      acquired++;
      WaitUntil([&] { return release.load(); });
      locks[i]->Release();
    });
    ASSERT_TRUE(WaitUntil([&] { return ChildCount(*zk_, Path("herd")) == i + 2; }));
  }
  if (LocalServer()) {
    // Every contender node but the last is watched by exactly one session
    // (its successor's), and nobody watches the directory.
    std::map<std::string, int> watchers;
    ASSERT_TRUE(WaitUntil([&] {
      watchers = WatchersByPath();
      int watched = 0;
      for (const auto& [path, n] : watchers) {
        if (path.rfind(Path("herd/"), 0) == 0) watched++;
      }
      return watched == kWaiters;
    }));
    for (const auto& [path, n] : watchers) {
      if (path.rfind(Path("herd"), 0) == 0) {
        EXPECT_EQ(n, 1) << path;
      }
    }
    EXPECT_EQ(watchers.count(Path("herd")), 0u);
  }
  ASSERT_EQ(holder.Release(), Err::kOk);
  ASSERT_TRUE(WaitUntil([&] { return acquired.load() == 1; }));
  std::this_thread::sleep_for(300ms);  // time for a herd to show up, if any
  EXPECT_EQ(acquired.load(), 1);
  EXPECT_EQ(locks[0]->WakeUps(), 1u);
  for (int i = 1; i < kWaiters; ++i) EXPECT_EQ(locks[i]->WakeUps(), 0u) << "waiter " << i;
  release = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(acquired.load(), kWaiters);
  for (int i = 0; i < kWaiters; ++i) EXPECT_EQ(locks[i]->WakeUps(), 1u) << "waiter " << i;
}

TEST_F(LockTest, AcquireTimesOutAndWithdrawsItsNode) {
  Lock holder(*zk_, Path("timeout"));
  ASSERT_EQ(holder.Acquire(kWait), Err::kOk);
  auto other = Connect();
  ASSERT_NE(other, nullptr);
  Lock waiter(*other, Path("timeout"));
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(waiter.Acquire(300ms), Err::kOperationTimeout);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 300ms);
  EXPECT_FALSE(waiter.IsHeld());
  EXPECT_EQ(ChildCount(*zk_, Path("timeout")), 1);
  ASSERT_EQ(holder.Release(), Err::kOk);
  EXPECT_EQ(waiter.Acquire(kWait), Err::kOk);
}

TEST_F(LockTest, HolderWhoseSessionExpiresIsToldAndTheNextWaiterGetsTheLock) {
  auto holder_zk = Connect();
  ASSERT_NE(holder_zk, nullptr);
  Lock holder(*holder_zk, Path("expiry"));
  std::atomic<int> lost{0};
  holder.SetLostListener([&] { lost++; });
  ASSERT_EQ(holder.Acquire(kWait), Err::kOk);

  std::atomic<bool> waiter_got_it{false};
  std::thread waiter([&] {
    Lock lock(*zk_, Path("expiry"));
    if (lock.Acquire(20s) == Err::kOk) waiter_got_it = true;
  });
  ASSERT_TRUE(WaitUntil([&] { return ChildCount(*zk_, Path("expiry")) == 2; }));
  EXPECT_FALSE(waiter_got_it.load());

  ASSERT_TRUE(ExpireSession(*holder_zk));
  waiter.join();
  EXPECT_TRUE(waiter_got_it.load());
  ASSERT_TRUE(WaitUntil([&] { return lost.load() == 1; }));
  EXPECT_FALSE(holder.IsHeld());
  EXPECT_EQ(holder.Release(), Err::kOk);
  EXPECT_EQ(lost.load(), 1);
}

TEST_F(LockTest, ConnectionLossDuringCreateAdoptsTheNodeInsteadOfLeavingAnOrphan) {
  std::string hostport = ConnectString();
  if (hostport.find_first_of(",/") != std::string::npos) {
    GTEST_SKIP() << "needs a single server behind the proxy";
  }
  TcpProxy proxy(std::atoi(hostport.substr(hostport.rfind(':') + 1).c_str()));
  ASSERT_TRUE(proxy.Start());
  auto zk = Connect(10000, proxy.HostPort());
  ASSERT_NE(zk, nullptr);
  ASSERT_EQ(zk->Create(Path("cut"), "", client::OpenAclUnsafe(), CreateMode::kPersistent),
            Err::kOk);
  Lock lock(*zk, Path("cut"));
  proxy.CutAfterNextCreate();
  ASSERT_EQ(lock.Acquire(kWait), Err::kOk);
  EXPECT_EQ(proxy.Cuts(), 1);
  std::vector<std::string> children;
  ASSERT_EQ(zk_->GetChildren(Path("cut"), &children), Err::kOk);
  ASSERT_EQ(children.size(), 1u);
  EXPECT_EQ(Path("cut/" + children[0]), lock.NodePath());
  ASSERT_EQ(lock.Release(), Err::kOk);
  ASSERT_EQ(zk_->GetChildren(Path("cut"), &children), Err::kOk);
  EXPECT_TRUE(children.empty());
}

}  // namespace
}  // namespace zk::recipes::testing
