// A seeded simulation of a ZAB ensemble in one process: every server is a
// zab::Core plus a model shell (disk with an unsynced tail, state machine), and
// a simulated network and clock inject crashes, restarts, partitions, message
// loss, duplication, delay and reordering. Safety invariants are checked after
// every event; a run ends with a liveness check once the faults stop.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <ostream>
#include <queue>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "server/zab/core.h"

namespace zk::zab::sim {

struct SimOptions {
  int voters = 3;
  int observers = 0;
  uint64_t seed = 1;
  int fault_ticks = 200;     // ticks of chaos
  int liveness_ticks = 150;  // after healing, a new proposal must commit everywhere within this
  // 0: quiet; 1: faults, roles, client ops; 2: also every message delivered.
  int verbose = 0;
  std::ostream* transcript = nullptr;  // where verbose output goes
};

struct SimResult {
  bool ok = true;
  std::string failure;  // the first violated invariant
  int64_t events = 0;
  int64_t commits = 0;  // txns in the final history
  int64_t crashes = 0;
  int64_t partitions = 0;
  int64_t syncs_ok = 0;
  int recovery_ticks = -1;  // ticks from healing to a probe committed everywhere
};

class SimCluster {
 public:
  explicit SimCluster(SimOptions options);
  ~SimCluster();
  SimCluster(const SimCluster&) = delete;
  SimCluster& operator=(const SimCluster&) = delete;

  SimResult Run();

 private:
  struct Node;
  class NodeSnapshots;
  struct Event {
    int64_t time = 0;
    int64_t seq = 0;
    enum Kind { kDeliver, kTick, kFsync, kChaos, kRestart, kHeal } kind = kTick;
    ServerId node = 0;
    Message msg;
    bool operator>(const Event& o) const { return std::tie(time, seq) > std::tie(o.time, o.seq); }
  };

  // Event plumbing.
  void Schedule(int64_t at, Event::Kind kind, ServerId node, Message msg = {});
  void Process(Event& ev);
  void Deliver(Message& msg);
  void SendFrom(const Message& msg);
  bool Blocked(ServerId a, ServerId b) const;

  // Shell of one server.
  void Boot(Node& n);
  void Crash(Node& n);
  void HandleReady(Node& n);
  void Fsync(Node& n);
  void Apply(Node& n, const Entry& e);
  void TakeSnapshot(Node& n);

  // Chaos and clients.
  void Chaos();
  void Calm();
  void ClientWrite(Node& n, const std::string& payload);
  void Probe();

  // Invariants.
  void Fail(const std::string& what);
  void CheckPrefix(Node& n);
  void CheckDurability();
  void CheckFinal();

  void Log(int level, const std::string& line);
  uint64_t Rand(uint64_t n) { return n == 0 ? 0 : rng_() % n; }
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }

  SimOptions opt_;
  std::mt19937_64 rng_;
  Config base_config_;
  std::map<ServerId, std::unique_ptr<Node>> nodes_;
  std::priority_queue<Event, std::vector<Event>, std::greater<Event>> queue_;
  int64_t now_ = 0;
  int64_t seq_ = 0;
  SimResult result_;

  // Fault knobs, drawn per seed.
  double loss_ = 0, dup_ = 0, crash_rate_ = 0, partition_rate_ = 0, propose_rate_ = 0;
  double snapshot_rate_ = 0, unsynced_loss_ = 0;
  int max_delay_ = 1;
  int restart_ticks_ = 30;
  std::map<ServerId, int> side_;  // partition: servers on different sides cannot talk
  bool calm_ = false;
  int64_t calm_since_ = 0;

  // Global truth for the invariants.
  std::vector<Entry> history_;         // the one committed sequence
  std::map<Zxid, std::string> acked_;  // committed on a leader: acknowledged to clients
  std::map<Epoch, ServerId> epoch_leader_;
  int64_t next_client_op_ = 0;
  std::vector<Entry> probes_;  // liveness probes proposed after the faults stopped
  int64_t next_probe_at_ = 0;
  Zxid probe_zxid_ = 0;  // the probe that made it everywhere
};

// Decodes the state machine the simulation stores in snapshots.
std::vector<Entry> DecodeState(const std::string& data);
std::string EncodeState(const std::vector<Entry>& applied);

}  // namespace zk::zab::sim
