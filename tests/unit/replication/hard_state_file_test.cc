#include "server/replication/hard_state_file.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/unit/storage/test_util.h"

namespace zk::replication {
namespace {

using storage::FileEnv;
using storage::testing::ScratchDir;

TEST(HardStateFileTest, AMissingFileReadsAsANewServer) {
  ScratchDir dir;
  zab::HardState hs{5, 5, 5};
  ASSERT_TRUE(LoadHardState(FileEnv::Default(), dir.path(), &hs).ok());
  EXPECT_EQ(hs, zab::HardState());
}

TEST(HardStateFileTest, WhatIsSavedLoadsBack) {
  ScratchDir dir;
  zab::HardState saved{7, 6, 3};
  ASSERT_TRUE(SaveHardState(FileEnv::Default(), dir.path(), saved).ok());
  ASSERT_TRUE(SaveHardState(FileEnv::Default(), dir.path(), {8, 7, 2}).ok());
  zab::HardState loaded;
  ASSERT_TRUE(LoadHardState(FileEnv::Default(), dir.path(), &loaded).ok());
  EXPECT_EQ(loaded, (zab::HardState{8, 7, 2}));
}

TEST(HardStateFileTest, ADamagedFileIsAnErrorNotAFreshStart) {
  ScratchDir dir;
  std::ofstream(dir.Sub("epoch")) << "12 x";
  zab::HardState hs;
  EXPECT_TRUE(LoadHardState(FileEnv::Default(), dir.path(), &hs).IsCorruption());
}

}  // namespace
}  // namespace zk::replication
