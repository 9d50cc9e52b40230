#include "client/zkcli/shell.h"

#include <chrono>
#include <future>
#include <memory>

#include "client/zkcli/printers.h"
#include "client/zkcli/tokenizer.h"

namespace zk::cli {

bool ParseShellArgs(const std::vector<std::string>& argv, ShellOptions* options,
                    std::string* error) {
  for (size_t i = 0; i < argv.size(); i++) {
    const std::string& opt = argv[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= argv.size()) {
        *error = "Error: no argument found for option " + opt;
        return false;
      }
      *out = argv[++i];
      return true;
    };
    std::string v;
    if (opt == "-server") {
      if (!value(&options->server)) return false;
    } else if (opt == "-timeout") {
      if (!value(&v)) return false;
      int32_t ms;
      if (internal::ParseJavaInt(v, &ms)) options->timeout_ms = ms;
    } else if (opt == "-client-configuration") {
      if (!value(&v)) return false;
    } else if (opt == "-r") {
      options->read_only = true;
    } else if (opt == "-waitforconnection") {
      options->wait_for_connection = true;
    } else if (opt.empty() || opt[0] != '-') {
      options->command.assign(argv.begin() + i, argv.end());
      return true;
    }
  }
  return true;
}

Shell::Shell(ShellOptions options, Console* console)
    : options_(std::move(options)),
      console_(console),
      watches_([this](const client::WatchedEvent& e) { PrintEvent(e); }) {}

Shell::~Shell() { CloseQuietly(); }

void Shell::PrintEvent(const client::WatchedEvent& event) {
  if (!print_watches_) return;
  console_->Out("\nWATCHER::\n\n" + FormatWatchedEvent(event) + "\n");
}

void Shell::Connect(const std::string& host) {
  if (zk_ && Alive()) zk_->Close();
  zk_.reset();
  watches_.Clear();
  host_ = host;
  client::ClientOptions opts;
  opts.connect_string = host;
  opts.session_timeout_ms = options_.timeout_ms;
  opts.can_be_read_only = options_.read_only;
  opts.default_watcher = [this](const client::WatchedEvent& e) { PrintEvent(e); };
  zk_ = std::make_unique<client::SyncClient>(opts);
  if (options_.wait_for_connection) {
    zk_->WaitConnected(std::chrono::milliseconds(options_.timeout_ms));
  }
}

void Shell::DrainEvents() {
  if (!Alive()) return;
  // A reply's callback runs on the event thread after every event the
  // server sent before it, so once it ran those events have been printed.
  auto done = std::make_shared<std::promise<void>>();
  std::future<void> drained = done->get_future();
  zk_->Async().Sync("/", [done](Err, const std::string&) { done->set_value(); });
  drained.wait_for(std::chrono::seconds(5));
}

void Shell::CloseQuietly() {
  if (!zk_) return;
  DrainEvents();
  print_watches_ = false;
  if (Alive()) zk_->Close();
  zk_.reset();
}

bool Shell::Alive() const {
  if (!zk_ || !zk_->Async().Valid()) return false;
  KeeperState s = zk_->Async().State();
  return s != KeeperState::kClosed && s != KeeperState::kAuthFailed && s != KeeperState::kExpired;
}

std::string Shell::Prompt() const {
  // ZooKeeper.States names, as the Java shell's prompt shows them.
  std::string state = "CLOSED";
  if (zk_ && zk_->Async().Valid()) {
    switch (zk_->Async().State()) {
      case KeeperState::kSyncConnected: state = "CONNECTED"; break;
      case KeeperState::kConnectedReadOnly: state = "CONNECTEDREADONLY"; break;
      case KeeperState::kDisconnected: state = "CONNECTING"; break;
      case KeeperState::kAuthFailed: state = "AUTH_FAILED"; break;
      default: state = "CLOSED";
    }
  }
  return "[zk: " + host_ + "(" + state + ") " + std::to_string(command_count_) + "] ";
}

std::vector<std::string> Shell::CommandNames() {
  std::vector<std::string> names;
  for (const auto& entry : UsageTable()) names.push_back(entry.first);
  return names;
}

std::vector<std::string> Shell::Children(const std::string& path) {
  std::vector<std::string> children;
  if (!Alive() || ClientPathError(path)) return children;
  if (zk_->GetChildren(path, &children) != Err::kOk) children.clear();
  return children;
}

void Shell::ExecuteLine(const std::string& line) {
  if (line.empty()) return;
  std::vector<std::string> words = SplitCommandLine(line);
  // A line of blanks runs the previous command again, as in zkCli.sh.
  if (words.empty()) words = last_words_;
  history_[command_count_] = line;
  ProcessWords(words);
  command_count_++;
}

void Shell::ExecuteArgs(const std::vector<std::string>& words) { ProcessWords(words); }

void Shell::ProcessWords(std::vector<std::string> words) {
  last_words_ = words;
  if (!words.empty() && words[0] == "quit") {
    // zkCli.sh exits at once, with the status of the command before.
    if (zk_ && Alive()) zk_->Close();
    zk_.reset();
    quit_requested_ = true;
    return;
  }
  CliStatus status = ProcessCommand(words);
  if (status) {
    exit_code_ = status->exit_code;
    console_->ErrLine(status->message);
  } else {
    exit_code_ = kExitOk;
  }
}

CliStatus Shell::ProcessCommand(const std::vector<std::string>& words) {
  if (words.empty()) {
    console_->Err(UsageText());
    return CliError{"No command entered", kExitError};
  }
  const std::string& cmd = words[0];
  const CliCommand* cli_command = FindCliCommand(cmd);
  bool builtin = cmd == "connect" || cmd == "history" || cmd == "redo" || cmd == "printwatches" ||
                 cmd == "quit";
  if (!cli_command && !builtin) {
    console_->Err(UsageText());
    return CliError{"Command not found: Command not found " + cmd, kExitCommandNotFound};
  }
  if (cmd == "redo" && words.size() >= 2) {
    int32_t index;
    if (!internal::ParseJavaInt(words[1], &index)) return CliError{"redo cmdno"};
    if (command_count_ <= index || index < 0) return CliError{"Command index out of range"};
    std::vector<std::string> again = SplitCommandLine(history_[index]);
    if (!again.empty() && again[0] == "redo") return CliError{"No redoing redos"};
    history_[command_count_] = history_[index];
    ProcessWords(again);
  } else if (cmd == "history") {
    std::string text;
    for (int i = command_count_ - 10; i <= command_count_; ++i) {
      if (i < 0) continue;
      auto it = history_.find(i);
      text += std::to_string(i) + " - " + (it == history_.end() ? "null" : it->second) + "\n";
    }
    console_->Out(text);
  } else if (cmd == "printwatches") {
    if (words.size() == 1) {
      console_->OutLine(std::string("printwatches is ") + (print_watches_ ? "on" : "off"));
    } else {
      DrainEvents();
      print_watches_ = words[1] == "on";
    }
  } else if (cmd == "connect") {
    Connect(words.size() >= 2 ? words[1] : host_);
  }
  // Everything below needs a live session, even after the built-ins above.
  if (!Alive()) {
    console_->OutLine("Not connected");
    return std::nullopt;
  }
  if (!cli_command) return std::nullopt;
  if (!cli_command->run) {
    return CliError{"Command not supported by this shell: " + cmd, kExitError};
  }
  CommandEnv env;
  env.zk = zk_.get();
  env.console = console_;
  env.watches = &watches_;
  return cli_command->run(*cli_command, words, env);
}

}  // namespace zk::cli
