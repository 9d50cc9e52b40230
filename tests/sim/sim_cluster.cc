#include "tests/sim/sim_cluster.h"

#include <algorithm>
#include <sstream>

namespace zk::zab::sim {

namespace {
constexpr int64_t kTickTime = 10;  // simulated time units per tick
}  // namespace

std::string EncodeState(const std::vector<Entry>& applied) {
  std::string out;
  for (const Entry& e : applied) {
    out += std::to_string(e.zxid) + ":" + e.payload.str() + "\n";
  }
  return out;
}

std::vector<Entry> DecodeState(const std::string& data) {
  std::vector<Entry> out;
  std::istringstream in(data);
  std::string line;
  while (std::getline(in, line)) {
    size_t colon = line.find(':');
    out.push_back(Entry{std::stoll(line.substr(0, colon)), line.substr(colon + 1)});
  }
  return out;
}

// The model shell of one server: a disk (hard state, snapshot, log with a
// synced prefix) that survives crashes, and volatile parts that do not.
struct SimCluster::Node {
  ServerId id = 0;
  bool observer = false;
  int incarnation = 0;
  // Disk.
  HardState hard_state;
  Snapshot snapshot;
  std::vector<Entry> log;  // after snapshot.zxid
  size_t synced = 0;       // log[0, synced) is durable
  // Volatile.
  std::unique_ptr<Core> core;
  std::unique_ptr<NodeSnapshots> snapshots;
  std::vector<Entry> applied;  // the state machine: every txn applied, from the first
  bool fsync_pending = false;
  SoftState soft;
};

class SimCluster::NodeSnapshots : public SnapshotSource {
 public:
  explicit NodeSnapshots(Node* node) : node_(node) {}
  bool LatestSnapshot(Snapshot* out) override {
    *out = node_->snapshot;
    return true;
  }

 private:
  Node* node_;
};

SimCluster::SimCluster(SimOptions options) : opt_(options), rng_(options.seed) {
  for (int i = 1; i <= opt_.voters; ++i) base_config_.voters.push_back(i);
  for (int i = 1; i <= opt_.observers; ++i) base_config_.observers.push_back(opt_.voters + i);
  base_config_.init_limit = 10;
  base_config_.sync_limit = 5;
  // Each seed draws its own weather.
  loss_ = Chance(0.3) ? 0 : 0.1 * Rand(1000) / 1000.0;
  dup_ = Chance(0.5) ? 0 : 0.05 * Rand(1000) / 1000.0;
  max_delay_ = 1 + static_cast<int>(Rand(Chance(0.5) ? 5 : 30));
  crash_rate_ = (Chance(0.2) ? 0.1 : 0.03) * Rand(1000) / 1000.0;
  restart_ticks_ = Chance(0.3) ? 3 : 30;  // quick restarts make rivals overlap
  partition_rate_ = 0.02 * Rand(1000) / 1000.0;
  propose_rate_ = 0.2 + 0.6 * Rand(1000) / 1000.0;
  snapshot_rate_ = Chance(0.5) ? 0.02 : 0.0;
  unsynced_loss_ = Rand(1000) / 1000.0;
  std::ostringstream knobs;
  knobs << "seed=" << opt_.seed << " voters=" << opt_.voters << " observers=" << opt_.observers
        << " loss=" << loss_ << " dup=" << dup_ << " max_delay=" << max_delay_
        << " crash=" << crash_rate_ << " restart<=" << restart_ticks_
        << " partition=" << partition_rate_ << " propose=" << propose_rate_
        << " snapshot=" << snapshot_rate_;
  Log(1, knobs.str());
  for (ServerId sid : base_config_.voters) {
    nodes_[sid] = std::make_unique<Node>();
    nodes_[sid]->id = sid;
  }
  for (ServerId sid : base_config_.observers) {
    nodes_[sid] = std::make_unique<Node>();
    nodes_[sid]->id = sid;
    nodes_[sid]->observer = true;
  }
}

SimCluster::~SimCluster() = default;

void SimCluster::Log(int level, const std::string& line) {
  if (opt_.verbose >= level && opt_.transcript != nullptr) {
    *opt_.transcript << "t=" << now_ << " " << line << "\n";
  }
}

void SimCluster::Fail(const std::string& what) {
  if (!result_.ok) return;
  result_.ok = false;
  std::ostringstream out;
  out << "t=" << now_ << ": " << what;
  result_.failure = out.str();
  Log(1, "INVARIANT VIOLATED: " + what);
}

// ---- Events ----

void SimCluster::Schedule(int64_t at, Event::Kind kind, ServerId node, Message msg) {
  Event ev;
  ev.time = at;
  ev.seq = seq_++;
  ev.kind = kind;
  ev.node = node;
  ev.msg = std::move(msg);
  queue_.push(std::move(ev));
}

SimResult SimCluster::Run() {
  for (auto& [sid, n] : nodes_) {
    Boot(*n);
    Schedule(1 + static_cast<int64_t>(Rand(kTickTime)), Event::kTick, sid);
  }
  Schedule(kTickTime / 2, Event::kChaos, 0);
  const int64_t calm_at = opt_.fault_ticks * kTickTime;
  const int64_t deadline = calm_at + opt_.liveness_ticks * kTickTime;
  while (!queue_.empty() && result_.ok) {
    Event ev = queue_.top();
    queue_.pop();
    now_ = ev.time;
    if (!calm_ && now_ >= calm_at) Calm();
    if (now_ > deadline) break;
    Process(ev);
    ++result_.events;
    if (result_.events % 64 == 0) CheckDurability();
    if (calm_ && result_.recovery_ticks >= 0) break;
  }
  if (result_.ok && result_.recovery_ticks < 0) {
    std::ostringstream out;
    out << "liveness: no new proposal committed on every server within " << opt_.liveness_ticks
        << " ticks after the network healed";
    Fail(out.str());
  }
  if (result_.ok) {
    CheckDurability();
    CheckFinal();
  }
  result_.commits = static_cast<int64_t>(history_.size());
  return result_;
}

void SimCluster::Process(Event& ev) {
  switch (ev.kind) {
    case Event::kDeliver: Deliver(ev.msg); break;
    case Event::kTick: {
      Node& n = *nodes_[ev.node];
      if (n.core) {
        n.core->Tick();
        HandleReady(n);
      }
      Schedule(now_ + kTickTime, Event::kTick, ev.node);
      if (calm_ && ev.node == nodes_.begin()->first) Probe();
      break;
    }
    case Event::kFsync: Fsync(*nodes_[ev.node]); break;
    case Event::kChaos:
      if (!calm_) {
        Chaos();
        Schedule(now_ + kTickTime, Event::kChaos, 0);
      }
      break;
    case Event::kRestart: {
      Node& n = *nodes_[ev.node];
      if (!n.core) Boot(n);
      break;
    }
    case Event::kHeal:
      if (!side_.empty()) Log(1, "network heals");
      side_.clear();
      break;
  }
}

bool SimCluster::Blocked(ServerId a, ServerId b) const {
  if (side_.empty()) return false;
  return side_.at(a) != side_.at(b);
}

void SimCluster::SendFrom(const Message& msg) {
  if (Blocked(msg.from, msg.to) || Chance(loss_)) return;
  int copies = Chance(dup_) ? 2 : 1;
  for (int i = 0; i < copies; ++i) {
    Schedule(now_ + 1 + static_cast<int64_t>(Rand(max_delay_)), Event::kDeliver, msg.to, msg);
  }
}

void SimCluster::Deliver(Message& msg) {
  Node& n = *nodes_[msg.to];
  if (!n.core || Blocked(msg.from, msg.to)) return;
  if (opt_.verbose >= 2) Log(2, "deliver " + Describe(msg));
  n.core->Step(msg);
  HandleReady(n);
}

// ---- The shell ----

void SimCluster::Boot(Node& n) {
  n.incarnation++;
  n.applied = DecodeState(n.snapshot.data);
  n.synced = n.log.size();  // what survived the crash is on disk now
  CheckPrefix(n);
  PersistentState state;
  state.hard_state = n.hard_state;
  state.snapshot_zxid = n.snapshot.zxid;
  state.entries = n.log;
  Config config = base_config_;
  config.id = n.id;
  config.seed = opt_.seed * 1000003 + static_cast<uint64_t>(n.id) * 101 + n.incarnation;
  n.snapshots = std::make_unique<NodeSnapshots>(&n);
  n.core = std::make_unique<Core>(config, std::move(state), n.snapshots.get());
  n.soft = SoftState{};
  n.fsync_pending = false;
  std::ostringstream out;
  out << "[" << n.id << "] boots: epochs accepted=" << n.hard_state.accepted_epoch
      << " current=" << n.hard_state.current_epoch << " log=" << n.log.size()
      << " snapshot=" << ZxidToString(n.snapshot.zxid);
  Log(1, out.str());
  HandleReady(n);
}

void SimCluster::Crash(Node& n) {
  size_t kept = n.log.size();
  if (kept > n.synced && Chance(unsynced_loss_)) {
    kept = n.synced + Rand(n.log.size() - n.synced + 1);
  }
  std::ostringstream out;
  out << "[" << n.id << "] crashes, losing " << (n.log.size() - kept) << " unsynced entries";
  Log(1, out.str());
  n.log.resize(kept);
  n.core.reset();
  n.applied.clear();
  ++result_.crashes;
}

void SimCluster::HandleReady(Node& n) {
  while (n.core && n.core->HasReady() && result_.ok) {
    Ready rd = n.core->TakeReady();
    if (rd.soft_state) {
      n.soft = *rd.soft_state;
      std::ostringstream out;
      out << "[" << n.id << "] " << RoleName(n.soft.role) << " leader=" << n.soft.leader
          << " epoch=" << n.soft.epoch << (n.soft.serving ? " serving" : "");
      Log(1, out.str());
      if (n.soft.role == Role::kLeading && n.soft.serving) {
        auto [it, fresh] = epoch_leader_.emplace(n.soft.epoch, n.id);
        if (!fresh && it->second != n.id) {
          Fail("two leaders established in epoch " + std::to_string(n.soft.epoch) + ": " +
               std::to_string(it->second) + " and " + std::to_string(n.id));
        }
      }
    }
    // 1-4: disk first; snapshot, truncation and hard state are synced at once.
    if (rd.snapshot) {
      n.snapshot = *rd.snapshot;
      n.log.clear();
      n.synced = 0;
      n.applied = DecodeState(n.snapshot.data);
      CheckPrefix(n);
      Log(1,
          "[" + std::to_string(n.id) + "] installs snapshot at " + ZxidToString(n.snapshot.zxid));
    }
    if (rd.truncate_after) {
      Zxid point = *rd.truncate_after;
      if (!n.applied.empty() && point < n.applied.back().zxid) {
        Fail("server " + std::to_string(n.id) + " truncates to " + ZxidToString(point) +
             " below applied " + ZxidToString(n.applied.back().zxid));
      }
      auto keep =
          std::find_if(n.log.begin(), n.log.end(), [&](const Entry& e) { return e.zxid > point; });
      n.log.erase(keep, n.log.end());
      n.synced = std::min(n.synced, n.log.size());
      Log(1, "[" + std::to_string(n.id) + "] truncates after " + ZxidToString(point));
    }
    if (!rd.entries.empty()) {
      for (Entry& e : rd.entries) n.log.push_back(std::move(e));
      if (!n.fsync_pending) {
        n.fsync_pending = true;
        Schedule(now_ + 1 + static_cast<int64_t>(Rand(8)), Event::kFsync, n.id);
      }
    }
    if (rd.hard_state) n.hard_state = *rd.hard_state;
    // 5: then the network.
    for (const Message& m : rd.messages) SendFrom(m);
    // 6-7: apply and answer.
    for (const Entry& e : rd.committed) Apply(n, e);
    for (const SyncResult& s : rd.syncs) {
      if (s.ok) ++result_.syncs_ok;
    }
    n.core->Advance();
  }
}

void SimCluster::Fsync(Node& n) {
  n.fsync_pending = false;
  if (!n.core) return;
  n.synced = n.log.size();
  if (!n.log.empty()) {
    n.core->Persisted(n.log.back().zxid);
    HandleReady(n);
  }
}

void SimCluster::Apply(Node& n, const Entry& e) {
  if (!n.applied.empty() && e.zxid <= n.applied.back().zxid) {
    Fail("server " + std::to_string(n.id) + " applies " + ZxidToString(e.zxid) + " out of order");
    return;
  }
  size_t index = n.applied.size();
  if (index < history_.size()) {
    if (history_[index] != e) {
      Fail("server " + std::to_string(n.id) + " commits " + ZxidToString(e.zxid) + " '" +
           e.payload.str() + "' at position " + std::to_string(index) + " where history has " +
           ZxidToString(history_[index].zxid) + " '" + history_[index].payload.str() + "'");
      return;
    }
  } else {
    history_.push_back(e);
  }
  n.applied.push_back(e);
  if (n.core->role() == Role::kLeading) acked_[e.zxid] = e.payload.str();
  if (opt_.verbose >= 2)
    Log(2,
        "[" + std::to_string(n.id) + "] applies " + ZxidToString(e.zxid) + " " + e.payload.str());
}

void SimCluster::TakeSnapshot(Node& n) {
  if (!n.core || n.applied.empty() || n.applied.back().zxid <= n.snapshot.zxid) return;
  Zxid at = n.applied.back().zxid;
  n.snapshot = Snapshot{at, EncodeState(n.applied)};
  auto cut = std::find_if(n.log.begin(), n.log.end(), [&](const Entry& e) { return e.zxid > at; });
  size_t dropped = static_cast<size_t>(cut - n.log.begin());
  n.log.erase(n.log.begin(), cut);
  n.synced = n.synced >= dropped ? n.synced - dropped : 0;
  if (n.core->Compact(at) != Status::kOk) Fail("compaction refused at " + ZxidToString(at));
  Log(1, "[" + std::to_string(n.id) + "] snapshots and compacts at " + ZxidToString(at));
}

// ---- Chaos and clients ----

void SimCluster::Chaos() {
  std::vector<Node*> all;
  for (auto& [sid, n] : nodes_) all.push_back(n.get());
  Node& pick = *all[Rand(all.size())];
  if (Chance(crash_rate_) && pick.core) {
    Crash(pick);
    Schedule(now_ + 1 + static_cast<int64_t>(Rand(kTickTime * restart_ticks_)), Event::kRestart,
             pick.id);
  }
  if (Chance(partition_rate_) && side_.empty()) {
    std::ostringstream out;
    out << "partition:";
    for (auto& [sid, n] : nodes_) {
      side_[sid] = static_cast<int>(Rand(2));
      out << " " << sid << (side_[sid] ? "B" : "A");
    }
    Log(1, out.str());
    ++result_.partitions;
    Schedule(now_ + kTickTime * (3 + static_cast<int64_t>(Rand(40))), Event::kHeal, 0);
  }
  if (Chance(snapshot_rate_)) TakeSnapshot(pick);
  if (Chance(propose_rate_)) {
    Node& client_at = *all[Rand(all.size())];
    ClientWrite(client_at, "c" + std::to_string(next_client_op_++));
  }
  if (Chance(0.05) && pick.core &&
      pick.core->RequestSync(static_cast<uint64_t>(now_)) == Status::kOk) {
    HandleReady(pick);
  }
}

void SimCluster::ClientWrite(Node& n, const std::string& payload) {
  if (!n.core) return;
  Status s = n.core->role() == Role::kLeading ? n.core->Propose(payload) : n.core->Forward(payload);
  if (s == Status::kOk) {
    Log(1, "[" + std::to_string(n.id) + "] client writes " + payload);
    HandleReady(n);
  }
}

void SimCluster::Calm() {
  calm_ = true;
  calm_since_ = now_;
  loss_ = dup_ = 0;
  side_.clear();
  Log(1, "faults stop: network heals, crashed servers restart");
  for (auto& [sid, n] : nodes_) {
    if (!n->core) Boot(*n);
  }
}

void SimCluster::Probe() {
  // Done once a probe is in the history and every server applied past it.
  for (const Entry& probe : probes_) {
    auto it = std::find(history_.begin(), history_.end(), probe);
    if (it == history_.end()) continue;
    size_t index = static_cast<size_t>(it - history_.begin());
    bool everywhere = true;
    for (auto& [sid, n] : nodes_) everywhere = everywhere && n->core && n->applied.size() > index;
    if (everywhere) {
      probe_zxid_ = probe.zxid;
      result_.recovery_ticks = static_cast<int>((now_ - calm_since_) / kTickTime);
      Log(1, "probe " + ZxidToString(probe.zxid) + " committed everywhere after " +
                 std::to_string(result_.recovery_ticks) + " ticks");
      return;
    }
  }
  // A probe may die with a deposed leader: propose a fresh one now and then.
  if (now_ < next_probe_at_) return;
  for (auto& [sid, n] : nodes_) {
    if (n->core && n->core->role() == Role::kLeading && n->core->soft_state().serving) {
      Entry probe{0, "probe" + std::to_string(probes_.size())};
      if (n->core->Propose(probe.payload.str(), &probe.zxid) == Status::kOk) {
        Log(1, "[" + std::to_string(sid) + "] proposes " + probe.payload.str() + " " +
                   ZxidToString(probe.zxid));
        probes_.push_back(probe);
        next_probe_at_ = now_ + 20 * kTickTime;
        HandleReady(*n);
      }
      return;
    }
  }
}

// ---- Invariants ----

// Invariants 1 and 2: every server's applied sequence is a prefix of the one history.
void SimCluster::CheckPrefix(Node& n) {
  for (size_t i = 0; i < n.applied.size(); ++i) {
    if (i >= history_.size() || history_[i] != n.applied[i]) {
      Fail("server " + std::to_string(n.id) + " holds state diverging from history at position " +
           std::to_string(i));
      return;
    }
  }
}

// Invariant 3, continuously: every acknowledged txn stays durable on a quorum of voters.
void SimCluster::CheckDurability() {
  for (const auto& [zxid, payload] : acked_) {
    size_t holders = 0;
    for (ServerId sid : base_config_.voters) {
      const Node& n = *nodes_[sid];
      if (zxid <= n.snapshot.zxid) {
        ++holders;
        continue;
      }
      auto end = n.log.begin() + static_cast<std::ptrdiff_t>(n.synced);
      auto it = std::lower_bound(n.log.begin(), end, zxid,
                                 [](const Entry& e, Zxid z) { return e.zxid < z; });
      if (it != end && it->zxid == zxid && it->payload == payload) ++holders;
    }
    if (holders < base_config_.Quorum()) {
      Fail("acknowledged txn " + ZxidToString(zxid) + " '" + payload + "' is durable on only " +
           std::to_string(holders) + " voters");
      return;
    }
  }
}

// Invariant 3, at the end: every acknowledged txn is in every server's state.
void SimCluster::CheckFinal() {
  for (auto& [sid, n] : nodes_) {
    std::set<Zxid> have;
    for (const Entry& e : n->applied) have.insert(e.zxid);
    for (const auto& [zxid, payload] : acked_) {
      if (zxid > probe_zxid_) break;  // acknowledged after the probe: still in flight
      if (!have.contains(zxid)) {
        Fail("acknowledged txn " + ZxidToString(zxid) + " lost on server " + std::to_string(sid));
        return;
      }
    }
  }
}

}  // namespace zk::zab::sim
