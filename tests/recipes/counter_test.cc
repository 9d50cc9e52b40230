// SharedCounter: concurrent increments are never lost.
#include "client/recipes/counter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "tests/recipes/recipe_fixture.h"

namespace zk::recipes::testing {
namespace {

using CounterTest = RecipeTest;

TEST_F(CounterTest, ConcurrentIncrementsFromSeveralClientsSumCorrectly) {
  constexpr int kClients = 4, kIncrements = 25;
  std::vector<std::unique_ptr<SyncClient>> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(Connect());
    ASSERT_NE(clients.back(), nullptr);
  }
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  std::vector<std::vector<int64_t>> results(kClients);
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&, c] {
      SharedCounter counter(*clients[c], Path("counter"));
      for (int i = 0; i < kIncrements; ++i) {
        int64_t value = 0;
        if (counter.Add(1, &value) != Err::kOk) failures++;
        results[c].push_back(value);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  SharedCounter counter(*zk_, Path("counter"));
  int64_t value = 0;
  ASSERT_EQ(counter.Get(&value), Err::kOk);
  EXPECT_EQ(value, kClients * kIncrements);
  // Every increment saw a distinct result: 1..N, each once.
  std::vector<int64_t> all;
  for (const auto& r : results) all.insert(all.end(), r.begin(), r.end());
  std::sort(all.begin(), all.end());
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i], static_cast<int64_t>(i + 1));
}

TEST_F(CounterTest, StartsAtItsInitialValueAndAddsNegativeDeltas) {
  SharedCounter counter(*zk_, Path("counter"), 10);
  int64_t value = 0;
  ASSERT_EQ(counter.Get(&value), Err::kOk);
  EXPECT_EQ(value, 10);
  ASSERT_EQ(counter.Add(-3, &value), Err::kOk);
  EXPECT_EQ(value, 7);
  std::string data;
  ASSERT_EQ(zk_->GetData(Path("counter"), &data), Err::kOk);
  EXPECT_EQ(data, "7");
}

TEST_F(CounterTest, CompareAndSetFailsWhenTheValueMoved) {
  SharedCounter counter(*zk_, Path("counter"));
  ASSERT_EQ(counter.Ensure(), Err::kOk);
  EXPECT_EQ(counter.CompareAndSet(0, 5), Err::kOk);
  EXPECT_EQ(counter.CompareAndSet(0, 6), Err::kBadVersion);
  int64_t value = 0;
  ASSERT_EQ(counter.Get(&value), Err::kOk);
  EXPECT_EQ(value, 5);
}

}  // namespace
}  // namespace zk::recipes::testing
