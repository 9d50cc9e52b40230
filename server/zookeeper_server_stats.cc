// The four-letter words' view of the server: counters from the pipeline,
// sessions and connections, gathered on the server's thread.
#include <sys/resource.h>

#include <filesystem>
#include <map>

#include "server/admin/environment.h"
#include "server/admin/java_format.h"
#include "server/zookeeper_server.h"

namespace zk {
namespace {

int64_t OpenFileDescriptors() {
  std::error_code ec;
  int64_t n = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    n++;
  }
  return ec ? -1 : n;
}

int64_t MaxFileDescriptors() {
  rlimit limit{};
  return getrlimit(RLIMIT_NOFILE, &limit) == 0 ? static_cast<int64_t>(limit.rlim_cur) : -1;
}

}  // namespace

admin::ServerStatsView ZooKeeperServer::StatsView() const {
  admin::ServerStatsView view;
  const pipeline::LatencyStats& latency = pipeline_->latency();
  view.min_latency_ms = latency.min_ms;
  view.avg_latency_ms = latency.Average();
  view.max_latency_ms = latency.max_ms;
  view.outstanding_requests = static_cast<int64_t>(pipeline_->OutstandingRequests());
  view.last_processed_zxid = pipeline_->LastProcessedZxid();
  view.node_count = static_cast<int64_t>(tree_.ReportedNodeCount());
  view.watch_count = static_cast<int64_t>(tree_.WatchCount());
  view.ephemerals_count = static_cast<int64_t>(tree_.EphemeralCount());
  view.approximate_data_size = tree_.ApproximateDataSize();
  view.global_sessions = static_cast<int64_t>(sessions_.Count());
  view.uptime_ms = NowMs() - started_ms_;
  view.conf = admin::MakeConfView(options_.config);
  view.conf.client_port = port();
  view.environment = admin::ProcessEnvironment();
  view.open_file_descriptor_count = OpenFileDescriptors();
  view.max_file_descriptor_count = MaxFileDescriptors();

  for (const auto& [raw, conn] : listener_.connections()) {
    admin::ConnectionView c;
    c.remote_address = admin::JavaSocketAddress(conn->remote_address(), conn->remote_port());
    c.packets_received = static_cast<int64_t>(conn->packets_received());
    c.packets_sent = static_cast<int64_t>(conn->packets_sent());
    c.session_id = conn->session_id();
    c.session_timeout_ms = sessions_.TimeoutOf(c.session_id);
    if (const pipeline::SessionStats* stats = pipeline_->StatsOf(c.session_id)) {
      c.last_operation = std::string(admin::LastOperationName(stats->last_op));
      c.last_cxid = stats->last_cxid;
      c.last_zxid = stats->last_zxid;
      c.last_response_time_ms = stats->last_response_ms;
      c.last_latency_ms = stats->last_latency_ms;
      c.min_latency_ms = stats->latency.min_ms;
      c.avg_latency_ms = stats->latency.count ? stats->latency.total_ms / stats->latency.count : 0;
      c.max_latency_ms = stats->latency.max_ms;
    }
    view.packets_received += c.packets_received;
    view.packets_sent += c.packets_sent;
    view.connections.push_back(std::move(c));
  }
  view.num_alive_connections = static_cast<int64_t>(view.connections.size());

  for (const auto& [path, sessions] : tree_.data_watches().ByPath()) {
    for (int64_t session : sessions) view.watches.push_back(admin::WatchView{session, path});
  }
  for (int64_t session : tree_.SessionsWithEphemerals()) {
    view.ephemerals.push_back(admin::EphemeralsView{session, tree_.EphemeralPaths(session)});
  }
  std::map<int64_t, std::vector<int64_t>> by_deadline;
  for (const auto& [id, deadline] : sessions_.Deadlines()) by_deadline[deadline].push_back(id);
  for (auto& [deadline, ids] : by_deadline) {
    view.session_expiry.push_back(admin::SessionExpiryView{deadline, std::move(ids)});
  }
  if (options_.config.IsDistributed()) {
    const zab::SoftState& soft = orderer_->soft_state();
    view.serving = orderer_->serving() || ReadOnly();
    view.read_only = ReadOnly();
    switch (soft.role) {
      case zab::Role::kLeading:
        view.server_state = "leader";
        view.peer_state = "leading - ";
        break;
      case zab::Role::kFollowing:
        view.server_state = "follower";
        view.peer_state = "following - ";
        break;
      case zab::Role::kObserving:
        view.server_state = "observer";
        view.peer_state = "observing - ";
        break;
      case zab::Role::kLooking:
        view.server_state = ReadOnly() ? "read-only" : "looking";
        view.peer_state = "looking - ";
        break;
    }
    view.peer_state += soft.role == zab::Role::kLooking ? "election"
                       : soft.serving                   ? "broadcast"
                                                        : "synchronization";
    view.leader_id = soft.leader;
    if (auto it = options_.config.servers.find(soft.leader); it != options_.config.servers.end()) {
      view.leader_host = it->second.host;
    }
    if (soft.role == zab::Role::kLeading) {
      zab::Core::LearnerCounts counts = orderer_->core().learner_counts();
      admin::LeaderStatsView leader;
      leader.learners = counts.learners;
      leader.synced_followers = counts.synced_followers;
      leader.synced_observers = counts.synced_observers;
      leader.synced_non_voting_followers = 0;
      view.leader = leader;
    }
  }
  return view;
}

}  // namespace zk
