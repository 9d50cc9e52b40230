// Seeded fault-injection runs of whole ensembles. Each seed is one schedule of
// crashes, partitions and message chaos; a failing seed is replayed with
//   ZAB_SIM_SEED=<seed> ./zab_sim_tests --gtest_filter=<test>
// which prints the run's transcript. ZAB_SIM_SEEDS=<n> sets seeds per test.
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <sstream>

#include "tests/sim/sim_cluster.h"

namespace zk::zab::sim {
namespace {

uint64_t EnvOr(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::strtoull(v, nullptr, 10) : fallback;
}

void RunSeeds(int voters, int observers, uint64_t first_seed) {
  const char* replay = std::getenv("ZAB_SIM_SEED");
  const testing::TestInfo* info = testing::UnitTest::GetInstance()->current_test_info();
  std::string filter = std::string(info->test_suite_name()) + "." + info->name();
  if (replay != nullptr && *replay != '\0') {
    SimOptions opt;
    opt.voters = voters;
    opt.observers = observers;
    opt.seed = std::strtoull(replay, nullptr, 10);
    opt.verbose = static_cast<int>(EnvOr("ZAB_SIM_VERBOSE", 2));
    opt.transcript = &std::cout;
    SimResult r = SimCluster(opt).Run();
    EXPECT_TRUE(r.ok) << r.failure;
    std::cout << "events=" << r.events << " commits=" << r.commits
              << " recovery_ticks=" << r.recovery_ticks << "\n";
    return;
  }
  uint64_t seeds = EnvOr("ZAB_SIM_SEEDS", 1000);
  int64_t commits = 0, crashes = 0, partitions = 0, events = 0;
  int worst_recovery = 0;
  for (uint64_t seed = first_seed; seed < first_seed + seeds; ++seed) {
    SimOptions opt;
    opt.voters = voters;
    opt.observers = observers;
    opt.seed = seed;
    SimResult r = SimCluster(opt).Run();
    if (!r.ok) {
      ADD_FAILURE() << "seed " << seed << " failed: " << r.failure
                    << "\n  replay: ZAB_SIM_SEED=" << seed
                    << " ./zab_sim_tests --gtest_filter=" << filter
                    << "\n  or: ./zab_sim --seed=" << seed << " --voters=" << voters
                    << " --observers=" << observers;
      return;
    }
    commits += r.commits;
    crashes += r.crashes;
    partitions += r.partitions;
    events += r.events;
    worst_recovery = std::max(worst_recovery, r.recovery_ticks);
  }
  std::cout << seeds << " seeds: " << events << " events, " << commits << " commits, " << crashes
            << " crashes, " << partitions << " partitions; slowest recovery " << worst_recovery
            << " ticks\n";
}

TEST(ZabSimulation, ThreeVotersNeverDisagreeAndRecoverAfterFaults) { RunSeeds(3, 0, 1); }

TEST(ZabSimulation, FiveVotersNeverDisagreeAndRecoverAfterFaults) { RunSeeds(5, 0, 100001); }

TEST(ZabSimulation, ThreeVotersWithAnObserverNeverDisagreeAndRecover) { RunSeeds(3, 1, 200001); }

TEST(ZabSimulation, FiveVotersWithAnObserverNeverDisagreeAndRecover) { RunSeeds(5, 1, 300001); }

}  // namespace
}  // namespace zk::zab::sim
