// One-shot and persistent watches, their removal, and chroot'ed event paths.
#include <gtest/gtest.h>

#include <future>
#include <mutex>

#include "tests/client/client_fixture.h"

namespace zk::client::testing {
namespace {

using WatchTest = ClientTest;
constexpr auto kQuiet = std::chrono::milliseconds(300);

TEST_F(WatchTest, DataWatchFiresOnceForTheFirstChange) {
  ASSERT_EQ(zk_->Create("/w", "0", OpenAclUnsafe(), CreateMode::kPersistent), Err::kOk);
  EventQueue events;
  std::string data;
  ASSERT_EQ(zk_->GetData("/w", &data, nullptr, events.AsWatcher()), Err::kOk);
  ASSERT_EQ(zk_->SetData("/w", "1"), Err::kOk);
  ASSERT_EQ(zk_->SetData("/w", "2"), Err::kOk);
  auto e = events.Next();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type, EventType::kNodeDataChanged);
  EXPECT_EQ(e->state, KeeperState::kSyncConnected);
  EXPECT_EQ(e->path, "/w");
  ASSERT_EQ(zk_->Sync("/w"), Err::kOk);
  EXPECT_FALSE(events.Next(kQuiet));
}

TEST_F(WatchTest, ExistsWatchOnAMissingNodeFiresOnCreation) {
  EventQueue events;
  EXPECT_EQ(zk_->Exists("/later", nullptr, events.AsWatcher()), Err::kNoNode);
  ASSERT_EQ(zk_->Create("/later", "", OpenAclUnsafe(), CreateMode::kPersistent), Err::kOk);
  auto e = events.Next();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type, EventType::kNodeCreated);
  EXPECT_EQ(e->path, "/later");
}

TEST_F(WatchTest, ChildWatchFiresOnChildrenChangeAndDeletionFiresDataWatch) {
  ASSERT_EQ(zk_->Create("/p", "", OpenAclUnsafe(), CreateMode::kPersistent), Err::kOk);
  EventQueue child_events, data_events;
  std::vector<std::string> children;
  ASSERT_EQ(zk_->GetChildren("/p", &children, child_events.AsWatcher()), Err::kOk);
  ASSERT_EQ(zk_->Exists("/p", nullptr, data_events.AsWatcher()), Err::kOk);
  ASSERT_EQ(zk_->Create("/p/c", "", OpenAclUnsafe(), CreateMode::kPersistent), Err::kOk);
  auto e = child_events.Next();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type, EventType::kNodeChildrenChanged);
  EXPECT_EQ(e->path, "/p");
  EXPECT_FALSE(data_events.Next(kQuiet));
  ASSERT_EQ(zk_->Delete("/p/c"), Err::kOk);
  ASSERT_EQ(zk_->Delete("/p"), Err::kOk);
  e = data_events.Next();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type, EventType::kNodeDeleted);
}

TEST_F(WatchTest, WatchEventArrivesBeforeTheResponseThatShowsTheChange) {
  ASSERT_EQ(zk_->Create("/w", "0", OpenAclUnsafe(), CreateMode::kPersistent), Err::kOk);
  auto writer = Connect();
  ASSERT_TRUE(writer->WaitConnected(kWait));
  std::mutex mu;
  std::vector<std::string> seen;
  ASSERT_EQ(zk_->GetData("/w", nullptr, nullptr,
                         [&](const WatchedEvent&) {
                           std::lock_guard<std::mutex> lock(mu);
                           seen.push_back("event");
                         }),
            Err::kOk);
  ASSERT_EQ(writer->SetData("/w", "1"), Err::kOk);
  std::promise<void> done;
  zk_->Async().GetData("/w", [&](Err, const std::string& data, const Stat&) {
    std::lock_guard<std::mutex> lock(mu);
    seen.push_back("data " + data);
    done.set_value();
  });
  ASSERT_EQ(done.get_future().wait_for(kWait), std::future_status::ready);
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(seen, (std::vector<std::string>{"event", "data 1"}));
}

TEST_F(WatchTest, PersistentWatchFiresForEveryChangeUntilRemoved) {
  ASSERT_EQ(zk_->Create("/pw", "", OpenAclUnsafe(), CreateMode::kPersistent), Err::kOk);
  EventQueue events;
  ASSERT_EQ(zk_->AddWatch("/pw", AddWatchMode::kPersistent, events.AsWatcher()), Err::kOk);
  ASSERT_EQ(zk_->SetData("/pw", "1"), Err::kOk);
  ASSERT_EQ(zk_->SetData("/pw", "2"), Err::kOk);
  ASSERT_EQ(zk_->Create("/pw/c", "", OpenAclUnsafe(), CreateMode::kPersistent), Err::kOk);
  for (EventType want : {EventType::kNodeDataChanged, EventType::kNodeDataChanged,
                         EventType::kNodeChildrenChanged}) {
    auto e = events.Next();
    ASSERT_TRUE(e);
    EXPECT_EQ(e->type, want);
    EXPECT_EQ(e->path, "/pw");
  }
  EXPECT_EQ(zk_->CheckWatches("/pw", WatcherType::kAny), Err::kOk);
  ASSERT_EQ(zk_->RemoveWatches("/pw", WatcherType::kAny), Err::kOk);
  auto removed = events.Next();
  ASSERT_TRUE(removed);
  EXPECT_EQ(removed->type, EventType::kPersistentWatchRemoved);
  ASSERT_EQ(zk_->SetData("/pw", "3"), Err::kOk);
  EXPECT_FALSE(events.Next(kQuiet));
}

TEST_F(WatchTest, RecursiveWatchSeesDescendantsButNoChildEvents) {
  ASSERT_EQ(zk_->Create("/r", "", OpenAclUnsafe(), CreateMode::kPersistent), Err::kOk);
  EventQueue events;
  ASSERT_EQ(zk_->AddWatch("/r", AddWatchMode::kPersistentRecursive, events.AsWatcher()), Err::kOk);
  ASSERT_EQ(zk_->Create("/r/a", "", OpenAclUnsafe(), CreateMode::kPersistent), Err::kOk);
  ASSERT_EQ(zk_->Create("/r/a/b", "", OpenAclUnsafe(), CreateMode::kPersistent), Err::kOk);
  ASSERT_EQ(zk_->SetData("/r/a/b", "x"), Err::kOk);
  ASSERT_EQ(zk_->Delete("/r/a/b"), Err::kOk);
  std::vector<std::pair<EventType, std::string>> want = {{EventType::kNodeCreated, "/r/a"},
                                                         {EventType::kNodeCreated, "/r/a/b"},
                                                         {EventType::kNodeDataChanged, "/r/a/b"},
                                                         {EventType::kNodeDeleted, "/r/a/b"}};
  for (const auto& [type, path] : want) {
    auto e = events.Next();
    ASSERT_TRUE(e);
    EXPECT_EQ(e->type, type);
    EXPECT_EQ(e->path, path);
  }
  EXPECT_FALSE(events.Next(kQuiet));
}

TEST_F(WatchTest, RemoveWatchesByTypeTellsTheRemovedWatcher) {
  ASSERT_EQ(zk_->Create("/x", "", OpenAclUnsafe(), CreateMode::kPersistent), Err::kOk);
  EventQueue data_events, child_events;
  ASSERT_EQ(zk_->GetData("/x", nullptr, nullptr, data_events.AsWatcher()), Err::kOk);
  std::vector<std::string> children;
  ASSERT_EQ(zk_->GetChildren("/x", &children, child_events.AsWatcher()), Err::kOk);
  EXPECT_EQ(zk_->CheckWatches("/x", WatcherType::kData), Err::kOk);
  ASSERT_EQ(zk_->RemoveWatches("/x", WatcherType::kData), Err::kOk);
  auto e = data_events.Next();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type, EventType::kDataWatchRemoved);
  EXPECT_EQ(e->path, "/x");
  EXPECT_EQ(zk_->CheckWatches("/x", WatcherType::kData), Err::kNoWatcher);
  EXPECT_EQ(zk_->CheckWatches("/x", WatcherType::kChildren), Err::kOk);
  EXPECT_EQ(zk_->RemoveWatches("/x", WatcherType::kData), Err::kNoWatcher);
  ASSERT_EQ(zk_->SetData("/x", "1"), Err::kOk);
  ASSERT_EQ(zk_->Create("/x/c", "", OpenAclUnsafe(), CreateMode::kPersistent), Err::kOk);
  e = child_events.Next();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type, EventType::kNodeChildrenChanged);
  EXPECT_FALSE(data_events.Next(kQuiet));
}

TEST_F(WatchTest, ChrootedClientSeesEventPathsRelativeToItsRoot) {
  ASSERT_EQ(zk_->Create("/app", "", OpenAclUnsafe(), CreateMode::kPersistent), Err::kOk);
  auto rooted = Connect("/app");
  ASSERT_TRUE(rooted->WaitConnected(kWait));
  EventQueue events, recursive;
  EXPECT_EQ(rooted->Exists("/n", nullptr, events.AsWatcher()), Err::kNoNode);
  ASSERT_EQ(rooted->AddWatch("/", AddWatchMode::kPersistentRecursive, recursive.AsWatcher()),
            Err::kOk);
  ASSERT_EQ(zk_->Create("/app/n", "", OpenAclUnsafe(), CreateMode::kPersistent), Err::kOk);
  auto e = events.Next();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type, EventType::kNodeCreated);
  EXPECT_EQ(e->path, "/n");
  e = recursive.Next();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->path, "/n");
}

TEST_F(WatchTest, WatcherMayCallTheBlockingApi) {
  ASSERT_EQ(zk_->Create("/w", "0", OpenAclUnsafe(), CreateMode::kPersistent), Err::kOk);
  std::promise<std::string> seen;
  ASSERT_EQ(zk_->GetData("/w", nullptr, nullptr,
                         [&](const WatchedEvent& e) {
                           std::string data;
                           zk_->GetData(e.path, &data);
                           seen.set_value(data);
                         }),
            Err::kOk);
  ASSERT_EQ(zk_->SetData("/w", "new"), Err::kOk);
  auto f = seen.get_future();
  ASSERT_EQ(f.wait_for(kWait), std::future_status::ready);
  EXPECT_EQ(f.get(), "new");
}

}  // namespace
}  // namespace zk::client::testing
