// The settings ServerConfig understands, and where Apache reads each one
// from. Internal to server/config; server_config.h explains the rules.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "server/config/server_config.h"

namespace zk::config {

// Applies one value to a ServerConfig; on failure sets *error naming `key`.
using SettingSetter = bool (*)(const std::string& key, const std::string& value, ServerConfig* c,
                               std::string* error);

// zoo.cfg keys that Apache's QuorumPeerConfig parses itself (never system
// properties), keyed by name. server.N lines are handled separately.
const std::map<std::string_view, SettingSetter>& FileSettings();

// Keys QuorumPeerConfig also parses itself but that have no effect here.
bool IsUnsupportedApacheFileKey(std::string_view key);

// A setting Apache reads from a Java system property.
struct SystemSetting {
  std::string_view file_key;  // the zoo.cfg spelling, e.g. "snapCount"
  std::string_view property;  // the -D spelling, e.g. "zookeeper.snapCount"
  SettingSetter set;
};
const std::vector<SystemSetting>& SystemSettings();

// True for zoo.cfg keys that name a SystemSetting or authProvider.N.
bool IsSystemSettingFileKey(std::string_view key);

bool StartsWith(std::string_view text, std::string_view prefix);

}  // namespace zk::config
