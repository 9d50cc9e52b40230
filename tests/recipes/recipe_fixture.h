// A fixture for recipe tests: one zkserver shared by the whole binary (or
// the ensemble named by ZK_RECIPES_CONNECT, "host:port,host:port"), a fresh
// root path per test, handles that wait until connected, real session
// expiry, and four-letter words.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "client/lib/sync_client.h"

namespace zk::recipes::testing {

using client::SyncClient;

constexpr auto kWait = std::chrono::seconds(10);

// True when pred holds before the timeout (checked every 10 ms).
bool WaitUntil(const std::function<bool()>& pred,
               std::chrono::milliseconds timeout = std::chrono::milliseconds(kWait));

class RecipeTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // The connect string of the server(s) under test.
  static std::string ConnectString();
  // A connected handle (ASSERTs in the caller are up to it: returns null on failure).
  std::unique_ptr<SyncClient> Connect(int session_timeout_ms = 10000,
                                      const std::string& connect_string = "");
  // "/<Suite>_<Test>": unique per test, so tests sharing a server never meet.
  const std::string& Root() const { return root_; }
  std::string Path(const std::string& child) const { return root_ + "/" + child; }
  // Ends victim's session on the server the way a lost client does: a
  // second handle takes over the session and closes it. Returns when the
  // victim has seen the expiry.
  bool ExpireSession(SyncClient& victim);
  // A four-letter word's answer from the first server; empty on failure.
  static std::string FourLetterWord(const std::string& word);
  // Paths watched by each session ("wchp"): path -> number of sessions.
  static std::map<std::string, int> WatchersByPath();
  // True with a server this binary started (watch counts are then exact).
  static bool LocalServer();

  std::unique_ptr<SyncClient> zk_;

 private:
  std::string root_;
};

}  // namespace zk::recipes::testing
