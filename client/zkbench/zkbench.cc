// zkbench: a closed-loop load generator on the zk_client library, for any
// server that speaks the ZooKeeper client protocol.
//
// -sessions sessions each keep -window requests in flight; every answer
// issues the next request of the -workload. Sessions share a few io threads
// (-threads) and run their callbacks there, so the generator stays cheap; its
// own CPU time and the server's (-cpu_pid) over the measured window are
// reported to show which side is the bottleneck.
//
// Output: a human summary, then one line "RESULT {json}" for scripts.
#include <gflags/gflags.h>
#include <glog/logging.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <future>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "client/lib/zk_client.h"
#include "client/zkbench/stats.h"
#include "server/net/asio.h"

DEFINE_string(hosts, "127.0.0.1:2181", "Connect string");
DEFINE_string(workload, "set", "create|set|get|exists|delete|multi|mixed");
DEFINE_int32(sessions, 16, "Client sessions");
DEFINE_int32(window, 32, "Requests each session keeps in flight");
DEFINE_double(read_ratio, 0.9, "mixed: fraction of requests that are getData (rest setData)");
DEFINE_int32(value_size, 100, "Bytes written by create/set/multi");
DEFINE_int32(keys, 1000, "Keys set/get/exists/mixed/multi choose from; nodes delete removes");
DEFINE_double(duration_s, 10, "Seconds to measure");
DEFINE_double(warmup_s, 1, "Seconds of load before measuring");
DEFINE_string(root, "/zkbench", "Parent of every key; created when missing");
DEFINE_int32(threads, 2, "io threads shared by all sessions");
DEFINE_int32(cpu_pid, 0, "Server process whose CPU time to report (0: none)");
DEFINE_int32(session_timeout_ms, 30000, "Session timeout asked for");

namespace {

using Clock = std::chrono::steady_clock;
using zk::Err;
using zk::client::ZkClient;

enum class Kind { kCreate, kSet, kGet, kExists, kDelete, kMulti, kMixed };

bool ParseKind(const std::string& name, Kind* kind) {
  static const std::pair<const char*, Kind> kNames[] = {
      {"create", Kind::kCreate}, {"set", Kind::kSet},       {"get", Kind::kGet},
      {"exists", Kind::kExists}, {"delete", Kind::kDelete}, {"multi", Kind::kMulti},
      {"mixed", Kind::kMixed}};
  for (const auto& [n, k] : kNames) {
    if (name == n) {
      *kind = k;
      return true;
    }
  }
  return false;
}

std::string KeyPath(int index) { return FLAGS_root + "/k" + std::to_string(index); }

// One session and what its callbacks record. Callbacks of one session run
// one at a time (the client's strand), so its fields need no lock.
struct Session {
  std::unique_ptr<ZkClient> client;
  int id = 0;
  std::mt19937 rng;
  uint64_t next_seq = 0;
  std::vector<uint32_t> latencies;
  uint64_t errors = 0;
  uint64_t measured = 0;
};

class Bench {
 public:
  Bench(Kind kind, boost::asio::io_context* io) : kind_(kind), io_(io) {
    value_.assign(static_cast<size_t>(FLAGS_value_size), 'v');
  }

  bool Connect() {
    for (int i = 0; i < FLAGS_sessions; ++i) {
      zk::client::ClientOptions options;
      options.connect_string = FLAGS_hosts;
      options.session_timeout_ms = FLAGS_session_timeout_ms;
      options.io_context = io_;
      options.callbacks_on_io_thread = true;
      auto s = std::make_unique<Session>();
      s->id = i;
      s->rng.seed(static_cast<uint32_t>(i * 7919 + 1));
      s->client = std::make_unique<ZkClient>(options);
      if (!s->client->Valid()) return false;
      sessions_.push_back(std::move(s));
    }
    auto deadline = Clock::now() + std::chrono::seconds(30);
    for (auto& s : sessions_) {
      while (s->client->State() != zk::KeeperState::kSyncConnected) {
        if (Clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    }
    return true;
  }

  // Creates the root and, for the workloads that need them, the keys.
  bool Populate() {
    if (Call(FLAGS_root) != Err::kOk) return false;
    if (kind_ == Kind::kCreate) return true;
    const int batch = 2000;
    for (int start = 0; start < FLAGS_keys; start += batch) {
      int end = std::min(FLAGS_keys, start + batch);
      std::atomic<int> left{end - start};
      std::atomic<int> failed{0};
      std::promise<void> done;
      for (int k = start; k < end; ++k) {
        sessions_[k % sessions_.size()]->client->Create(
            KeyPath(k), value_, zk::client::OpenAclUnsafe(), zk::CreateMode::kPersistent,
            [&](Err err, const std::string&, const zk::client::Stat&) {
              if (err != Err::kOk && err != Err::kNodeExists) failed++;
              if (--left == 0) done.set_value();
            });
      }
      if (done.get_future().wait_for(std::chrono::seconds(120)) != std::future_status::ready ||
          failed > 0) {
        return false;
      }
    }
    return true;
  }

  void Run() {
    running_ = true;
    auto now = Clock::now();
    measure_start_ = now + ToDuration(FLAGS_warmup_s);
    measure_end_ = measure_start_ + ToDuration(FLAGS_duration_s);
    for (auto& s : sessions_) {
      for (int i = 0; i < FLAGS_window; ++i) Issue(*s);
    }
    std::this_thread::sleep_until(measure_start_);
    cpu_self_start_ = zk::bench::ProcessCpuMillis(0);
    cpu_server_start_ = FLAGS_cpu_pid ? zk::bench::ProcessCpuMillis(FLAGS_cpu_pid) : -1;
    while (Clock::now() < measure_end_ && !exhausted_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    actual_end_ = std::min(Clock::now(), measure_end_);
    cpu_self_end_ = zk::bench::ProcessCpuMillis(0);
    cpu_server_end_ = FLAGS_cpu_pid ? zk::bench::ProcessCpuMillis(FLAGS_cpu_pid) : -1;
    running_ = false;
    auto deadline = Clock::now() + std::chrono::seconds(30);
    while (in_flight_ > 0 && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  void Report() {
    std::vector<uint32_t> all;
    uint64_t errors = 0;
    for (auto& s : sessions_) {
      all.insert(all.end(), s->latencies.begin(), s->latencies.end());
      errors += s->errors;
    }
    double seconds = std::chrono::duration<double>(actual_end_ - measure_start_).count();
    auto lat = zk::bench::Summarize(&all);
    double ops = seconds > 0 ? static_cast<double>(lat.count) / seconds : 0;
    int64_t self_ms = cpu_self_end_ - cpu_self_start_;
    int64_t server_ms = FLAGS_cpu_pid ? cpu_server_end_ - cpu_server_start_ : -1;
    std::printf("workload=%s sessions=%d window=%d value_size=%d keys=%d\n", FLAGS_workload.c_str(),
                FLAGS_sessions, FLAGS_window, FLAGS_value_size, FLAGS_keys);
    std::printf("ops: %llu in %.2f s = %.0f ops/s, errors %llu\n",
                static_cast<unsigned long long>(lat.count), seconds, ops,
                static_cast<unsigned long long>(errors));
    std::printf("latency us: mean %.0f p50 %.0f p99 %.0f p999 %.0f max %.0f\n", lat.mean_us,
                lat.p50_us, lat.p99_us, lat.p999_us, lat.max_us);
    std::printf("cpu ms: zkbench %lld (%.0f%% of a core)", static_cast<long long>(self_ms),
                seconds > 0 ? 100.0 * static_cast<double>(self_ms) / (seconds * 1000) : 0);
    if (FLAGS_cpu_pid) {
      std::printf(", server %lld (%.0f%% of a core)", static_cast<long long>(server_ms),
                  seconds > 0 ? 100.0 * static_cast<double>(server_ms) / (seconds * 1000) : 0);
    }
    std::printf("\n");
    std::printf(
        "RESULT {\"workload\":\"%s\",\"sessions\":%d,\"window\":%d,\"value_size\":%d,"
        "\"keys\":%d,\"read_ratio\":%.3f,\"seconds\":%.3f,\"ops\":%llu,\"ops_per_sec\":%.1f,"
        "\"errors\":%llu,\"mean_us\":%.1f,\"p50_us\":%.1f,\"p99_us\":%.1f,\"p999_us\":%.1f,"
        "\"max_us\":%.1f,\"client_cpu_ms\":%lld,\"server_cpu_ms\":%lld}\n",
        FLAGS_workload.c_str(), FLAGS_sessions, FLAGS_window, FLAGS_value_size, FLAGS_keys,
        FLAGS_read_ratio, seconds, static_cast<unsigned long long>(lat.count), ops,
        static_cast<unsigned long long>(errors), lat.mean_us, lat.p50_us, lat.p99_us, lat.p999_us,
        lat.max_us, static_cast<long long>(self_ms), static_cast<long long>(server_ms));
    std::fflush(stdout);
  }

  void Close() { sessions_.clear(); }

 private:
  static Clock::duration ToDuration(double seconds) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  }

  // Creates path (the root) synchronously; an existing node is fine.
  Err Call(const std::string& path) {
    std::promise<Err> done;
    sessions_[0]->client->Create(path, "", zk::client::OpenAclUnsafe(), zk::CreateMode::kPersistent,
                                 [&](Err err, const std::string&, const zk::client::Stat&) {
                                   done.set_value(err == Err::kNodeExists ? Err::kOk : err);
                                 });
    return done.get_future().get();
  }

  // Completion of one request: record it and issue the next.
  void Done(Session& s, Clock::time_point start, Err err) {
    auto end = Clock::now();
    if (start >= measure_start_ && end <= measure_end_) {
      auto us = std::chrono::duration_cast<std::chrono::microseconds>(end - start).count();
      s.latencies.push_back(static_cast<uint32_t>(std::min<int64_t>(us, UINT32_MAX)));
      if (err != Err::kOk) s.errors++;
    }
    in_flight_--;
    if (running_) Issue(s);
  }

  void Issue(Session& s) {
    Kind kind = kind_;
    if (kind == Kind::kMixed) {
      kind = std::uniform_real_distribution<double>(0, 1)(s.rng) < FLAGS_read_ratio ? Kind::kGet
                                                                                    : Kind::kSet;
    }
    int key = std::uniform_int_distribution<int>(0, std::max(0, FLAGS_keys - 1))(s.rng);
    auto start = Clock::now();
    Session* sp = &s;
    in_flight_++;
    switch (kind) {
      case Kind::kCreate: {
        std::string path =
            FLAGS_root + "/c" + std::to_string(s.id) + "-" + std::to_string(s.next_seq++);
        s.client->Create(path, value_, zk::client::OpenAclUnsafe(), zk::CreateMode::kPersistent,
                         [this, sp, start](Err err, const std::string&, const zk::client::Stat&) {
                           Done(*sp, start, err);
                         });
        break;
      }
      case Kind::kSet:
        s.client->SetData(
            KeyPath(key), value_, -1,
            [this, sp, start](Err err, const zk::client::Stat&) { Done(*sp, start, err); });
        break;
      case Kind::kGet:
        s.client->GetData(KeyPath(key),
                          [this, sp, start](Err err, const std::string&, const zk::client::Stat&) {
                            Done(*sp, start, err);
                          });
        break;
      case Kind::kExists:
        s.client->Exists(KeyPath(key), [this, sp, start](Err err, const zk::client::Stat&) {
          Done(*sp, start, err);
        });
        break;
      case Kind::kDelete: {
        int index = next_delete_++;
        if (index >= FLAGS_keys) {
          exhausted_ = true;
          in_flight_--;
          return;
        }
        s.client->Delete(KeyPath(index), -1, [this, sp, start](Err err) { Done(*sp, start, err); });
        break;
      }
      case Kind::kMulti: {
        int other = std::uniform_int_distribution<int>(0, std::max(0, FLAGS_keys - 1))(s.rng);
        std::vector<zk::client::Op> ops = {zk::client::Op::Check(KeyPath(key), -1),
                                           zk::client::Op::SetData(KeyPath(key), value_),
                                           zk::client::Op::SetData(KeyPath(other), value_)};
        s.client->Multi(ops, [this, sp, start](Err err, const std::vector<zk::client::OpResult>&) {
          Done(*sp, start, err);
        });
        break;
      }
      case Kind::kMixed: break;
    }
  }

  const Kind kind_;
  boost::asio::io_context* io_;
  std::string value_;
  std::vector<std::unique_ptr<Session>> sessions_;
  std::atomic<bool> running_{false};
  std::atomic<bool> exhausted_{false};
  std::atomic<int64_t> in_flight_{0};
  std::atomic<int> next_delete_{0};
  Clock::time_point measure_start_ = Clock::time_point::max();
  Clock::time_point measure_end_ = Clock::time_point::max();
  Clock::time_point actual_end_;
  int64_t cpu_self_start_ = 0, cpu_self_end_ = 0;
  int64_t cpu_server_start_ = 0, cpu_server_end_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  gflags::SetUsageMessage("zkbench -hosts host:port -workload set|get|... [flags]");
  gflags::ParseCommandLineFlags(&argc, &argv, true);
  FLAGS_logtostderr = true;
  google::InitGoogleLogging(argv[0]);
  Kind kind;
  if (!ParseKind(FLAGS_workload, &kind)) {
    std::fprintf(stderr, "unknown -workload %s\n", FLAGS_workload.c_str());
    return 2;
  }
  if (FLAGS_sessions < 1 || FLAGS_window < 1 || FLAGS_threads < 1 || FLAGS_keys < 1 ||
      FLAGS_value_size < 0) {
    std::fprintf(stderr, "-sessions, -window, -threads and -keys must be positive\n");
    return 2;
  }
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  std::vector<std::thread> threads;
  for (int i = 0; i < FLAGS_threads; ++i) threads.emplace_back([&io] { io.run(); });
  int rc = 0;
  {
    Bench bench(kind, &io);
    if (!bench.Connect()) {
      std::fprintf(stderr, "cannot connect %d sessions to %s\n", FLAGS_sessions,
                   FLAGS_hosts.c_str());
      rc = 1;
    } else if (!bench.Populate()) {
      std::fprintf(stderr, "cannot create %s and its keys\n", FLAGS_root.c_str());
      rc = 1;
    } else {
      bench.Run();
      bench.Report();
    }
    bench.Close();
  }
  work.reset();
  for (auto& t : threads) t.join();
  return rc;
}
