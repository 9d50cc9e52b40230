// Commands that read: ls, get, stat, getAcl, getAllChildrenNumber, getEphemerals.
#include <algorithm>
#include <functional>

#include "client/zkcli/command.h"
#include "client/zkcli/printers.h"

namespace zk::cli {
namespace {

using internal::Parse;

using Kind = WatchPrinter::Kind;

client::Watcher WatcherIf(bool watch, Kind kind, const std::string& path, CommandEnv& env) {
  return watch ? env.watches->Watch(kind, path) : client::Watcher();
}

// A request that failed set no watch (exists on a missing node does).
Err Watched(Err err, bool watch, Kind kind, const std::string& path, CommandEnv& env) {
  if (watch && err != Err::kOk && !(kind == Kind::kData && err == Err::kNoNode)) {
    env.watches->NotSet(kind, path);
  }
  return err;
}

// zkCli.sh still accepts "cmd path watch": the third word turns into -w,
// with a warning, and the words are parsed again.
CliStatus RetainWatchWord(const CliCommand& self, std::vector<std::string>& words,
                          ParsedOptions* parsed, CommandEnv& env, std::string_view warning) {
  if (parsed->args.size() <= 2) return std::nullopt;
  words[2] = "-w";
  env.console->ErrLine(warning);
  return Parse(self, words, parsed);
}

// ZKUtil.visitSubTreeDFS: the node, then all its children (sorted), then
// each child's subtree.
CliStatus VisitSubtree(CommandEnv& env, const std::string& root, bool watch,
                       const std::function<void(const std::string&)>& visit) {
  Err err =
      Watched(env.zk->GetData(root, nullptr, nullptr, WatcherIf(watch, Kind::kData, root, env)),
              watch, Kind::kData, root, env);
  if (err == Err::kNoNode && watch) env.watches->NotSet(Kind::kData, root);
  if (err != Err::kOk) return KeeperError(err, root);
  visit(root);
  std::function<CliStatus(const std::string&)> descend = [&](const std::string& path) {
    std::vector<std::string> children;
    Err e = Watched(env.zk->GetChildren(path, &children, WatcherIf(watch, Kind::kChild, path, env)),
                    watch, Kind::kChild, path, env);
    if (e != Err::kOk) return CliStatus(KeeperError(e, path));
    std::sort(children.begin(), children.end());
    for (const std::string& child : children) visit(internal::ChildPath(path, child));
    for (const std::string& child : children) {
      if (CliStatus status = descend(internal::ChildPath(path, child))) return status;
    }
    return CliStatus();
  };
  return descend(root);
}

}  // namespace

CliStatus RunLs(const CliCommand& self, std::vector<std::string> words, CommandEnv& env) {
  ParsedOptions p;
  if (CliStatus s = Parse(self, words, &p)) return s;
  if (p.Has('?')) {
    env.console->Out(
        "usage: ls [options] path\n"
        " -?   help\n"
        " -R   recurse\n"
        " -s   stat\n"
        " -w   watch\n");
  }
  if (CliStatus s = RetainWatchWord(self, words, &p, env,
                                    "'ls path [watch]' has been deprecated. Please use 'ls [-w] "
                                    "path' instead.")) {
    return s;
  }
  if (p.args.size() < 2) return self.UsageError();
  const std::string& path = p.args[1];
  if (auto bad = ClientPathError(path)) return CliError{*bad};
  bool watch = p.Has('w');
  if (p.Has('R')) {
    return VisitSubtree(env, path, watch,
                        [&](const std::string& node) { env.console->OutLine(node); });
  }
  std::vector<std::string> children;
  client::Stat stat;
  client::Watcher watcher = WatcherIf(watch, Kind::kChild, path, env);
  Err err = p.Has('s') ? env.zk->GetChildren2(path, &children, &stat, watcher)
                       : env.zk->GetChildren(path, &children, watcher);
  Watched(err, watch, Kind::kChild, path, env);
  if (err != Err::kOk) return KeeperError(err, path);
  std::sort(children.begin(), children.end());
  std::string text = FormatList(children) + "\n";
  if (p.Has('s')) text += FormatStat(stat);
  env.console->Out(text);
  return std::nullopt;
}

CliStatus RunGet(const CliCommand& self, std::vector<std::string> words, CommandEnv& env) {
  ParsedOptions p;
  if (CliStatus s = Parse(self, words, &p)) return s;
  if (p.args.size() < 2) return self.UsageError();
  if (CliStatus s = RetainWatchWord(self, words, &p, env,
                                    "'get path [watch]' has been deprecated. Please use 'get "
                                    "[-s] [-w] path' instead.")) {
    return s;
  }
  const std::string& path = p.args[1];
  if (auto bad = ClientPathError(path)) return CliError{*bad};
  std::string data;
  bool data_null = false;
  client::Stat stat;
  bool watch = p.Has('w');
  Err err =
      env.zk->GetData(path, &data, &stat, WatcherIf(watch, Kind::kData, path, env), &data_null);
  // getData sets no watch on a missing node.
  if (watch && err != Err::kOk) env.watches->NotSet(Kind::kData, path);
  if (err != Err::kOk) return KeeperError(err, path);
  std::string text = (data_null ? std::string("null") : Utf8ForDisplay(data)) + "\n";
  if (p.Has('s')) text += FormatStat(stat);
  env.console->Out(text);
  return std::nullopt;
}

CliStatus RunStat(const CliCommand& self, std::vector<std::string> words, CommandEnv& env) {
  ParsedOptions p;
  if (CliStatus s = Parse(self, words, &p)) return s;
  if (p.args.size() < 2) return self.UsageError();
  if (CliStatus s = RetainWatchWord(self, words, &p, env,
                                    "'stat path [watch]' has been deprecated. Please use 'stat "
                                    "[-w] path' instead.")) {
    return s;
  }
  const std::string& path = p.args[1];
  if (auto bad = ClientPathError(path)) return CliError{*bad};
  client::Stat stat;
  bool watch = p.Has('w');
  Err err = Watched(env.zk->Exists(path, &stat, WatcherIf(watch, Kind::kData, path, env)), watch,
                    Kind::kData, path, env);
  if (err != Err::kOk) return KeeperError(err, path);
  env.console->Out(FormatStat(stat));
  return std::nullopt;
}

CliStatus RunGetAcl(const CliCommand& self, std::vector<std::string> words, CommandEnv& env) {
  ParsedOptions p;
  if (CliStatus s = Parse(self, words, &p)) return s;
  if (p.args.size() < 2) return self.UsageError();
  const std::string& path = p.args[1];
  if (auto bad = ClientPathError(path)) return CliError{*bad};
  client::AclList acl;
  client::Stat stat;
  Err err = env.zk->GetAcl(path, &acl, &stat);
  if (err != Err::kOk) return KeeperError(err, path);
  std::string text;
  for (const client::Acl& a : acl) text += FormatAclEntry(a) + "\n";
  if (p.Has('s')) text += FormatStat(stat);
  env.console->Out(text);
  return std::nullopt;
}

CliStatus RunGetAllChildrenNumber(const CliCommand& self, std::vector<std::string> words,
                                  CommandEnv& env) {
  ParsedOptions p;
  if (CliStatus s = Parse(self, words, &p)) return s;
  if (p.args.size() < 2) return self.UsageError();
  const std::string& path = p.args[1];
  if (auto bad = ClientPathError(path)) return CliError{*bad};
  int32_t count = 0;
  Err err = env.zk->GetAllChildrenNumber(path, &count);
  if (err != Err::kOk) return KeeperError(err, path);
  env.console->OutLine(std::to_string(count));
  return std::nullopt;
}

CliStatus RunGetEphemerals(const CliCommand& self, std::vector<std::string> words,
                           CommandEnv& env) {
  ParsedOptions p;
  if (CliStatus s = Parse(self, words, &p)) return s;
  // Without a path zkCli.sh lists every ephemeral node of the session.
  std::string path = p.args.size() < 2 ? "/" : p.args[1];
  if (auto bad = ClientPathError(path)) return CliError{*bad};
  std::vector<std::string> paths;
  Err err = env.zk->GetEphemerals(path, &paths);
  if (err != Err::kOk) return KeeperError(err, path);
  env.console->OutLine(FormatList(paths));
  return std::nullopt;
}

}  // namespace zk::cli
