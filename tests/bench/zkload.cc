// zkload: a closed-loop write load generator built on the ZooKeeper C client
// (libzookeeper_mt, async API), so it measures any server that speaks the
// protocol -- ours and Apache's alike -- with the same client code.
//
// N sessions each keep W requests in flight. Every request writes a V-byte
// value to a key no other slot touches: `set` rewrites one key per slot
// (created in a setup phase), `create` makes new znodes until --count exist.
// With --cpu_pid the server's utime+stime over the measured window is
// reported too, read from /proc so the window matches the load exactly.
//
// Output: a human summary, then one line starting with "RESULT" of
// key=value pairs for scripts.
#include <gflags/gflags.h>
#include <unistd.h>
#include <zookeeper/zookeeper.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

DEFINE_string(hosts, "127.0.0.1:2181", "Connect string");
DEFINE_string(op, "set", "set: rewrite one key per slot; create: new znodes until --count");
DEFINE_int32(sessions, 32, "Client sessions");
DEFINE_int32(inflight, 64, "Requests each session keeps outstanding");
DEFINE_int32(value_bytes, 100, "Bytes written per request");
DEFINE_double(duration, 10, "Seconds to measure (set); upper bound for create");
DEFINE_double(warmup, 0, "Seconds of load before measuring starts (set only)");
DEFINE_int64(count, 0, "create: znodes to make in total (0 = until --duration)");
DEFINE_string(root, "/zkload", "Parent of every key; created when missing");
DEFINE_int32(cpu_pid, 0, "Server process whose CPU time to report (0 = none)");
DEFINE_int32(session_timeout_ms, 30000, "Session timeout asked for");
DEFINE_bool(random_values, false,
            "Give each request different pseudo-random (incompressible) bytes instead of 'v's");

namespace {

using Clock = std::chrono::steady_clock;

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now().time_since_epoch())
      .count();
}

// utime+stime of `pid` in milliseconds, or -1 when it cannot be read.
int64_t ProcessCpuMillis(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return -1;
  // The command name may hold spaces; fields resume after its ')'.
  size_t close = line.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream fields(line.substr(close + 2));
  std::string field;
  int64_t utime = 0;
  int64_t stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stoll(field);
    if (i == 15) stime = std::stoll(field);
  }
  return (utime + stime) * 1000 / sysconf(_SC_CLK_TCK);
}

// Shared by every session: when to record, when to stop, what was seen.
struct Run {
  std::atomic<bool> stop{false};
  std::atomic<bool> measuring{false};
  std::atomic<int64_t> next_create{0};
  std::atomic<int64_t> ops{0};
  std::atomic<int64_t> errors{0};
  std::atomic<int64_t> completed{0};  // measured or not: ends a --count run
  std::atomic<int> first_error{0};
  std::atomic<int64_t> outstanding{0};
  std::string value;
  // --random_values: each request takes value_bytes at its own offset in here.
  std::string random_pool;
  std::atomic<uint64_t> next_value{0};

  const char* NextValue() {
    if (random_pool.empty()) return value.data();
    // A multiplicative hash spreads consecutive requests over the whole pool.
    uint64_t n = next_value.fetch_add(1, std::memory_order_relaxed) * 0x9e3779b97f4a7c15ULL;
    return random_pool.data() + (n >> 20) % (random_pool.size() - value.size());
  }
};

class Session;

// One in-flight slot: it issues its next request from the completion of the
// previous one, so each slot is a closed loop.
struct Slot {
  Session* session = nullptr;
  int index = 0;
  int64_t sent_us = 0;
};

class Session {
 public:
  Session(Run* run, int id) : run_(run), id_(id) {}
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session() {
    if (zh_ != nullptr) zookeeper_close(zh_);
  }

  bool Connect() {
    zh_ = zookeeper_init(FLAGS_hosts.c_str(), &Session::OnWatch, FLAGS_session_timeout_ms, nullptr,
                         this, 0);
    if (zh_ == nullptr) return false;
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(30), [this] { return connected_; });
  }

  std::string Dir() const { return FLAGS_root + "/s" + std::to_string(id_); }
  std::string SlotKey(int slot) const { return Dir() + "/k" + std::to_string(slot); }

  // The common parent; made once, before the sessions make their dirs.
  bool CreateRoot() { return CreateSync(FLAGS_root, ""); }

  // Creates this session's directory and, for `set`, one key per slot.
  bool Setup() {
    if (!CreateSync(Dir(), "")) return false;
    if (FLAGS_op != "set") return true;
    for (int i = 0; i < FLAGS_inflight; ++i) {
      if (!CreateSync(SlotKey(i), run_->value)) return false;
    }
    return true;
  }

  void Start() {
    slots_.resize(FLAGS_inflight);
    for (int i = 0; i < FLAGS_inflight; ++i) {
      slots_[i].session = this;
      slots_[i].index = i;
      Issue(&slots_[i]);
    }
  }

  // Latencies recorded while measuring, in microseconds.
  std::vector<int32_t> TakeLatencies() {
    std::lock_guard<std::mutex> lock(mu_);
    return std::move(latencies_);
  }

 private:
  static void OnWatch(zhandle_t*, int type, int state, const char*, void* ctx) {
    auto* self = static_cast<Session*>(ctx);
    if (type != ZOO_SESSION_EVENT) return;
    std::lock_guard<std::mutex> lock(self->mu_);
    self->connected_ = state == ZOO_CONNECTED_STATE;
    self->cv_.notify_all();
  }

  bool CreateSync(const std::string& path, const std::string& data) {
    int rc = zoo_create(zh_, path.c_str(), data.data(), static_cast<int>(data.size()),
                        &ZOO_OPEN_ACL_UNSAFE, 0, nullptr, 0);
    if (rc == ZOK || rc == ZNODEEXISTS) return true;
    std::fprintf(stderr, "create %s: %s\n", path.c_str(), zerror(rc));
    return false;
  }

  void Issue(Slot* slot) {
    if (run_->stop.load(std::memory_order_relaxed)) return;
    std::string path;
    if (FLAGS_op == "set") {
      path = SlotKey(slot->index);
    } else {
      int64_t n = run_->next_create.fetch_add(1);
      if (FLAGS_count > 0 && n >= FLAGS_count) return;
      path = Dir() + "/n" + std::to_string(n);
    }
    run_->outstanding.fetch_add(1);
    slot->sent_us = NowMicros();
    // The C client copies the value into its request buffer before returning.
    const char* v = run_->NextValue();
    int len = static_cast<int>(run_->value.size());
    int rc = FLAGS_op == "set" ? zoo_aset(zh_, path.c_str(), v, len, -1, &Session::OnStat, slot)
                               : zoo_acreate(zh_, path.c_str(), v, len, &ZOO_OPEN_ACL_UNSAFE, 0,
                                             &Session::OnString, slot);
    if (rc != ZOK) Done(slot, rc);
  }

  static void OnStat(int rc, const struct Stat*, const void* data) {
    auto* slot = static_cast<Slot*>(const_cast<void*>(data));
    slot->session->Done(slot, rc);
  }
  static void OnString(int rc, const char*, const void* data) {
    auto* slot = static_cast<Slot*>(const_cast<void*>(data));
    slot->session->Done(slot, rc);
  }

  void Done(Slot* slot, int rc) {
    int64_t latency = NowMicros() - slot->sent_us;
    if (run_->measuring.load(std::memory_order_relaxed)) {
      if (rc == ZOK) {
        run_->ops.fetch_add(1, std::memory_order_relaxed);
        std::lock_guard<std::mutex> lock(mu_);
        latencies_.push_back(static_cast<int32_t>(std::min<int64_t>(latency, INT32_MAX)));
      } else {
        run_->errors.fetch_add(1, std::memory_order_relaxed);
        int expected = 0;
        run_->first_error.compare_exchange_strong(expected, rc);
      }
    }
    run_->completed.fetch_add(1, std::memory_order_relaxed);
    run_->outstanding.fetch_sub(1);
    if (rc == ZOK || rc == ZNODEEXISTS) Issue(slot);
  }

  Run* run_;
  int id_;
  zhandle_t* zh_ = nullptr;
  std::mutex mu_;
  std::condition_variable cv_;
  bool connected_ = false;
  std::vector<Slot> slots_;
  std::vector<int32_t> latencies_;
};

int32_t Percentile(const std::vector<int32_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t i = static_cast<size_t>(p * static_cast<double>(sorted.size() - 1));
  return sorted[i];
}

}  // namespace

int main(int argc, char** argv) {
  gflags::SetUsageMessage("zkload --hosts=127.0.0.1:2181 [--op=set|create] ...");
  gflags::ParseCommandLineFlags(&argc, &argv, true);
  if (FLAGS_op != "set" && FLAGS_op != "create") {
    std::fprintf(stderr, "--op must be set or create\n");
    return 2;
  }
  if (FLAGS_sessions < 1 || FLAGS_inflight < 1) {
    std::fprintf(stderr, "--sessions and --inflight must be at least 1\n");
    return 2;
  }
  zoo_set_debug_level(ZOO_LOG_LEVEL_ERROR);

  Run run;
  run.value.assign(static_cast<size_t>(FLAGS_value_bytes), 'v');
  if (FLAGS_random_values) {
    std::mt19937_64 rng(42);
    run.random_pool.resize((size_t{16} << 20) + run.value.size() + 1);
    for (char& c : run.random_pool) c = static_cast<char>(rng());
  }
  std::vector<std::unique_ptr<Session>> sessions;
  for (int i = 0; i < FLAGS_sessions; ++i) {
    sessions.push_back(std::make_unique<Session>(&run, i));
    if (!sessions.back()->Connect()) {
      std::fprintf(stderr, "session %d: no connection to %s\n", i, FLAGS_hosts.c_str());
      return 1;
    }
  }
  int64_t setup_start = NowMicros();
  if (!sessions[0]->CreateRoot()) return 1;
  std::vector<std::thread> setups;
  std::atomic<bool> setup_ok{true};
  for (auto& s : sessions) {
    setups.emplace_back([&setup_ok, session = s.get()] {
      if (!session->Setup()) setup_ok = false;
    });
  }
  for (auto& t : setups) t.join();
  if (!setup_ok) return 1;
  double setup_s = static_cast<double>(NowMicros() - setup_start) / 1e6;

  // Without a warm-up the window opens before the first request, so every
  // completion is counted.
  bool warm_up = FLAGS_warmup > 0 && FLAGS_op == "set";
  if (warm_up) {
    for (auto& s : sessions) s->Start();
    std::this_thread::sleep_for(std::chrono::duration<double>(FLAGS_warmup));
  }
  int64_t cpu_start = FLAGS_cpu_pid > 0 ? ProcessCpuMillis(FLAGS_cpu_pid) : -1;
  int64_t start_us = NowMicros();
  run.measuring = true;
  if (!warm_up) {
    for (auto& s : sessions) s->Start();
  }
  auto deadline = Clock::now() + std::chrono::duration<double>(FLAGS_duration);
  while (Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (FLAGS_op == "create" && FLAGS_count > 0 && run.completed.load() >= FLAGS_count) {
      break;
    }
  }
  run.measuring = false;
  int64_t end_us = NowMicros();
  int64_t cpu_end = FLAGS_cpu_pid > 0 ? ProcessCpuMillis(FLAGS_cpu_pid) : -1;
  run.stop = true;
  // Let the last requests finish so the sessions close cleanly.
  auto drain_deadline = Clock::now() + std::chrono::seconds(30);
  while (run.outstanding.load() > 0 && Clock::now() < drain_deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }

  std::vector<int32_t> latencies;
  for (auto& s : sessions) {
    std::vector<int32_t> part = s->TakeLatencies();
    latencies.insert(latencies.end(), part.begin(), part.end());
  }
  sessions.clear();
  std::sort(latencies.begin(), latencies.end());

  double seconds = static_cast<double>(end_us - start_us) / 1e6;
  int64_t ops = run.ops.load();
  double ops_per_s = seconds > 0 ? static_cast<double>(ops) / seconds : 0;
  int64_t cpu_ms = cpu_start >= 0 && cpu_end >= 0 ? cpu_end - cpu_start : -1;
  double cpu_per_kop = cpu_ms >= 0 && ops > 0 ? static_cast<double>(cpu_ms) * 1000 / ops : -1;
  int32_t p50 = Percentile(latencies, 0.50);
  int32_t p99 = Percentile(latencies, 0.99);
  int32_t p999 = Percentile(latencies, 0.999);
  // The longest any write waited: a stall of the server shows here first.
  int32_t max_us = latencies.empty() ? 0 : latencies.back();

  std::printf("%s: %d sessions x %d in flight, %d-byte values, setup %.1f s\n", FLAGS_op.c_str(),
              FLAGS_sessions, FLAGS_inflight, FLAGS_value_bytes, setup_s);
  std::printf(
      "  %lld ok, %lld errors in %.2f s: %.0f ops/s, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, "
      "max %.2f ms\n",
      static_cast<long long>(ops), static_cast<long long>(run.errors.load()), seconds, ops_per_s,
      p50 / 1000.0, p99 / 1000.0, p999 / 1000.0, max_us / 1000.0);
  if (run.first_error.load() != 0) {
    std::printf("  first error: %s\n", zerror(run.first_error.load()));
  }
  if (cpu_ms >= 0) {
    std::printf("  server CPU %lld ms (%.1f ms per 1000 ops)\n", static_cast<long long>(cpu_ms),
                cpu_per_kop);
  }
  std::printf(
      "RESULT op=%s sessions=%d inflight=%d value_bytes=%d seconds=%.3f ops=%lld errors=%lld "
      "ops_per_s=%.1f p50_us=%d p99_us=%d p999_us=%d max_us=%d cpu_ms=%lld cpu_ms_per_kop=%.2f\n",
      FLAGS_op.c_str(), FLAGS_sessions, FLAGS_inflight, FLAGS_value_bytes, seconds,
      static_cast<long long>(ops), static_cast<long long>(run.errors.load()), ops_per_s, p50, p99,
      p999, max_us, static_cast<long long>(cpu_ms), cpu_per_kop);
  return run.errors.load() == 0 ? 0 : 1;
}
