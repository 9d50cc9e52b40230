// The shell: zkCli.sh's ZooKeeperMain. It owns the session, keeps the
// history, runs one line at a time and remembers the exit status of the
// last command.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "client/lib/sync_client.h"
#include "client/zkcli/cli_error.h"
#include "client/zkcli/command.h"
#include "client/zkcli/console.h"
#include "client/zkcli/watch_printer.h"

namespace zk::cli {

struct ShellOptions {
  std::string server = "localhost:2181";
  int timeout_ms = 30000;
  bool read_only = false;
  bool wait_for_connection = false;
  // A command given on the command line; empty for the interactive shell.
  std::vector<std::string> command;
};

// Reads zkCli.sh's arguments: -server, -timeout, -r, -waitforconnection,
// -client-configuration (accepted, ignored), then an optional command.
// False, with *error set, when an option lacks its value.
bool ParseShellArgs(const std::vector<std::string>& argv, ShellOptions* options,
                    std::string* error);

class Shell {
 public:
  Shell(ShellOptions options, Console* console);
  ~Shell();

  Shell(const Shell&) = delete;
  Shell& operator=(const Shell&) = delete;

  // Opens the session to `host` (closing an open one first).
  void Connect(const std::string& host);
  // Runs one line typed by the user; empty lines are ignored.
  void ExecuteLine(const std::string& line);
  // Runs the command given on the command line.
  void ExecuteArgs(const std::vector<std::string>& words);

  // "[zk: host(CONNECTED) 3] ".
  std::string Prompt() const;
  // Exit status of the last command.
  int exit_code() const { return exit_code_; }
  bool quit_requested() const { return quit_requested_; }
  // Sorted command names, for completion.
  static std::vector<std::string> CommandNames();
  // Children of `path`; empty when it cannot be read.
  std::vector<std::string> Children(const std::string& path);
  // Ends the session without printing its Closed event (end of input).
  void CloseQuietly();

 private:
  void ProcessWords(std::vector<std::string> words);
  CliStatus ProcessCommand(const std::vector<std::string>& words);
  bool Alive() const;
  // Waits (bounded) until the watch events of earlier commands are printed.
  void DrainEvents();
  void PrintEvent(const client::WatchedEvent& event);

  ShellOptions options_;
  Console* console_;
  std::string host_;
  WatchPrinter watches_;
  std::unique_ptr<client::SyncClient> zk_;
  std::map<int, std::string> history_;
  int command_count_ = 0;
  // The words of the last command, which a blank line runs again (as in zkCli.sh).
  std::vector<std::string> last_words_;
  std::atomic<bool> print_watches_{true};
  int exit_code_ = kExitOk;
  bool quit_requested_ = false;
};

}  // namespace zk::cli
