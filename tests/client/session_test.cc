// Session life: connect, reconnect with session and watches kept, expiry,
// close, and calls on dead handles.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "server/net/asio.h"
#include "tests/client/client_fixture.h"

namespace zk::client::testing {
namespace {

using SessionTest = ClientTest;

TEST_F(SessionTest, ConnectNegotiatesATimeoutWithinTheServerBounds) {
  ClientOptions options = Options();
  options.session_timeout_ms = 1000;  // below 2 ticks
  SyncClient client(options);
  ASSERT_TRUE(client.WaitConnected(kWait));
  EXPECT_EQ(client.Async().NegotiatedTimeoutMs(), 4000);
  EXPECT_NE(client.Async().SessionId(), 0);
  EXPECT_EQ(client.Async().SessionPassword().size(), 16u);
  EXPECT_EQ(client.Async().CurrentServer(), server_->HostPort());
}

TEST_F(SessionTest, DefaultWatcherSeesSyncConnectedThenClosed) {
  EventQueue events;
  ClientOptions options = Options();
  options.default_watcher = events.AsWatcher();
  SyncClient client(options);
  EXPECT_TRUE(events.WaitState(KeeperState::kSyncConnected));
  EXPECT_EQ(client.Close(), Err::kOk);
  EXPECT_TRUE(events.WaitState(KeeperState::kClosed));
  EXPECT_EQ(client.Async().State(), KeeperState::kClosed);
}

TEST_F(SessionTest, ClosedHandleFailsEveryCallWithConnectionLoss) {
  ASSERT_EQ(zk_->Close(), Err::kOk);
  EXPECT_EQ(zk_->Exists("/"), Err::kConnectionLoss);
  EXPECT_EQ(zk_->Create("/a", "", OpenAclUnsafe(), CreateMode::kPersistent), Err::kConnectionLoss);
  EXPECT_EQ(zk_->AddAuth("digest", "a:b"), Err::kConnectionLoss);
  EXPECT_EQ(zk_->Close(), Err::kOk);  // twice is fine
}

TEST_F(SessionTest, BadConnectStringFailsCallsWithBadArguments) {
  ClientOptions options;
  options.connect_string = "127.0.0.1:notaport";
  SyncClient client(options);
  EXPECT_FALSE(client.Async().Valid());
  EXPECT_FALSE(client.WaitConnected(std::chrono::milliseconds(100)));
  EXPECT_EQ(client.Exists("/"), Err::kBadArguments);
}

TEST_F(SessionTest, ClientMovesToTheNextHostWhenOneIsDown) {
  ClientOptions options = Options();
  options.connect_string = "127.0.0.1:" + std::to_string(FreePort()) + "," + server_->HostPort();
  options.shuffle_hosts = false;
  SyncClient client(options);
  ASSERT_TRUE(client.WaitConnected(kWait));
  EXPECT_EQ(client.Async().CurrentServer(), server_->HostPort());
}

TEST_F(SessionTest, ReconnectAfterRestartKeepsSessionEphemeralsAndWatches) {
  EventQueue session_events, watch_events, persistent_events;
  ClientOptions options = Options();
  options.default_watcher = session_events.AsWatcher();
  SyncClient client(options);
  ASSERT_TRUE(session_events.WaitState(KeeperState::kSyncConnected));
  int64_t session = client.Async().SessionId();
  ASSERT_EQ(client.Create("/eph", "", OpenAclUnsafe(), CreateMode::kEphemeral), Err::kOk);
  ASSERT_EQ(client.Create("/data", "0", OpenAclUnsafe(), CreateMode::kPersistent), Err::kOk);
  ASSERT_EQ(client.GetData("/data", nullptr, nullptr, watch_events.AsWatcher()), Err::kOk);
  ASSERT_EQ(client.AddWatch("/data", AddWatchMode::kPersistent, persistent_events.AsWatcher()),
            Err::kOk);
  zk_.reset();

  server_->Kill();
  ASSERT_TRUE(session_events.WaitState(KeeperState::kDisconnected));
  EXPECT_EQ(client.Exists("/data"), Err::kConnectionLoss);
  ASSERT_TRUE(server_->Restart());
  // Written by another session before our client is back.
  {
    auto writer = Connect();
    ASSERT_TRUE(writer->WaitConnected(kWait));
    ASSERT_EQ(writer->SetData("/data", "changed"), Err::kOk);
  }
  ASSERT_TRUE(session_events.WaitState(KeeperState::kSyncConnected, std::chrono::seconds(20)));
  EXPECT_EQ(client.Async().SessionId(), session);
  auto e = watch_events.Next();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type, EventType::kNodeDataChanged);
  EXPECT_EQ(e->path, "/data");
  e = persistent_events.Next();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type, EventType::kNodeDataChanged);
  Stat stat;
  ASSERT_EQ(client.Exists("/eph", &stat), Err::kOk);
  EXPECT_EQ(stat.ephemeralOwner, session);
  // The persistent watch is still registered on the server.
  ASSERT_EQ(client.SetData("/data", "again"), Err::kOk);
  e = persistent_events.Next();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type, EventType::kNodeDataChanged);
}

TEST_F(SessionTest, InFlightCallsFailWithConnectionLossWhenTheServerDies) {
  server_->Pause();  // requests stay unanswered until the server dies
  std::atomic<int> loss{0}, answered{0};
  std::promise<void> all;
  const int n = 100;
  for (int i = 0; i < n; ++i) {
    zk_->Async().Exists("/", [&](Err err, const Stat&) {
      if (err == Err::kConnectionLoss) loss++;
      if (++answered == n) all.set_value();
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(answered.load(), 0);
  server_->Kill();
  ASSERT_EQ(all.get_future().wait_for(kWait), std::future_status::ready);
  EXPECT_EQ(loss.load(), n);
}

TEST_F(SessionTest, HungServerIsDetectedByTheReadTimeoutAndTheSessionResumes) {
  EventQueue events;
  ClientOptions options = Options();
  options.session_timeout_ms = 4000;
  options.default_watcher = events.AsWatcher();
  SyncClient client(options);
  ASSERT_TRUE(events.WaitState(KeeperState::kSyncConnected));
  int64_t session = client.Async().SessionId();
  ASSERT_EQ(client.Create("/eph", "", OpenAclUnsafe(), CreateMode::kEphemeral), Err::kOk);
  server_->Pause();
  // Nothing arrives for two thirds of the timeout: the client gives up on
  // the connection although the socket stays open.
  auto paused_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(events.WaitState(KeeperState::kDisconnected));
  EXPECT_GE(std::chrono::steady_clock::now() - paused_at, std::chrono::milliseconds(2000));
  server_->Resume();
  ASSERT_TRUE(events.WaitState(KeeperState::kSyncConnected));
  EXPECT_EQ(client.Async().SessionId(), session);
  EXPECT_EQ(client.Exists("/eph"), Err::kOk);
}

TEST_F(SessionTest, SessionClosedElsewhereIsReportedAsExpiredOnReconnect) {
  EventQueue events;
  ClientOptions options = Options();
  options.default_watcher = events.AsWatcher();
  SyncClient victim(options);
  ASSERT_TRUE(events.WaitState(KeeperState::kSyncConnected));
  ASSERT_EQ(victim.Create("/eph", "", OpenAclUnsafe(), CreateMode::kEphemeral), Err::kOk);

  // A second handle takes over the session (the server drops the first
  // connection) and closes it.
  ClientOptions thief_options = Options();
  thief_options.session_id = victim.Async().SessionId();
  thief_options.session_password = victim.Async().SessionPassword();
  {
    SyncClient thief(thief_options);
    ASSERT_TRUE(thief.WaitConnected(kWait));
    EXPECT_EQ(thief.Async().SessionId(), victim.Async().SessionId());
    ASSERT_EQ(thief.Close(), Err::kOk);
  }
  ASSERT_TRUE(events.WaitState(KeeperState::kExpired, std::chrono::seconds(20)));
  EXPECT_EQ(victim.Async().State(), KeeperState::kExpired);
  EXPECT_EQ(victim.Exists("/"), Err::kSessionExpired);
  EXPECT_EQ(zk_->Exists("/eph"), Err::kNoNode);
}

TEST_F(SessionTest, WrongPasswordIsRefusedAsExpired) {
  ClientOptions options = Options();
  options.session_id = zk_->Async().SessionId();
  options.session_password = std::string(16, 'x');
  EventQueue events;
  options.default_watcher = events.AsWatcher();
  SyncClient client(options);
  EXPECT_TRUE(events.WaitState(KeeperState::kExpired));
  EXPECT_EQ(client.Exists("/"), Err::kSessionExpired);
  EXPECT_EQ(zk_->Exists("/"), Err::kOk);  // the real owner is unaffected
}

TEST_F(SessionTest, ClientsCanShareACallerSuppliedIoContext) {
  boost::asio::io_context io;
  auto guard = boost::asio::make_work_guard(io);
  std::thread runner([&] { io.run(); });
  {
    std::vector<std::unique_ptr<SyncClient>> clients;
    for (int i = 0; i < 4; ++i) {
      ClientOptions options = Options();
      options.io_context = &io;
      clients.push_back(std::make_unique<SyncClient>(options));
    }
    for (int i = 0; i < 4; ++i) {
      ASSERT_TRUE(clients[i]->WaitConnected(kWait));
      ASSERT_EQ(
          clients[i]->Create("/c" + std::to_string(i), "", OpenAclUnsafe(), CreateMode::kEphemeral),
          Err::kOk);
    }
  }
  guard.reset();
  runner.join();
  EXPECT_EQ(zk_->Exists("/c0"), Err::kNoNode);
}

}  // namespace
}  // namespace zk::client::testing
