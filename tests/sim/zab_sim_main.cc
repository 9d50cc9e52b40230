// Replays one simulation seed and prints its transcript:
//   zab_sim --seed=1234 --voters=3 --observers=1 [--verbose=1|2]
#include <gflags/gflags.h>

#include <iostream>

#include "tests/sim/sim_cluster.h"

DEFINE_uint64(seed, 1, "simulation seed");
DEFINE_int32(voters, 3, "voting servers");
DEFINE_int32(observers, 0, "observers");
DEFINE_int32(verbose, 2, "1: roles, faults, client ops; 2: also every message");
DEFINE_int32(fault_ticks, 200, "ticks of injected faults");
DEFINE_int32(liveness_ticks, 150, "ticks allowed for recovery after faults stop");

int main(int argc, char** argv) {
  gflags::ParseCommandLineFlags(&argc, &argv, true);
  zk::zab::sim::SimOptions opt;
  opt.seed = FLAGS_seed;
  opt.voters = FLAGS_voters;
  opt.observers = FLAGS_observers;
  opt.verbose = FLAGS_verbose;
  opt.fault_ticks = FLAGS_fault_ticks;
  opt.liveness_ticks = FLAGS_liveness_ticks;
  opt.transcript = &std::cout;
  zk::zab::sim::SimResult r = zk::zab::sim::SimCluster(opt).Run();
  std::cout << (r.ok ? "OK" : "FAILED: " + r.failure) << "\nevents=" << r.events
            << " commits=" << r.commits << " crashes=" << r.crashes
            << " partitions=" << r.partitions << " recovery_ticks=" << r.recovery_ticks << "\n";
  return r.ok ? 0 : 1;
}
