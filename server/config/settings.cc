#include "server/config/settings.h"

#include <glog/logging.h>

#include <cctype>
#include <set>

#include "server/config/java_properties.h"

namespace zk::config {
namespace {

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

}  // namespace

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// ---- zoo.cfg keys that Apache's QuorumPeerConfig parses itself ----

const std::map<std::string_view, SettingSetter>& FileSettings() {
  static const auto* const kSettings =
      new std::map<std::string_view, SettingSetter>{
          {"tickTime", [](const std::string& k, const std::string& v, ServerConfig* c,
                          std::string* e) { return SetInt(k, v, &c->tick_time, e); }},
          {"initLimit", [](const std::string& k, const std::string& v, ServerConfig* c,
                           std::string* e) { return SetInt(k, v, &c->init_limit, e); }},
          {"syncLimit", [](const std::string& k, const std::string& v, ServerConfig* c,
                           std::string* e) { return SetInt(k, v, &c->sync_limit, e); }},
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
          {"clientPort", [](const std::string& k, const std::string& v, ServerConfig* c,
                            std::string* e) { return SetPort(k, v, &c->client_port, e); }},
          {"clientPortAddress",
           [](const std::string&, const std::string& v, ServerConfig* c, std::string*) {
             c->client_port_address = v;
             return true;
           }},
          {"secureClientPort",
           [](const std::string& k, const std::string& v, ServerConfig* c, std::string* e) {
             return SetPort(k, v, &c->secure_client_port, e);
           }},
          {"maxClientCnxns", [](const std::string& k, const std::string& v, ServerConfig* c,
                                std::string* e) { return SetInt(k, v, &c->max_client_cnxns, e); }},
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
               c->peer_type =
                   lower == "observer" ? LearnerType::kObserver : LearnerType::kParticipant;
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
      {"forceSync", "zookeeper.forceSync",
       [](const std::string&, const std::string& v, ServerConfig* c, std::string*) {
         c->force_sync = v != "no";  // as ZooKeeper: anything but "no" keeps syncing
         return true;
       }},
      {"enforceQuota", "zookeeper.enforceQuota",
       [](const std::string& k, const std::string& v, ServerConfig* c, std::string*) {
         c->enforce_quota = LenientBool(k, v);
         return true;
       }},
      {"java.security.auth.login.config", "java.security.auth.login.config",
       [](const std::string&, const std::string& v, ServerConfig* c, std::string*) {
         c->jaas_config_path = v;
         return true;
       }},
      {"sasl.serverconfig", "zookeeper.sasl.serverconfig",
       [](const std::string&, const std::string& v, ServerConfig* c, std::string*) {
         c->sasl_login_context = v;
         return true;
       }},
      {"superUser", "zookeeper.superUser",
       [](const std::string&, const std::string& v, ServerConfig* c, std::string*) {
         c->sasl_super_user = v;
         return true;
       }},
      {"allowSaslFailedClients", "zookeeper.allowSaslFailedClients",
       [](const std::string& k, const std::string& v, ServerConfig* c, std::string*) {
         c->allow_sasl_failed_clients = LenientBool(k, v);
         return true;
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

}  // namespace zk::config
