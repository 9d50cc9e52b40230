// Times the peer message codec and a loopback transfer for the large messages
// a leader sends while syncing a learner. Not a test: run it by hand.
//   quorum_codec_bench [entries=100000] [entry_bytes=100] [snapshot_mb=50]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "server/quorum/codec.h"
#include "tests/unit/quorum/transport_test_util.h"

namespace zk::quorum {
namespace {

using Clock = std::chrono::steady_clock;

double MillisSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Best of a few runs, in milliseconds.
template <typename F>
double Time(F f, int runs = 5) {
  double best = 1e18;
  for (int i = 0; i < runs; i++) {
    auto start = Clock::now();
    f();
    best = std::min(best, MillisSince(start));
  }
  return best;
}

void Measure(const char* name, const zab::Message& m) {
  std::string bytes;
  double encode = Time([&] { bytes = EncodeMessage(m); });
  bool ok = true;
  double decode = Time([&] {
    zab::Message out;  // fresh, as on a link: no capacity left from an earlier run
    ok = DecodeMessage(bytes, &out) && ok;
  });
  // What one copy of that many bytes into fresh memory costs, for comparison.
  double copy = Time([&] { std::string copied(bytes); });
  double mb = static_cast<double>(bytes.size()) / (1 << 20);
  std::printf(
      "%-28s %6.1f MiB  encode %7.2f ms (%5.0f MiB/s)  decode %7.2f ms (%5.0f MiB/s)  "
      "plain copy %7.2f ms%s\n",
      name, mb, encode, mb / encode * 1000, decode, mb / decode * 1000, copy,
      ok ? "" : "  DECODE FAILED");
}

// One message from server 1 to server 2 over loopback, Send to delivery.
void MeasureTransfer(const char* name, const zab::Message& m) {
  boost::asio::io_context io;
  auto peers = testing::Ensemble(testing::PickFreePorts(2));
  testing::Node a(io, 1, peers), b(io, 2, peers);
  std::string error;
  if (!a.transport->Start(&error) || !b.transport->Start(&error)) {
    std::printf("%s: %s\n", name, error.c_str());
    return;
  }
  testing::RunUntil(io, [&] { return a.transport->Connected(2); });
  auto start = Clock::now();
  a.transport->Send(m);
  bool ok = testing::RunUntil(
      io, [&] { return !b.received.empty(); }, std::chrono::seconds(30));
  std::printf("%-28s loopback Send to delivery %8.2f ms%s\n", name, MillisSince(start),
              ok ? "" : "  NOT DELIVERED");
}

int Main(int argc, char** argv) {
  size_t entries = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 100000;
  size_t entry_bytes = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 100;
  size_t snapshot_mb = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 50;

  zab::Message diff;
  diff.type = zab::MessageType::kSync;
  diff.from = 1;
  diff.to = 2;
  for (size_t i = 0; i < entries; i++) {
    diff.entries.push_back({zab::MakeZxid(1, static_cast<int64_t>(i + 1)),
                            std::string(entry_bytes, static_cast<char>(i))});
  }
  zab::Message snap;
  snap.type = zab::MessageType::kSync;
  snap.from = 1;
  snap.to = 2;
  snap.has_snapshot = true;
  snap.snapshot.data.assign(snapshot_mb << 20, 's');

  std::string diff_name =
      std::to_string(entries) + " entries x " + std::to_string(entry_bytes) + " B";
  std::string snap_name = std::to_string(snapshot_mb) + " MiB snapshot";
  Measure(diff_name.c_str(), diff);
  Measure(snap_name.c_str(), snap);
  MeasureTransfer(diff_name.c_str(), diff);
  MeasureTransfer(snap_name.c_str(), snap);
  return 0;
}

}  // namespace
}  // namespace zk::quorum

int main(int argc, char** argv) { return zk::quorum::Main(argc, argv); }
