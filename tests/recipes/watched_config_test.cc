// WatchedConfig: every callback shows a committed value, in order, ending
// with the latest; deletion and re-creation are reported.
#include "client/recipes/watched_config.h"

#include <gtest/gtest.h>

#include <mutex>
#include <optional>
#include <vector>

#include "tests/recipes/recipe_fixture.h"

namespace zk::recipes::testing {
namespace {

using WatchedConfigTest = RecipeTest;
using Value = std::optional<std::string>;

class ValueLog {
 public:
  WatchedConfig::Callback AsCallback() {
    return [this](const Value& v, const client::Stat&) {
      std::lock_guard<std::mutex> lock(mu_);
      values_.push_back(v);
    };
  }
  std::vector<Value> Values() {
    std::lock_guard<std::mutex> lock(mu_);
    return values_;
  }
  Value Last() {
    std::lock_guard<std::mutex> lock(mu_);
    return values_.empty() ? Value("<none>") : values_.back();
  }

 private:
  std::mutex mu_;
  std::vector<Value> values_;
};

TEST_F(WatchedConfigTest, SeesCommittedChangesInOrderAndTheLatestLast) {
  ASSERT_EQ(zk_->Create(Path("config"), "0", client::OpenAclUnsafe(), CreateMode::kPersistent),
            Err::kOk);
  auto reader_zk = Connect();
  ASSERT_NE(reader_zk, nullptr);
  ValueLog log;
  WatchedConfig config(*reader_zk, Path("config"), log.AsCallback());
  ASSERT_EQ(config.Start(), Err::kOk);
  EXPECT_EQ(log.Values(), std::vector<Value>{Value("0")});
  constexpr int kWrites = 30;
  for (int i = 1; i <= kWrites; ++i) {
    ASSERT_EQ(zk_->SetData(Path("config"), std::to_string(i)), Err::kOk);
  }
  ASSERT_TRUE(WaitUntil([&] { return log.Last() == Value(std::to_string(kWrites)); }));
  std::vector<Value> values = log.Values();
  for (size_t i = 1; i < values.size(); ++i) {
    ASSERT_TRUE(values[i].has_value());
    EXPECT_LT(std::stoi(*values[i - 1]), std::stoi(*values[i])) << "callback " << i;
  }
  EXPECT_EQ(config.Value(), Value(std::to_string(kWrites)));
}

TEST_F(WatchedConfigTest, OneChangeAtATimeIsEachReported) {
  ASSERT_EQ(zk_->Create(Path("config"), "a", client::OpenAclUnsafe(), CreateMode::kPersistent),
            Err::kOk);
  ValueLog log;
  WatchedConfig config(*zk_, Path("config"), log.AsCallback());
  ASSERT_EQ(config.Start(), Err::kOk);
  for (const char* v : {"b", "c", "d"}) {
    ASSERT_EQ(zk_->SetData(Path("config"), v), Err::kOk);
    ASSERT_TRUE(WaitUntil([&] { return log.Last() == Value(v); }));
  }
  EXPECT_EQ(log.Values(), (std::vector<Value>{Value("a"), Value("b"), Value("c"), Value("d")}));
}

TEST_F(WatchedConfigTest, DeletionAndRecreationAreReported) {
  ValueLog log;
  WatchedConfig config(*zk_, Path("config"), log.AsCallback());
  ASSERT_EQ(config.Start(), Err::kOk);
  EXPECT_EQ(log.Values(), std::vector<Value>{std::nullopt});
  ASSERT_EQ(zk_->Create(Path("config"), "v1", client::OpenAclUnsafe(), CreateMode::kPersistent),
            Err::kOk);
  ASSERT_TRUE(WaitUntil([&] { return log.Last() == Value("v1"); }));
  ASSERT_EQ(zk_->Delete(Path("config")), Err::kOk);
  ASSERT_TRUE(WaitUntil([&] { return log.Last() == std::nullopt; }));
  ASSERT_EQ(zk_->Create(Path("config"), "v2", client::OpenAclUnsafe(), CreateMode::kPersistent),
            Err::kOk);
  ASSERT_TRUE(WaitUntil([&] { return log.Last() == Value("v2"); }));
  EXPECT_EQ(log.Values(),
            (std::vector<Value>{std::nullopt, Value("v1"), std::nullopt, Value("v2")}));
}

}  // namespace
}  // namespace zk::recipes::testing
