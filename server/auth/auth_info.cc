#include "server/auth/auth_info.h"

#include <utility>

#include "server/auth/java_text.h"

namespace zk::auth {
namespace {

// java.util.concurrent.ConcurrentHashMap constants.
constexpr size_t kDefaultCapacity = 16;
constexpr size_t kTreeifyThreshold = 8;
constexpr size_t kUntreeifyThreshold = 6;
constexpr size_t kMinTreeifyCapacity = 64;

uint32_t Spread(int32_t h) {
  const auto u = static_cast<uint32_t>(h);
  return (u ^ (u >> 16)) & 0x7fffffffu;
}

int64_t Threshold(size_t n) { return static_cast<int64_t>(n - (n >> 2)); }

size_t TableSizeFor(size_t c) {
  size_t n = 1;
  while (n < c) n <<= 1;
  return n;
}

}  // namespace

AuthInfo AuthInfo::ForConnection(std::string host_address) {
  AuthInfo info;
  info.Add(data::Id{"ip", std::move(host_address)});
  return info;
}

int32_t AuthInfo::JavaHash(const data::Id& id) {
  uint32_t result = 17;
  result = 37 * result + static_cast<uint32_t>(JavaStringHash(id.scheme));
  result = 37 * result + static_cast<uint32_t>(JavaStringHash(id.id));
  return static_cast<int32_t>(result);
}

bool AuthInfo::Add(data::Id id) {
  if (table_.empty()) {
    table_.resize(kDefaultCapacity);
    size_ctl_ = Threshold(kDefaultCapacity);
  }
  const uint32_t hash = Spread(JavaHash(id));
  Bin& bin = table_[hash & (table_.size() - 1)];
  const bool tree = bin.tree;
  size_t seen = 0;  // the map's binCount: nodes walked before the match or the append
  bool present = false;
  for (const Node& node : bin.nodes) {
    ++seen;
    if (node.hash == hash && node.id == id) {
      present = true;
      break;
    }
  }
  if (!present) {
    if (tree) {
      bin.nodes.insert(bin.nodes.begin(), Node{hash, std::move(id)});  // tree bins prepend
    } else {
      bin.nodes.push_back(Node{hash, std::move(id)});
    }
  }
  if (!tree && seen >= kTreeifyThreshold) {
    if (table_.size() < kMinTreeifyCapacity) {
      TryPresize(table_.size() << 1);
    } else {
      table_[hash & (table_.size() - 1)].tree = true;
    }
  }
  if (!present) {
    ++count_;
    while (static_cast<int64_t>(count_) >= size_ctl_) Transfer();
  }
  Reorder();
  return !present;
}

void AuthInfo::TryPresize(size_t size) {
  const size_t c = TableSizeFor(size + (size >> 1) + 1);
  while (static_cast<int64_t>(c) > size_ctl_) Transfer();
}

void AuthInfo::Transfer() {
  const size_t n = table_.size();
  std::vector<Bin> next(n * 2);
  for (size_t i = 0; i < n; ++i) {
    Bin& bin = table_[i];
    if (bin.nodes.empty()) continue;
    Bin& lo = next[i];
    Bin& hi = next[i + n];
    if (bin.tree) {
      // Tree bins split in order and stay trees only while large.
      for (Node& node : bin.nodes) ((node.hash & n) == 0 ? lo : hi).nodes.push_back(node);
      lo.tree = lo.nodes.size() > kUntreeifyThreshold;
      hi.tree = hi.nodes.size() > kUntreeifyThreshold;
      continue;
    }
    // List bins: the longest tail that goes to one side moves as is; the
    // nodes before it are pushed onto the front of their side one by one.
    size_t last_run = 0;
    uint32_t run_bit = bin.nodes[0].hash & n;
    for (size_t j = 1; j < bin.nodes.size(); ++j) {
      const uint32_t b = bin.nodes[j].hash & n;
      if (b != run_bit) {
        run_bit = b;
        last_run = j;
      }
    }
    Bin& run_side = run_bit == 0 ? lo : hi;
    run_side.nodes.assign(bin.nodes.begin() + static_cast<std::ptrdiff_t>(last_run),
                          bin.nodes.end());
    for (size_t j = 0; j < last_run; ++j) {
      Bin& side = (bin.nodes[j].hash & n) == 0 ? lo : hi;
      side.nodes.insert(side.nodes.begin(), bin.nodes[j]);
    }
  }
  table_ = std::move(next);
  size_ctl_ = Threshold(table_.size());
}

void AuthInfo::Reorder() {
  ordered_.clear();
  for (const Bin& bin : table_) {
    for (const Node& node : bin.nodes) ordered_.push_back(node.id);
  }
}

bool AuthInfo::Contains(const data::Id& id) const {
  for (const data::Id& have : ordered_) {
    if (have == id) return true;
  }
  return false;
}

bool AuthInfo::HasScheme(std::string_view scheme) const {
  for (const data::Id& have : ordered_) {
    if (have.scheme == scheme) return true;
  }
  return false;
}

}  // namespace zk::auth
