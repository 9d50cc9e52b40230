#include <algorithm>
#include <limits>

#include "client/zkcli/command.h"

namespace zk::cli {
namespace {

const std::vector<CliCommand>& Commands() {
  static const std::vector<CliCommand> kCommands = {
      {"addWatch",
       "[-m mode] path # optional mode is one of [PERSISTENT, PERSISTENT_RECURSIVE] - default is "
       "PERSISTENT_RECURSIVE",
       {"", "m"},
       RunAddWatch},
      {"addauth", "scheme auth", {}, RunAddAuth},
      {"close", "", {}, RunClose},
      {"config", "[-c] [-w] [-s]", {"cws", ""}, nullptr},
      {"create", "[-s] [-e] [-c] [-t ttl] path [data] [acl]", {"esc", "t"}, RunCreate},
      {"delete", "[-v version] path", {"", "v"}, RunDelete},
      {"deleteall", "path [-b batch size]", {"", "b"}, RunDeleteAll},
      {"delquota", "[-n|-b|-N|-B] path", {"nbNB", ""}, nullptr},
      {"get", "[-s] [-w] path", {"sw", ""}, RunGet},
      {"getAcl", "[-s] path", {"s", ""}, RunGetAcl},
      {"getAllChildrenNumber", "path", {}, RunGetAllChildrenNumber},
      {"getEphemerals", "path", {}, RunGetEphemerals},
      {"listquota", "path", {}, nullptr},
      {"ls", "[-s] [-w] [-R] path", {"?swR", ""}, RunLs},
      {"reconfig",
       "[-s] [-v version] [[-file path] | [-members serverID=host:port1:port2;port3[,...]*]] | "
       "[-add serverId=host:port1:port2;port3[,...]]* [-remove serverId[,...]*]",
       {"s", "v"},
       nullptr},
      {"removewatches", "path [-c|-d|-a] [-l]", {"cdal", ""}, RunRemoveWatches},
      {"set", "[-s] [-v version] path data", {"s", "v"}, RunSet},
      {"setAcl", "[-s] [-v version] [-R] path acl", {"sR", "v"}, RunSetAcl},
      {"setquota", "-n|-b|-N|-B val path", {"", "nbNB"}, nullptr},
      {"stat", "[-w] path", {"w", ""}, RunStat},
      {"sync", "path", {}, RunSync},
      {"version", "", {}, RunVersion},
      {"whoami", "", {}, RunWhoAmI},
  };
  return kCommands;
}

}  // namespace

const CliCommand* FindCliCommand(std::string_view name) {
  for (const CliCommand& c : Commands()) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

std::vector<std::pair<std::string, std::string>> UsageTable() {
  std::vector<std::pair<std::string, std::string>> table = {{"connect", "host:port"},
                                                            {"history", ""},
                                                            {"redo", "cmdno"},
                                                            {"printwatches", "on|off"},
                                                            {"quit", ""}};
  for (const CliCommand& c : Commands()) {
    table.emplace_back(std::string(c.name), std::string(c.usage_args));
  }
  std::sort(table.begin(), table.end());
  return table;
}

std::string UsageText() {
  std::string text = "ZooKeeper -server host:port -client-configuration properties-file cmd args\n";
  for (const auto& [name, args] : UsageTable()) text += "\t" + name + " " + args + "\n";
  return text;
}

namespace internal {

CliStatus Parse(const CliCommand& self, const std::vector<std::string>& words,
                ParsedOptions* parsed) {
  std::string error;
  if (!ParseOptions(self.options, words, parsed, &error)) return CliError{error, kExitError};
  return std::nullopt;
}

bool ParseJavaLong(std::string_view text, int64_t* value) {
  if (text.empty()) return false;
  bool negative = text[0] == '-';
  if (text[0] == '-' || text[0] == '+') text.remove_prefix(1);
  if (text.empty()) return false;
  // Accumulate negatively so that the minimum value fits.
  int64_t result = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    int digit = c - '0';
    if (result < (std::numeric_limits<int64_t>::min() + digit) / 10) return false;
    result = result * 10 - digit;
  }
  if (!negative) {
    if (result == std::numeric_limits<int64_t>::min()) return false;
    result = -result;
  }
  *value = result;
  return true;
}

bool ParseJavaInt(std::string_view text, int32_t* value) {
  int64_t wide;
  if (!ParseJavaLong(text, &wide) || wide < std::numeric_limits<int32_t>::min() ||
      wide > std::numeric_limits<int32_t>::max()) {
    return false;
  }
  *value = static_cast<int32_t>(wide);
  return true;
}

bool VersionOption(const ParsedOptions& parsed, int32_t* version) {
  *version = -1;
  return !parsed.Has('v') || ParseJavaInt(parsed.Value('v'), version);
}

std::string ChildPath(const std::string& parent, const std::string& child) {
  return parent == "/" ? "/" + child : parent + "/" + child;
}

}  // namespace internal
}  // namespace zk::cli
