// A tiny in-order network for readable ZAB scenarios: messages are delivered
// FIFO and disks persist at once unless a test holds them back.
// ZAB_TRACE=1 prints every delivered message.
#pragma once

#include <cstdlib>
#include <deque>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "server/zab/core.h"
#include "tests/sim/sim_cluster.h"

namespace zk::zab::sim {

// The model shell of one server.
struct Server : SnapshotSource {
  std::unique_ptr<Core> core;
  HardState hard_state;
  Snapshot snapshot;
  std::vector<Entry> log;
  std::vector<Entry> applied;
  bool auto_persist = true;
  std::vector<SyncResult> syncs;
  bool LatestSnapshot(Snapshot* out) override {
    *out = snapshot;
    return true;
  }
};

class Ensemble {
 public:
  explicit Ensemble(int voters, int observers = 0) {
    for (int i = 1; i <= voters; ++i) config_.voters.push_back(i);
    for (int i = 1; i <= observers; ++i) config_.observers.push_back(voters + i);
    for (ServerId sid : config_.voters) servers_[sid];
    for (ServerId sid : config_.observers) servers_[sid];
  }

  // Puts state on a server's disk before it boots.
  void Preload(ServerId sid, HardState hs, std::vector<Entry> log, Snapshot snap = {}) {
    Server& s = servers_[sid];
    s.hard_state = hs;
    s.log = std::move(log);
    s.snapshot = std::move(snap);
  }

  void Boot(ServerId sid) {
    Server& s = servers_[sid];
    Config c = config_;
    c.id = sid;
    c.seed = ++boots_;  // a fresh seed per start, as a real shell must do
    PersistentState st{s.hard_state, s.snapshot.zxid, s.log};
    s.applied = DecodeState(s.snapshot.data);
    s.core = std::make_unique<Core>(c, st, &s);
    Drain(sid);
  }
  void BootAll() {
    for (auto& [sid, s] : servers_) Boot(sid);
  }
  void Crash(ServerId sid) { servers_[sid].core.reset(); }

  Server& server(ServerId sid) { return servers_[sid]; }
  Core& core(ServerId sid) { return *servers_[sid].core; }

  // Delivers queued messages in order until the network is quiet.
  void Deliver() {
    for (auto& [sid, s] : servers_) Drain(sid);  // outputs of direct calls (Propose, ...)
    for (int guard = 0; !queue_.empty() && guard < 100000; ++guard) {
      Message m = std::move(queue_.front());
      queue_.pop_front();
      if (cut_.contains(m.from) || cut_.contains(m.to) || !servers_[m.to].core) continue;
      delivered_.push_back(m);
      if (std::getenv("ZAB_TRACE") != nullptr) std::cerr << Describe(m) << "\n";
      core(m.to).Step(m);
      Drain(m.to);
    }
  }

  void Tick(int ticks = 1) {
    for (int i = 0; i < ticks; ++i) {
      for (auto& [sid, s] : servers_) {
        if (!s.core) continue;
        s.core->Tick();
        Drain(sid);
      }
      Deliver();
    }
  }

  // Ticks until every running server is settled and serving; returns the leader.
  ServerId Stabilize(int max_ticks = 100) {
    Deliver();
    for (int i = 0; i < max_ticks; ++i) {
      ServerId leader = 0;
      bool all = true;
      for (auto& [sid, s] : servers_) {
        if (!s.core || cut_.contains(sid)) continue;
        SoftState st = s.core->soft_state();
        all = all && st.serving;
        if (st.role == Role::kLeading) leader = sid;
      }
      if (all && leader != 0) return leader;
      Tick();
    }
    return 0;
  }

  void Persist(ServerId sid) {
    Server& s = servers_[sid];
    if (!s.log.empty() && s.core) {
      s.core->Persisted(s.log.back().zxid);
      Drain(sid);
    }
  }

  void Cut(ServerId sid) { cut_.insert(sid); }
  void Heal() { cut_.clear(); }

  std::vector<Message> Delivered(MessageType type, ServerId to = 0) const {
    std::vector<Message> out;
    for (const Message& m : delivered_) {
      if (m.type == type && (to == 0 || m.to == to)) out.push_back(m);
    }
    return out;
  }
  void ClearTrace() { delivered_.clear(); }

 private:
  void Drain(ServerId sid) {
    Server& s = servers_[sid];
    while (s.core && s.core->HasReady()) {
      Ready rd = s.core->TakeReady();
      if (rd.snapshot) {
        s.snapshot = *rd.snapshot;
        s.log.clear();
        s.applied = DecodeState(s.snapshot.data);
      }
      if (rd.truncate_after) {
        std::erase_if(s.log, [&](const Entry& e) { return e.zxid > *rd.truncate_after; });
      }
      for (Entry& e : rd.entries) s.log.push_back(std::move(e));
      if (rd.hard_state) s.hard_state = *rd.hard_state;
      for (Message& m : rd.messages) queue_.push_back(std::move(m));
      for (Entry& e : rd.committed) s.applied.push_back(std::move(e));
      for (SyncResult& r : rd.syncs) s.syncs.push_back(r);
      s.core->Advance();
      if (s.auto_persist && !rd.entries.empty()) s.core->Persisted(s.log.back().zxid);
    }
  }

  Config config_;
  std::map<ServerId, Server> servers_;
  std::deque<Message> queue_;
  std::vector<Message> delivered_;
  std::set<ServerId> cut_;
  uint64_t boots_ = 0;
};

}  // namespace zk::zab::sim
