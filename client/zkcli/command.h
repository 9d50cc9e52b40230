// The shell's ZooKeeper commands (zkCli.sh's CliCommand classes): each parses
// its words with its own options and runs against the session.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "client/lib/sync_client.h"
#include "client/zkcli/cli_error.h"
#include "client/zkcli/console.h"
#include "client/zkcli/option_parser.h"
#include "client/zkcli/watch_printer.h"

namespace zk::cli {

// What a command works with.
struct CommandEnv {
  client::SyncClient* zk = nullptr;
  Console* console = nullptr;
  // Hands out the watchers that print events as zkCli.sh does.
  WatchPrinter* watches = nullptr;
};

struct CliCommand;
using CommandFn = CliStatus (*)(const CliCommand& self, std::vector<std::string> words,
                                CommandEnv& env);

struct CliCommand {
  std::string_view name;
  // The text after the name in the usage line, e.g. "[-s] [-w] path".
  std::string_view usage_args;
  OptionSpec options;
  // Null for commands listed in the usage text but not supported here.
  CommandFn run = nullptr;

  std::string Usage() const { return std::string(name) + " " + std::string(usage_args); }
  CliError UsageError() const { return CliError{Usage(), kExitError}; }
};

// The command of that name, or null.
const CliCommand* FindCliCommand(std::string_view name);

// Every command name with its usage arguments, the shell's own (connect,
// history, redo, printwatches, quit) included, sorted by name as zkCli.sh
// lists them.
std::vector<std::pair<std::string, std::string>> UsageTable();

// The full usage text zkCli.sh prints for an unknown command.
std::string UsageText();

// The commands, defined in commands_*.cc.
CliStatus RunLs(const CliCommand& self, std::vector<std::string> words, CommandEnv& env);
CliStatus RunGet(const CliCommand& self, std::vector<std::string> words, CommandEnv& env);
CliStatus RunStat(const CliCommand& self, std::vector<std::string> words, CommandEnv& env);
CliStatus RunGetAcl(const CliCommand& self, std::vector<std::string> words, CommandEnv& env);
CliStatus RunGetAllChildrenNumber(const CliCommand& self, std::vector<std::string> words,
                                  CommandEnv& env);
CliStatus RunGetEphemerals(const CliCommand& self, std::vector<std::string> words, CommandEnv& env);
CliStatus RunCreate(const CliCommand& self, std::vector<std::string> words, CommandEnv& env);
CliStatus RunSet(const CliCommand& self, std::vector<std::string> words, CommandEnv& env);
CliStatus RunDelete(const CliCommand& self, std::vector<std::string> words, CommandEnv& env);
CliStatus RunDeleteAll(const CliCommand& self, std::vector<std::string> words, CommandEnv& env);
CliStatus RunSetAcl(const CliCommand& self, std::vector<std::string> words, CommandEnv& env);
CliStatus RunAddAuth(const CliCommand& self, std::vector<std::string> words, CommandEnv& env);
CliStatus RunSync(const CliCommand& self, std::vector<std::string> words, CommandEnv& env);
CliStatus RunWhoAmI(const CliCommand& self, std::vector<std::string> words, CommandEnv& env);
CliStatus RunClose(const CliCommand& self, std::vector<std::string> words, CommandEnv& env);
CliStatus RunAddWatch(const CliCommand& self, std::vector<std::string> words, CommandEnv& env);
CliStatus RunRemoveWatches(const CliCommand& self, std::vector<std::string> words, CommandEnv& env);
CliStatus RunVersion(const CliCommand& self, std::vector<std::string> words, CommandEnv& env);

// Helpers shared by the command files.
namespace internal {

// Parses `words` with the command's options; the error is the parser's message.
CliStatus Parse(const CliCommand& self, const std::vector<std::string>& words,
                ParsedOptions* parsed);

// Integer.parseInt: optional sign, decimal digits, within int32.
bool ParseJavaInt(std::string_view text, int32_t* value);
// Long.parseLong.
bool ParseJavaLong(std::string_view text, int64_t* value);

// The -v option: -1 when absent. False when its value is not an int.
bool VersionOption(const ParsedOptions& parsed, int32_t* version);

// parent + "/" + child, without doubling the root's slash.
std::string ChildPath(const std::string& parent, const std::string& child);

}  // namespace internal
}  // namespace zk::cli
