// zkcli: a ZooKeeper shell with zkCli.sh's commands, options and output.
//
//   zkcli [-server host:port] [-timeout ms] [-r] [cmd args...]
//
// With a command it runs that command and exits with its status; otherwise
// it reads commands from standard input (with line editing when that is a
// terminal) and exits with the status of the last one.
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "client/zkcli/console.h"
#include "client/zkcli/line_reader.h"
#include "client/zkcli/shell.h"

namespace {

int RunInteractive(zk::cli::Shell& shell, zk::cli::Console& console) {
  bool tty = isatty(STDIN_FILENO);
  console.OutLine("Welcome to ZooKeeper!");
  // The Java shell names its line editor here; scripts see "disabled" there
  // when input is not a terminal, and so they do here.
  console.OutLine(tty ? "JLine support is enabled" : "JLine support is disabled");
  if (tty) {
    zk::cli::LineReader reader({[] { return zk::cli::Shell::CommandNames(); },
                                [&shell](const std::string& p) { return shell.Children(p); }});
    while (!shell.quit_requested()) {
      std::optional<std::string> line = reader.ReadLine(shell.Prompt());
      if (!line) break;
      shell.ExecuteLine(*line);
    }
  } else {
    std::string line;
    while (!shell.quit_requested() && std::getline(std::cin, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      shell.ExecuteLine(line);
    }
  }
  return shell.exit_code();
}

}  // namespace

int main(int argc, char** argv) {
  zk::cli::Console console;
  zk::cli::ShellOptions options;
  std::string error;
  if (!zk::cli::ParseShellArgs(std::vector<std::string>(argv + 1, argv + argc), &options, &error)) {
    console.ErrLine(error);
  }
  console.OutLine("Connecting to " + options.server);
  zk::cli::Shell shell(options, &console);
  shell.Connect(options.server);
  int code;
  if (options.command.empty()) {
    code = RunInteractive(shell, console);
  } else {
    shell.ExecuteArgs(options.command);
    code = shell.exit_code();
  }
  shell.CloseQuietly();
  return code;
}
