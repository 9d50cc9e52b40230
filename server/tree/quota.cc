// DataTree's quota bookkeeping: ZooKeeper keeps a zookeeper_stats node per
// quota up to date on every create, delete and data change beneath it, and
// (with zookeeper.enforceQuota) checks changes against the limits first.
#include <glog/logging.h>

#include <charconv>
#include <map>
#include <string>

#include "server/tree/data_tree.h"

namespace zk::tree {
namespace {

constexpr std::string_view kQuotaRoot = "/zookeeper/quota";
constexpr std::string_view kLimitNode = "zookeeper_limits";
constexpr std::string_view kStatNode = "zookeeper_stats";

// The quota'd path a node under /zookeeper/quota names: "/zookeeper/quota/a/b"
// -> "/a/b". Empty when `parent_path` is not below /zookeeper/quota.
std::string_view QuotaPathOf(std::string_view parent_path) {
  if (parent_path.size() <= kQuotaRoot.size() || !parent_path.starts_with(kQuotaRoot) ||
      parent_path[kQuotaRoot.size()] != '/') {
    return {};
  }
  return parent_path.substr(kQuotaRoot.size());
}

std::string QuotaNodePath(std::string_view quota_path, std::string_view node) {
  std::string path(kQuotaRoot);
  path.append(quota_path).append("/").append(node);
  return path;
}

std::string StatNodePath(std::string_view quota_path) {
  return QuotaNodePath(quota_path, kStatNode);
}

// ZooKeeper's StatsTrack text: "key=value" pairs split by ',' or ';'; a
// missing or unparsable value reads as -1.
std::map<std::string, int64_t, std::less<>> ParseStats(std::string_view text) {
  std::map<std::string, int64_t, std::less<>> stats;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find_first_of(",;", pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view pair = text.substr(pos, end - pos);
    pos = end + 1;
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string_view key = pair.substr(0, eq);
    int64_t value = -1;
    if (eq != std::string_view::npos) {
      std::string_view digits = pair.substr(eq + 1);
      digits = digits.substr(0, digits.find('='));
      std::from_chars(digits.data(), digits.data() + digits.size(), value);
    }
    stats[std::string(key)] = value;
  }
  return stats;
}

// "count=N,bytes=M", then any other keys sorted, as ";key=value" after an
// extra '=' that keeps pre-3.7 parsers happy.
std::string FormatStats(const std::map<std::string, int64_t, std::less<>>& stats) {
  auto value = [&](std::string_view key) {
    auto it = stats.find(key);
    return it == stats.end() ? int64_t{-1} : it->second;
  };
  std::string out = "count=" + std::to_string(value("count")) + ",bytes=";
  out += std::to_string(value("bytes"));
  bool first_extra = true;
  for (const auto& [key, v] : stats) {
    if (key == "count" || key == "bytes") continue;
    if (first_extra) out += "=";
    first_extra = false;
    out.append(";").append(key).append("=").append(std::to_string(v));
  }
  return out;
}

using Stats = std::map<std::string, int64_t, std::less<>>;

int64_t StatValue(const Stats& stats, std::string_view key) {
  auto it = stats.find(key);
  return it == stats.end() ? -1 : it->second;
}

// One limit (count or bytes) of checkQuota: kQuotaExceeded past a hard limit.
Err CheckLimit(std::string_view quota_path, std::string_view what, int64_t value,
               int64_t soft_limit, int64_t hard_limit) {
  bool hard = hard_limit > -1;
  int64_t limit = hard ? hard_limit : soft_limit;
  if (value <= limit) return Err::kOk;
  LOG(WARNING) << "Quota exceeded: " << quota_path << " [current " << what << "=" << value << ", "
               << (hard ? "hard" : "soft") << (what == "count" ? "CountLimit=" : "ByteLimit=")
               << limit << "]";
  return hard ? Err::kQuotaExceeded : Err::kOk;
}

}  // namespace

Err DataTree::CheckQuota(std::string_view path, int64_t bytes_diff, int64_t count_diff) const {
  if (!options_.enforce_quota) return Err::kOk;
  std::optional<std::string> prefix = QuotaPrefix(path);
  if (!prefix) return Err::kOk;
  std::optional<NodeView> limit_node = Find(QuotaNodePath(*prefix, kLimitNode));
  if (!limit_node) {
    LOG(ERROR) << "Missing limit node for quota " << QuotaNodePath(*prefix, kLimitNode);
    return Err::kOk;
  }
  const Stats limits = ParseStats(limit_node->data());
  const int64_t count_soft = StatValue(limits, "count");
  const int64_t count_hard = StatValue(limits, "countHardLimit");
  const int64_t bytes_soft = StatValue(limits, "bytes");
  const int64_t bytes_hard = StatValue(limits, "byteHardLimit");
  const bool check_count = count_diff != 0 && (count_soft > -1 || count_hard > -1);
  const bool check_bytes = bytes_diff != 0 && (bytes_soft > -1 || bytes_hard > -1);
  if (!check_count && !check_bytes) return Err::kOk;
  std::optional<NodeView> stat_node = Find(StatNodePath(*prefix));
  if (!stat_node) {
    LOG(ERROR) << "Missing node for stat " << StatNodePath(*prefix);
    return Err::kOk;
  }
  const Stats current = ParseStats(stat_node->data());
  if (check_count) {
    Err err = CheckLimit(*prefix, "count", StatValue(current, "count") + count_diff, count_soft,
                         count_hard);
    if (err != Err::kOk) return err;
  }
  if (check_bytes) {
    return CheckLimit(*prefix, "bytes", StatValue(current, "bytes") + bytes_diff, bytes_soft,
                      bytes_hard);
  }
  return Err::kOk;
}

std::optional<std::string> DataTree::QuotaPrefix(std::string_view path) const {
  if (quota_paths_.empty()) return std::nullopt;
  for (std::string_view p = path; p.size() > 1;) {
    if (quota_paths_.find(p) != quota_paths_.end()) return std::string(p);
    size_t slash = p.rfind('/');
    if (slash == std::string_view::npos) break;
    p = p.substr(0, slash);
  }
  return std::nullopt;
}

void DataTree::ReplaceDataOnly(std::string_view path, std::string_view data) {
  NodeId id = nodes_.Find(path);
  if (id == kNoId) {
    LOG(ERROR) << "Missing quota node " << path;
    return;
  }
  approximate_data_size_ +=
      static_cast<int64_t>(data.size()) - static_cast<int64_t>(znode::Data(nodes_.Get(id)).size());
  Save(id, Load(id), &data);
}

void DataTree::AdjustQuotaStats(std::string_view quota_path, int64_t bytes_diff,
                                int64_t count_diff) {
  std::string stat_path = StatNodePath(quota_path);
  std::optional<NodeView> node = Find(stat_path);
  if (!node) {
    LOG(ERROR) << "Missing quota stat node " << stat_path;
    return;
  }
  auto stats = ParseStats(node->data());
  auto add = [&](const char* key, int64_t diff) {
    auto it = stats.try_emplace(key, -1).first;
    it->second += diff;
  };
  add("count", count_diff);
  add("bytes", bytes_diff);
  ReplaceDataOnly(stat_path, FormatStats(stats));
}

void DataTree::RecountQuota(std::string_view quota_path) {
  NodeId top = nodes_.Find(quota_path);
  int64_t count = 0;
  int64_t bytes = 0;
  if (top != kNoId) {
    std::vector<NodeId> pending{top};
    while (!pending.empty()) {
      NodeId id = pending.back();
      pending.pop_back();
      ++count;
      bytes += static_cast<int64_t>(znode::Data(nodes_.Get(id)).size());
      for (NodeId child = Load(id).first_child; child != kNoId;
           child = znode::NextSibling(nodes_.Get(child))) {
        pending.push_back(child);
      }
    }
  }
  ReplaceDataOnly(StatNodePath(quota_path),
                  "count=" + std::to_string(count) + ",bytes=" + std::to_string(bytes));
}

void DataTree::QuotaAfterCreate(std::string_view path, std::string_view parent_path,
                                std::string_view name, int64_t bytes) {
  std::string_view quota_path = QuotaPathOf(parent_path);
  if (!quota_path.empty()) {
    if (name == kLimitNode) quota_paths_.emplace(quota_path);
    if (name == kStatNode) RecountQuota(quota_path);
  }
  if (std::optional<std::string> prefix = QuotaPrefix(path)) AdjustQuotaStats(*prefix, bytes, 1);
}

void DataTree::QuotaAfterDelete(std::string_view path, std::string_view parent_path,
                                std::string_view name, int64_t bytes) {
  std::string_view quota_path = QuotaPathOf(parent_path);
  if (!quota_path.empty() && name == kLimitNode) {
    if (auto it = quota_paths_.find(quota_path); it != quota_paths_.end()) quota_paths_.erase(it);
  }
  if (std::optional<std::string> prefix = QuotaPrefix(path)) AdjustQuotaStats(*prefix, -bytes, -1);
}

void DataTree::QuotaAfterSetData(std::string_view path, int64_t bytes_diff) {
  if (std::optional<std::string> prefix = QuotaPrefix(path)) {
    AdjustQuotaStats(*prefix, bytes_diff, 0);
  }
}

void DataTree::FinishRestore() {
  // Every leaf zookeeper_limits node below /zookeeper/quota names a quota.
  quota_paths_.clear();
  NodeId quota_root = nodes_.Find(kQuotaRoot);
  std::vector<NodeId> pending;
  if (quota_root != kNoId) pending.push_back(quota_root);
  std::vector<std::string> found;
  while (!pending.empty()) {
    NodeView node = View(pending.back());
    pending.pop_back();
    std::string_view parent, name;
    if (node.num_children() == 0 && SplitPath(node.path(), &parent, &name) && name == kLimitNode &&
        !QuotaPathOf(parent).empty()) {
      found.emplace_back(QuotaPathOf(parent));
    }
    for (NodeId child = node.fields_.first_child; child != kNoId;
         child = znode::NextSibling(nodes_.Get(child))) {
      pending.push_back(child);
    }
  }
  for (const std::string& quota_path : found) {
    quota_paths_.insert(quota_path);
    if (Exists(StatNodePath(quota_path))) RecountQuota(quota_path);
  }
}

}  // namespace zk::tree
