// Commands about the session and its watches: addauth, whoami, sync, close,
// addWatch, removewatches, version.
#include <algorithm>
#include <cctype>

#include "client/zkcli/command.h"
#include "client/zkcli/printers.h"

namespace zk::cli {

using internal::Parse;

CliStatus RunAddAuth(const CliCommand& self, std::vector<std::string> words, CommandEnv& env) {
  ParsedOptions p;
  if (CliStatus s = Parse(self, words, &p)) return s;
  if (p.args.size() < 2) return self.UsageError();
  // zkCli.sh does not report the outcome: a rejected identity shows up as
  // an AuthFailed session event.
  // Without an auth word zkCli.sh sends a null auth buffer.
  env.zk->AddAuth(p.args[1], p.args.size() > 2 ? &p.args[2] : nullptr);
  return std::nullopt;
}

CliStatus RunWhoAmI(const CliCommand& self, std::vector<std::string> words, CommandEnv& env) {
  std::vector<client::ClientInfo> identities;
  Err err = env.zk->WhoAmI(&identities);
  if (err != Err::kOk) return KeeperError(err, "");
  std::string text = "Auth scheme: User\n";
  for (const client::ClientInfo& info : identities) {
    text += info.authScheme + ": " + info.user + "\n";
  }
  env.console->Out(text);
  return std::nullopt;
}

CliStatus RunSync(const CliCommand& self, std::vector<std::string> words, CommandEnv& env) {
  ParsedOptions p;
  if (CliStatus s = Parse(self, words, &p)) return s;
  if (p.args.size() < 2) return self.UsageError();
  const std::string& path = p.args[1];
  if (auto bad = ClientPathError(path)) return CliError{*bad};
  Err err = env.zk->Sync(path);
  if (err == Err::kOk) {
    env.console->OutLine("Sync is OK");
  } else {
    env.console->OutLine("Sync has failed. rc=" + std::to_string(static_cast<int32_t>(err)));
  }
  return std::nullopt;
}

CliStatus RunClose(const CliCommand& self, std::vector<std::string> words, CommandEnv& env) {
  env.zk->Close();
  return std::nullopt;
}

CliStatus RunAddWatch(const CliCommand& self, std::vector<std::string> words, CommandEnv& env) {
  ParsedOptions p;
  if (CliStatus s = Parse(self, words, &p)) return s;
  if (p.args.size() != 2) return self.UsageError();
  client::AddWatchMode mode = client::AddWatchMode::kPersistentRecursive;
  if (p.Has('m')) {
    std::string name = p.Value('m');
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return std::toupper(c); });
    if (name == "PERSISTENT") {
      mode = client::AddWatchMode::kPersistent;
    } else if (name != "PERSISTENT_RECURSIVE") {
      return self.UsageError();
    }
  }
  const std::string& path = p.args[1];
  if (auto bad = ClientPathError(path)) return CliError{*bad};
  WatchPrinter::Kind kind = mode == client::AddWatchMode::kPersistent
                                ? WatchPrinter::Kind::kPersistent
                                : WatchPrinter::Kind::kPersistentRecursive;
  Err err = env.zk->AddWatch(path, mode, env.watches->Watch(kind, path));
  if (err != Err::kOk) {
    env.watches->NotSet(kind, path);
    return KeeperError(err, path);
  }
  return std::nullopt;
}

CliStatus RunRemoveWatches(const CliCommand& self, std::vector<std::string> words,
                           CommandEnv& env) {
  ParsedOptions p;
  if (CliStatus s = Parse(self, words, &p)) return s;
  if (p.args.size() < 2) return self.UsageError();
  client::WatcherType type = client::WatcherType::kAny;
  if (p.Has('c')) {
    type = client::WatcherType::kChildren;
  } else if (p.Has('d')) {
    type = client::WatcherType::kData;
  }
  const std::string& path = p.args[1];
  if (auto bad = ClientPathError(path)) return CliError{*bad};
  Err err = env.zk->RemoveWatches(path, type);
  if (err != Err::kOk) return CliError{KeeperExceptionText(err, path)};
  return std::nullopt;
}

CliStatus RunVersion(const CliCommand& self, std::vector<std::string> words, CommandEnv& env) {
  env.console->OutLine("ZooKeeper CLI version: zkcpp zkcli (ZooKeeper 3.8 client protocol)");
  return std::nullopt;
}

}  // namespace zk::cli
