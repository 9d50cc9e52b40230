// The server's configuration, read the way Apache ZooKeeper 3.8 reads it:
// a zoo.cfg properties file plus Java system properties given as `-Dk=v`
// words in SERVER_JVMFLAGS / JVMFLAGS (as zkServer.sh passes them to java).
//
// Where a setting comes from (matching Apache):
//  * zoo.cfg-only settings (tickTime, dataDir, clientPort, server.N, ...)
//    are read from the file alone. Apache ignores -Dzookeeper.tickTime and
//    the like, and so do we (with a warning).
//  * Settings Apache reads from system properties named "zookeeper.X"
//    (4lw.commands.whitelist, snapCount, globalOutstandingLimit, admin.*,
//    extendedTypesEnabled, DigestAuthenticationProvider.superDigest,
//    authProvider.N, enforceQuota, superUser, ...) come from -Dzookeeper.X or from zoo.cfg key X.
//    When both are given, zoo.cfg wins: Apache's QuorumPeerConfig copies every
//    file key it does not itself recognise into System.setProperty(
//    "zookeeper." + key, value) after the JVM has started, overwriting the -D
//    value, and those settings are read only after the config is parsed.
//  * jute.maxbuffer and readonlymode.enabled are plain system properties
//    without the prefix (-Djute.maxbuffer=...). Apache honours only the -D
//    form; we also accept them as zoo.cfg keys, and the file wins there too.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "server/config/quorum_server.h"

namespace zk::config {

struct ServerConfig {
  // ---- zoo.cfg settings ----
  int32_t tick_time = 2000;
  int32_t init_limit = 0;
  int32_t sync_limit = 0;
  std::string data_dir;      // absolute path
  std::string data_log_dir;  // absolute path; data_dir when not set
  // The port and address clients connect to. When this server's server.N
  // line has a client part, that wins (as Apache's setupClientPort does).
  int32_t client_port = 0;
  std::string client_port_address;   // empty: all interfaces
  int32_t secure_client_port = 0;    // accepted for compatibility; TLS is not served
  int32_t max_client_cnxns = 60;     // per client IP; 0 means no limit
  int32_t min_session_timeout = 0;   // 2 * tickTime when not set
  int32_t max_session_timeout = 0;   // 20 * tickTime when not set
  int32_t snap_retain_count = 3;     // raised to 3 when set lower, as Apache does
  int32_t purge_interval_hours = 0;  // 0: autopurge off
  bool standalone_enabled = true;
  bool reconfig_enabled = false;
  LearnerType peer_type = LearnerType::kParticipant;
  std::map<int64_t, QuorumServer> servers;  // server.N lines, keyed by N
  int64_t server_id = -1;                   // dataDir/myid; -1 when not read

  // ---- settings Apache reads from Java system properties ----
  // 4lw.commands.whitelist exactly as given; unset means Apache's default
  // (only "srvr").
  std::optional<std::string> four_letter_word_whitelist;
  int32_t snap_count = 100000;
  int32_t global_outstanding_limit = 1000;
  bool admin_enable_server = true;
  int32_t admin_server_port = 8080;
  std::string admin_server_address = "0.0.0.0";
  int32_t jute_max_buffer = 0xfffff;
  bool read_only_mode_enabled = false;
  bool extended_types_enabled = false;
  std::string super_digest;                           // "super:<base64 sha1>", empty when not set
  std::map<std::string, std::string> auth_providers;  // authProvider.N: N -> class name
  bool enforce_quota = false;                         // enforceQuota: hard quota limits
  bool force_sync = true;  // forceSync: fsync the log before answering; only "no" turns it off
  // SASL: the JAAS login file (the plain property java.security.auth.login.config,
  // also accepted as a zoo.cfg key), its server section (sasl.serverconfig),
  // the SASL user that is also super (superUser), and allowSaslFailedClients.
  std::optional<std::string> jaas_config_path;
  std::optional<std::string> sasl_login_context;
  std::string sasl_super_user;
  bool allow_sasl_failed_clients = false;

  // Whether an authProvider.N names SASLAuthenticationProvider.
  bool SaslProviderEnabled() const;

  // ---- raw views, for settings that later features read ----
  // zoo.cfg keys and values (trimmed), the last occurrence of a key winning.
  std::map<std::string, std::string> file_properties;
  // The Java system properties Apache would see once the config is parsed:
  // the -D flags, then every zoo.cfg key Apache does not parse itself stored
  // as "zookeeper.<key>".
  std::map<std::string, std::string> system_properties;

  // True when this server runs as an ensemble member: server.N lines exist and
  // either standaloneEnabled=false or there are at least two participants.
  bool IsDistributed() const;

  // A Java system property (e.g. "java.security.auth.login.config").
  std::optional<std::string> SystemProperty(std::string_view name) const;

  // The `conf` command's membership block: "server.N=<QuorumServer>\n" per
  // server in id order, then "version=0" (no trailing newline).
  std::string MembershipString() const;
};

// Everything ParseServerConfig reads, so tests need no files or environment.
struct ConfigSources {
  std::string cfg_text;   // zoo.cfg contents
  std::string jvm_flags;  // e.g. JvmFlagsFromEnvironment()
  // Relative dataDir/dataLogDir resolve against this directory; empty means
  // the current working directory (as Java's File does).
  std::string base_dir;
};

// Parses and validates a configuration. myid is read from dataDir when
// server.N lines exist. Unknown keys are logged and ignored. On error returns
// false and sets *error to a message that names the offending key.
bool ParseServerConfig(const ConfigSources& sources, ServerConfig* config, std::string* error);

// Reads the file at `path`, takes JVM flags from the environment, and parses.
bool LoadServerConfig(const std::string& path, ServerConfig* config, std::string* error);

// SERVER_JVMFLAGS followed by JVMFLAGS, as zkServer.sh joins them (a later
// -D for the same key wins).
std::string JvmFlagsFromEnvironment();

}  // namespace zk::config
