// DistributedQueue: each item to exactly one consumer, in order; priorities.
#include "client/recipes/queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "tests/recipes/recipe_fixture.h"

namespace zk::recipes::testing {
namespace {

using namespace std::chrono_literals;
using QueueTest = RecipeTest;

TEST_F(QueueTest, SeveralConsumersTakeEachItemOnceAndInOrder) {
  constexpr int kItems = 60, kConsumers = 3;
  std::vector<std::unique_ptr<SyncClient>> clients;
  for (int i = 0; i < kConsumers; ++i) {
    clients.push_back(Connect());
    ASSERT_NE(clients.back(), nullptr);
  }
  std::mutex mu;
  std::vector<std::vector<int>> taken(kConsumers);
  std::atomic<int> total{0}, failures{0};
  std::vector<std::thread> consumers;
  for (int c = 0; c < kConsumers; ++c) {
    consumers.emplace_back([&, c] {
      DistributedQueue queue(*clients[c], Path("queue"));
      while (total.load() < kItems) {
        std::string item;
        Err err = queue.Take(&item, 200ms);
        if (err == Err::kOperationTimeout) continue;
        if (err != Err::kOk) {
          failures++;
          return;
        }
        total++;
        std::lock_guard<std::mutex> lock(mu);
        taken[c].push_back(std::stoi(item));
      }
    });
  }
  DistributedQueue producer(*zk_, Path("queue"));
  for (int i = 0; i < kItems; ++i) ASSERT_EQ(producer.Offer(std::to_string(i)), Err::kOk);
  for (auto& t : consumers) t.join();
  EXPECT_EQ(failures.load(), 0);
  std::vector<int> all;
  for (const auto& items : taken) {
    EXPECT_TRUE(std::is_sorted(items.begin(), items.end()));
    all.insert(all.end(), items.begin(), items.end());
  }
  std::sort(all.begin(), all.end());
  std::vector<int> expected(kItems);
  for (int i = 0; i < kItems; ++i) expected[i] = i;
  EXPECT_EQ(all, expected);
  int size = -1;
  ASSERT_EQ(producer.Size(&size), Err::kOk);
  EXPECT_EQ(size, 0);
}

TEST_F(QueueTest, PollOnAnEmptyQueueSaysNoNodeAndTakeTimesOut) {
  DistributedQueue queue(*zk_, Path("queue"));
  std::string item;
  EXPECT_EQ(queue.Take(&item, 200ms), Err::kOperationTimeout);
  EXPECT_EQ(queue.Poll(&item), Err::kNoNode);
}

TEST_F(QueueTest, PriorityQueueServesLowerPrioritiesFirstThenArrivalOrder) {
  DistributedPriorityQueue queue(*zk_, Path("pq"));
  ASSERT_EQ(queue.Offer("low-1", 10), Err::kOk);
  ASSERT_EQ(queue.Offer("urgent", -5), Err::kOk);
  ASSERT_EQ(queue.Offer("normal-1", 0), Err::kOk);
  ASSERT_EQ(queue.Offer("low-2", 10), Err::kOk);
  ASSERT_EQ(queue.Offer("normal-2", 0), Err::kOk);
  std::vector<std::string> out;
  std::string item;
  while (queue.Poll(&item) == Err::kOk) out.push_back(item);
  EXPECT_EQ(out, (std::vector<std::string>{"urgent", "normal-1", "normal-2", "low-1", "low-2"}));
}

TEST_F(QueueTest, ItemsOutliveTheProducersSession) {
  {
    auto producer_zk = Connect();
    ASSERT_NE(producer_zk, nullptr);
    DistributedQueue producer(*producer_zk, Path("queue"));
    ASSERT_EQ(producer.Offer("kept"), Err::kOk);
    ASSERT_TRUE(ExpireSession(*producer_zk));
  }
  DistributedQueue consumer(*zk_, Path("queue"));
  std::string item;
  ASSERT_EQ(consumer.Take(&item, kWait), Err::kOk);
  EXPECT_EQ(item, "kept");
}

}  // namespace
}  // namespace zk::recipes::testing
