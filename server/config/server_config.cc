#include "server/config/server_config.h"

#include <glog/logging.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "server/config/java_properties.h"
#include "server/config/settings.h"

namespace zk::config {
namespace {

constexpr std::string_view kZookeeperPrefix = "zookeeper.";
constexpr std::string_view kServerPrefix = "server.";
constexpr std::string_view kAuthProviderPrefix = "zookeeper.authProvider.";

// Sentinel for "not set" while parsing, as QuorumPeerConfig uses -1.
constexpr int32_t kUnset = -1;

std::string ResolvePath(const std::string& base_dir, const std::string& path) {
  namespace fs = std::filesystem;
  fs::path p(path);
  if (p.is_relative()) {
    std::error_code ec;
    fs::path base = base_dir.empty() ? fs::current_path(ec) : fs::absolute(base_dir, ec);
    p = base / p;
  }
  std::string s = p.lexically_normal().string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

// Applies one zoo.cfg entry that Apache's QuorumPeerConfig would parse, or
// hands it on to the system properties as Apache does.
bool ApplyFileProperty(const std::string& key, const std::string& value, ServerConfig* config,
                       std::string* error) {
  const auto& settings = FileSettings();
  if (auto it = settings.find(key); it != settings.end()) {
    return it->second(key, value, config, error);
  }
  if (StartsWith(key, kServerPrefix)) {
    int64_t id = 0;
    if (!ParseJavaLong(key.substr(kServerPrefix.size()), &id)) {
      *error = key + ": server id '" + key.substr(kServerPrefix.size()) + "' is not a number";
      return false;
    }
    QuorumServer server;
    if (!ParseQuorumServer(id, value, &server, error)) {
      *error = key + ": " + *error;
      return false;
    }
    config->servers[id] = std::move(server);
    return true;
  }
  if (IsUnsupportedApacheFileKey(key)) {
    LOG(WARNING) << "zoo.cfg: " << key << " is not supported by this server; ignored";
    return true;
  }
  // Apache: System.setProperty("zookeeper." + key, value).
  config->system_properties[std::string(kZookeeperPrefix) + key] = value;
  if (!IsSystemSettingFileKey(key)) {
    LOG(WARNING) << "zoo.cfg: unknown key '" << key << "' ignored";
  }
  return true;
}

// Warns about -Dzookeeper.X flags that Apache would not read because X is a
// zoo.cfg-only setting.
void WarnAboutFileOnlyFlags(const PropertyList& flags) {
  for (const auto& [name, value] : flags) {
    if (!StartsWith(name, kZookeeperPrefix)) continue;
    std::string key = name.substr(kZookeeperPrefix.size());
    if (FileSettings().count(key) > 0 || StartsWith(key, kServerPrefix)) {
      LOG(WARNING) << "-D" << name << " ignored: " << key
                   << " is read from zoo.cfg only (as in Apache ZooKeeper)";
    }
  }
}

bool ApplySystemSettings(ServerConfig* config, std::string* error) {
  for (const SystemSetting& s : SystemSettings()) {
    std::string key(s.file_key);
    if (auto it = config->file_properties.find(key); it != config->file_properties.end()) {
      if (!s.set(key, it->second, config, error)) return false;
    } else if (auto p = config->system_properties.find(std::string(s.property));
               p != config->system_properties.end()) {
      if (!s.set("-D" + p->first, p->second, config, error)) return false;
    }
  }
  for (const auto& [name, value] : config->system_properties) {
    if (StartsWith(name, kAuthProviderPrefix)) {
      config->auth_providers[name.substr(kAuthProviderPrefix.size())] = value;
    }
  }
  return true;
}

bool ReadMyId(ServerConfig* config, std::string* error) {
  std::string path = config->data_dir + "/myid";
  std::ifstream in(path);
  if (!in) return true;  // standalone servers need no myid; checked later
  std::string line;
  std::getline(in, line);
  std::string_view id_text = TrimJava(line);
  if (!ParseJavaLong(id_text, &config->server_id)) {
    *error = "myid: serverid " + std::string(id_text) + " is not a number (" + path + ")";
    return false;
  }
  return true;
}

bool ValidateQuorum(ServerConfig* config, std::string* error) {
  int participants = 0;
  int observers = 0;
  for (const auto& [id, server] : config->servers) {
    (server.type == LearnerType::kObserver ? observers : participants)++;
  }
  if (participants == 0) {
    if (!config->standalone_enabled) {
      *error = "server.N: standaloneEnabled = false then number of participants should be >0";
      return false;
    }
    if (observers > 0) {
      *error = "server.N: Observers w/o participants is an invalid configuration";
      return false;
    }
  } else if (participants == 1 && config->standalone_enabled) {
    LOG(ERROR) << "Invalid configuration, only one server specified (ignoring)";
    if (observers > 0) {
      *error = "server.N: Observers w/o quorum is an invalid configuration";
      return false;
    }
  } else if (participants <= 2) {
    LOG(WARNING) << "No server failure will be tolerated. You need at least 3 servers.";
  } else if (participants % 2 == 0) {
    LOG(WARNING) << "Non-optimal configuration, consider an odd number of servers.";
  }
  if (!ReadMyId(config, error)) return false;
  if (!config->IsDistributed()) return true;

  if (config->init_limit <= 0) {
    *error = "initLimit is not set (must be positive in an ensemble)";
    return false;
  }
  if (config->sync_limit <= 0) {
    *error = "syncLimit is not set (must be positive in an ensemble)";
    return false;
  }
  if (config->server_id == -1) {
    *error = "myid file is missing (" + config->data_dir + "/myid)";
    return false;
  }
  auto self = config->servers.find(config->server_id);
  if (self == config->servers.end()) {
    *error = "myid: server id " + std::to_string(config->server_id) + " has no server." +
             std::to_string(config->server_id) + " line";
    return false;
  }
  // The client address in this server's own line wins (setupClientPort).
  const QuorumServer& me = self->second;
  if (me.client_port != 0) {
    if (config->client_port != 0 &&
        (config->client_port != me.client_port ||
         (!config->client_port_address.empty() && !me.client_host.empty() &&
          config->client_port_address != me.client_host))) {
      *error =
          "clientPort: client address for this server (id = " + std::to_string(config->server_id) +
          ") differs from the one in its server." + std::to_string(config->server_id) + " line";
      return false;
    }
    config->client_port = me.client_port;
    config->client_port_address = me.client_host;
  }
  LearnerType listed = me.type;
  if (listed != config->peer_type) {
    LOG(WARNING) << "Peer type from servers list doesn't match peerType; using the servers list";
    config->peer_type = listed;
  }
  return true;
}

bool Validate(ServerConfig* config, const std::string& base_dir, std::string* error) {
  if (config->snap_retain_count < 3) {
    LOG(WARNING) << "Invalid autopurge.snapRetainCount: " << config->snap_retain_count
                 << ". Defaulting to 3";
    config->snap_retain_count = 3;
  }
  if (config->data_dir.empty()) {
    *error = "dataDir is not set";
    return false;
  }
  config->data_dir = ResolvePath(base_dir, config->data_dir);
  config->data_log_dir =
      config->data_log_dir.empty() ? config->data_dir : ResolvePath(base_dir, config->data_log_dir);
  if (config->client_port == 0 && !config->client_port_address.empty()) {
    *error = "clientPortAddress is set but clientPort is not set";
    return false;
  }
  if (config->secure_client_port != 0) {
    LOG(WARNING) << "secureClientPort is accepted but TLS is not served by this server";
  }
  if (config->tick_time <= 0) {
    *error = "tickTime: must be positive, got " + std::to_string(config->tick_time);
    return false;
  }
  if (config->min_session_timeout == kUnset) config->min_session_timeout = config->tick_time * 2;
  if (config->max_session_timeout == kUnset) config->max_session_timeout = config->tick_time * 20;
  if (config->min_session_timeout > config->max_session_timeout) {
    *error = "minSessionTimeout: minSessionTimeout (" +
             std::to_string(config->min_session_timeout) +
             ") must not be larger than maxSessionTimeout (" +
             std::to_string(config->max_session_timeout) + ")";
    return false;
  }
  if (!config->servers.empty() && !ValidateQuorum(config, error)) return false;
  if (config->client_port == 0) {
    *error = "clientPort is not set";
    return false;
  }
  return true;
}

}  // namespace

bool ServerConfig::IsDistributed() const {
  if (servers.empty()) return false;
  int participants = 0;
  for (const auto& [id, server] : servers) {
    if (server.type == LearnerType::kParticipant) ++participants;
  }
  return !standalone_enabled || participants > 1;
}

std::optional<std::string> ServerConfig::SystemProperty(std::string_view name) const {
  auto it = system_properties.find(std::string(name));
  if (it == system_properties.end()) return std::nullopt;
  return it->second;
}

bool ServerConfig::SaslProviderEnabled() const {
  for (const auto& [n, class_name] : auth_providers) {
    if (TrimJava(class_name) == "org.apache.zookeeper.server.auth.SASLAuthenticationProvider") {
      return true;
    }
  }
  return false;
}

std::string ServerConfig::MembershipString() const {
  std::string out;
  for (const auto& [id, server] : servers) {
    out += "server." + std::to_string(id) + "=" + server.ToString() + "\n";
  }
  return out + "version=0";
}

bool ParseServerConfig(const ConfigSources& sources, ServerConfig* config, std::string* error) {
  ServerConfig parsed;
  parsed.min_session_timeout = kUnset;
  parsed.max_session_timeout = kUnset;

  PropertyList flags = ParseJvmSystemProperties(sources.jvm_flags);
  WarnAboutFileOnlyFlags(flags);
  for (auto& [name, value] : flags) parsed.system_properties[name] = value;

  PropertyList entries;
  if (!ParseJavaProperties(sources.cfg_text, &entries, error)) {
    *error = "zoo.cfg: " + *error;
    return false;
  }
  // QuorumPeerConfig trims keys and values; the last occurrence of a key wins.
  for (const auto& [raw_key, raw_value] : entries) {
    parsed.file_properties[std::string(TrimJava(raw_key))] = std::string(TrimJava(raw_value));
  }
  for (const auto& [key, value] : parsed.file_properties) {
    if (!ApplyFileProperty(key, value, &parsed, error)) return false;
  }
  if (!ApplySystemSettings(&parsed, error)) return false;
  if (!Validate(&parsed, sources.base_dir, error)) return false;
  *config = std::move(parsed);
  return true;
}

bool LoadServerConfig(const std::string& path, ServerConfig* config, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot read config file " + path;
    return false;
  }
  std::ostringstream text;
  text << in.rdbuf();
  ConfigSources sources;
  sources.cfg_text = text.str();
  sources.jvm_flags = JvmFlagsFromEnvironment();
  LOG(INFO) << "Reading configuration from: " << path;
  return ParseServerConfig(sources, config, error);
}

std::string JvmFlagsFromEnvironment() {
  const char* server_flags = std::getenv("SERVER_JVMFLAGS");
  const char* flags = std::getenv("JVMFLAGS");
  std::string joined = server_flags ? server_flags : "";
  if (flags) joined += std::string(" ") + flags;
  return joined;
}

}  // namespace zk::config
