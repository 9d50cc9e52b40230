#include "server/config/server_config.h"

#include <glog/logging.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "server/config/java_properties.h"

namespace zk::config {
namespace {

constexpr std::string_view kZookeeperPrefix = "zookeeper.";
constexpr std::string_view kServerPrefix = "server.";
constexpr std::string_view kAuthProviderPrefix = "zookeeper.authProvider.";

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::string ToLower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

bool SetInt(const std::string& key, const std::string& value, int32_t* out, std::string* error) {
  if (ParseJavaInt(value, out)) return true;
  *error = key + ": '" + value + "' is not a valid integer";
  return false;
}

bool SetPort(const std::string& key, const std::string& value, int32_t* out, std::string* error) {
  if (ParsePort(value, out)) return true;
  *error = key + ": '" + value + "' is not a valid port (1-65535)";
  return false;
}

// QuorumPeerConfig.parseBoolean: only true/false, any case.
bool SetStrictBool(const std::string& key, const std::string& value, bool* out,
                   std::string* error) {
  std::string lower = ToLower(value);
  if (lower == "true" || lower == "false") {
    *out = lower == "true";
    return true;
  }
  *error = key + ": invalid option '" + value + "'; choose 'true' or 'false'";
  return false;
}

// Boolean.parseBoolean, used for settings read from system properties:
// anything but "true" (any case) is false.
bool LenientBool(const std::string& key, const std::string& value) {
  std::string lower = ToLower(value);
  if (lower != "true" && lower != "false") {
    LOG(WARNING) << key << ": '" << value << "' is neither true nor false; taken as false";
  }
  return lower == "true";
}

// ---- zoo.cfg keys that Apache's QuorumPeerConfig parses itself ----

// Sentinel for "not set" while parsing, as QuorumPeerConfig uses -1.
constexpr int32_t kUnset = -1;

using FileSetter = bool (*)(const std::string& key, const std::string& value, ServerConfig* c,
                            std::string* error);

const std::map<std::string_view, FileSetter>& FileSettings() {
  static const auto* const kSettings = new std::map<std::string_view, FileSetter>{
      {"tickTime",
       [](const std::string& k, const std::string& v, ServerConfig* c, std::string* e) {
         return SetInt(k, v, &c->tick_time, e);
       }},
      {"initLimit",
       [](const std::string& k, const std::string& v, ServerConfig* c, std::string* e) {
         return SetInt(k, v, &c->init_limit, e);
       }},
      {"syncLimit",
       [](const std::string& k, const std::string& v, ServerConfig* c, std::string* e) {
         return SetInt(k, v, &c->sync_limit, e);
       }},
      {"dataDir",
       [](const std::string&, const std::string& v, ServerConfig* c, std::string*) {
         c->data_dir = v;
         return true;
       }},
      {"dataLogDir",
       [](const std::string&, const std::string& v, ServerConfig* c, std::string*) {
         c->data_log_dir = v;
         return true;
       }},
      {"clientPort",
       [](const std::string& k, const std::string& v, ServerConfig* c, std::string* e) {
         return SetPort(k, v, &c->client_port, e);
       }},
      {"clientPortAddress",
       [](const std::string&, const std::string& v, ServerConfig* c, std::string*) {
         c->client_port_address = v;
         return true;
       }},
      {"secureClientPort",
       [](const std::string& k, const std::string& v, ServerConfig* c, std::string* e) {
         return SetPort(k, v, &c->secure_client_port, e);
       }},
      {"maxClientCnxns",
       [](const std::string& k, const std::string& v, ServerConfig* c, std::string* e) {
         return SetInt(k, v, &c->max_client_cnxns, e);
       }},
      {"minSessionTimeout",
       [](const std::string& k, const std::string& v, ServerConfig* c, std::string* e) {
         return SetInt(k, v, &c->min_session_timeout, e);
       }},
      {"maxSessionTimeout",
       [](const std::string& k, const std::string& v, ServerConfig* c, std::string* e) {
         return SetInt(k, v, &c->max_session_timeout, e);
       }},
      {"autopurge.snapRetainCount",
       [](const std::string& k, const std::string& v, ServerConfig* c, std::string* e) {
         return SetInt(k, v, &c->snap_retain_count, e);
       }},
      {"autopurge.purgeInterval",
       [](const std::string& k, const std::string& v, ServerConfig* c, std::string* e) {
         return SetInt(k, v, &c->purge_interval_hours, e);
       }},
      {"standaloneEnabled",
       [](const std::string& k, const std::string& v, ServerConfig* c, std::string* e) {
         return SetStrictBool(k, v, &c->standalone_enabled, e);
       }},
      {"reconfigEnabled",
       [](const std::string& k, const std::string& v, ServerConfig* c, std::string* e) {
         return SetStrictBool(k, v, &c->reconfig_enabled, e);
       }},
      {"peerType",
       [](const std::string& k, const std::string& v, ServerConfig* c, std::string* e) {
         std::string lower = ToLower(v);
         if (lower == "observer" || lower == "participant") {
           c->peer_type = lower == "observer" ? LearnerType::kObserver : LearnerType::kParticipant;
           return true;
         }
         *e = k + ": Unrecognised peertype: " + v;
         return false;
       }},
      {"electionAlg",
       [](const std::string& k, const std::string& v, ServerConfig*, std::string* e) {
         if (TrimJava(v) == "3") return true;
         *e = k + ": Invalid electionAlg value. Only 3 is supported.";
         return false;
       }},
  };
  return *kSettings;
}

// Keys Apache's QuorumPeerConfig also parses itself (so they never become
// system properties) but that have no effect here.
bool IsUnsupportedApacheFileKey(std::string_view key) {
  static const auto* const kKeys = new std::set<std::string_view>{
      "quorumListenOnAllIPs",
      "syncEnabled",
      "localSessionsEnabled",
      "localSessionsUpgradingEnabled",
      "clientPortListenBacklog",
      "connectToLearnerMasterLimit",
      "observerMasterPort",
      "secureClientPortAddress",
      "dynamicConfigFile",
      "sslQuorum",
      "portUnification",
      "sslQuorumReloadCertFiles",
      "quorum.auth.enableSasl",
      "quorum.auth.serverRequireSasl",
      "quorum.auth.learnerRequireSasl",
      "quorum.auth.learner.saslLoginContext",
      "quorum.auth.server.saslLoginContext",
      "quorum.auth.kerberos.servicePrincipal",
      "quorum.cnxn.threads.size",
      "jvm.pause.info-threshold.ms",
      "jvm.pause.warn-threshold.ms",
      "jvm.pause.sleep.time.ms",
      "jvm.pause.monitor",
      "multiAddress.enabled",
      "multiAddress.reachabilityCheckTimeoutMs",
      "multiAddress.reachabilityCheckEnabled",
      "oraclePath",
  };
  return kKeys->count(key) > 0 || StartsWith(key, "metricsProvider.") ||
         StartsWith(key, "group.") || StartsWith(key, "weight.");
}

// ---- settings Apache reads from Java system properties ----

using SystemSetter = bool (*)(const std::string& name, const std::string& value, ServerConfig* c,
                              std::string* error);

struct SystemSetting {
  std::string_view file_key;  // the zoo.cfg spelling
  std::string_view property;  // the -D spelling
  SystemSetter set;
};

const std::vector<SystemSetting>& SystemSettings() {
  static const auto* const kSettings = new std::vector<SystemSetting>{
      {"4lw.commands.whitelist", "zookeeper.4lw.commands.whitelist",
       [](const std::string&, const std::string& v, ServerConfig* c, std::string*) {
         c->four_letter_word_whitelist = v;
         return true;
       }},
      {"snapCount", "zookeeper.snapCount",
       [](const std::string& k, const std::string& v, ServerConfig* c, std::string* e) {
         if (!SetInt(k, v, &c->snap_count, e)) return false;
         if (c->snap_count >= 2) return true;
         *e = k + ": must be at least 2";
         return false;
       }},
      {"globalOutstandingLimit", "zookeeper.globalOutstandingLimit",
       [](const std::string& k, const std::string& v, ServerConfig* c, std::string* e) {
         if (!SetInt(k, v, &c->global_outstanding_limit, e)) return false;
         if (c->global_outstanding_limit > 0) return true;
         *e = k + ": must be positive";
         return false;
       }},
      {"admin.enableServer", "zookeeper.admin.enableServer",
       [](const std::string& k, const std::string& v, ServerConfig* c, std::string*) {
         c->admin_enable_server = LenientBool(k, v);
         return true;
       }},
      {"admin.serverPort", "zookeeper.admin.serverPort",
       [](const std::string& k, const std::string& v, ServerConfig* c, std::string* e) {
         return SetPort(k, v, &c->admin_server_port, e);
       }},
      {"admin.serverAddress", "zookeeper.admin.serverAddress",
       [](const std::string&, const std::string& v, ServerConfig* c, std::string*) {
         c->admin_server_address = v;
         return true;
       }},
      {"extendedTypesEnabled", "zookeeper.extendedTypesEnabled",
       [](const std::string& k, const std::string& v, ServerConfig* c, std::string*) {
         c->extended_types_enabled = LenientBool(k, v);
         return true;
       }},
      {"DigestAuthenticationProvider.superDigest",
       "zookeeper.DigestAuthenticationProvider.superDigest",
       [](const std::string&, const std::string& v, ServerConfig* c, std::string*) {
         c->super_digest = v;
         return true;
       }},
      {"jute.maxbuffer", "jute.maxbuffer",
       [](const std::string& k, const std::string& v, ServerConfig* c, std::string* e) {
         // Integer.getInteger syntax: decimal, 0x hex or leading-0 octal.
         if (DecodeJavaInt(v, &c->jute_max_buffer) && c->jute_max_buffer > 0) return true;
         *e = k + ": '" + v + "' is not a positive integer";
         return false;
       }},
      {"readonlymode.enabled", "readonlymode.enabled",
       [](const std::string& k, const std::string& v, ServerConfig* c, std::string*) {
         c->read_only_mode_enabled = LenientBool(k, v);
         return true;
       }},
  };
  return *kSettings;
}

bool IsSystemSettingFileKey(std::string_view key) {
  for (const SystemSetting& s : SystemSettings()) {
    if (s.file_key == key) return true;
  }
  return StartsWith(key, "authProvider.");
}

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
    *error = "myid: server id " + std::to_string(config->server_id) +
             " has no server." + std::to_string(config->server_id) + " line";
    return false;
  }
  // The client address in this server's own line wins (setupClientPort).
  const QuorumServer& me = self->second;
  if (me.client_port != 0) {
    if (config->client_port != 0 &&
        (config->client_port != me.client_port ||
         (!config->client_port_address.empty() && !me.client_host.empty() &&
          config->client_port_address != me.client_host))) {
      *error = "clientPort: client address for this server (id = " +
               std::to_string(config->server_id) +
               ") differs from the one in its server." + std::to_string(config->server_id) +
               " line";
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
  config->data_log_dir = config->data_log_dir.empty()
                             ? config->data_dir
                             : ResolvePath(base_dir, config->data_log_dir);
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
