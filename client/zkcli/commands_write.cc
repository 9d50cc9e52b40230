// Commands that write: create, set, delete, deleteall, setAcl.
#include <algorithm>
#include <deque>
#include <functional>

#include "client/zkcli/acl_parser.h"
#include "client/zkcli/command.h"
#include "client/zkcli/printers.h"

namespace zk::cli {
namespace {

using internal::Parse;

// The largest TTL a znode can carry (EphemeralType.TTL's bound).
constexpr int64_t kMaxTtlMs = 0xFFFFFFFFFFLL;

client::AclList ParseAclPrintingWarnings(std::string_view text, CommandEnv& env) {
  std::vector<std::string> warnings;
  client::AclList acl = ParseAcl(text, &warnings);
  for (const std::string& w : warnings) env.console->ErrLine(w);
  return acl;
}

// ZKUtil.listSubTreeBFS: the root, then every descendant level by level.
CliStatus ListSubtree(CommandEnv& env, const std::string& root, std::vector<std::string>* tree) {
  std::deque<std::string> queue = {root};
  tree->push_back(root);
  while (!queue.empty()) {
    std::string node = queue.front();
    queue.pop_front();
    std::vector<std::string> children;
    Err err = env.zk->GetChildren(node, &children);
    if (err != Err::kOk) return KeeperError(err, node);
    for (const std::string& child : children) {
      queue.push_back(internal::ChildPath(node, child));
      tree->push_back(queue.back());
    }
  }
  return std::nullopt;
}

}  // namespace

CliStatus RunCreate(const CliCommand& self, std::vector<std::string> words, CommandEnv& env) {
  ParsedOptions p;
  if (CliStatus s = Parse(self, words, &p)) return s;
  if (p.args.size() < 2) return self.UsageError();
  bool has_e = p.Has('e'), has_s = p.Has('s'), has_c = p.Has('c'), has_t = p.Has('t');
  if (has_c && (has_e || has_s)) {
    return CliError{
        "-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential."};
  }
  int64_t ttl = 0;
  if (has_t && !internal::ParseJavaLong(p.Value('t'), &ttl)) {
    return CliError{"-t argument must be a long value"};
  }
  if (has_t && has_e) return CliError{"TTLs cannot be used with Ephemeral znodes"};
  if (has_t && has_c) return CliError{"TTLs cannot be used with Container znodes"};
  CreateMode mode = CreateMode::kPersistent;
  if (has_e && has_s) {
    mode = CreateMode::kEphemeralSequential;
  } else if (has_e) {
    mode = CreateMode::kEphemeral;
  } else if (has_s) {
    mode = has_t ? CreateMode::kPersistentSequentialWithTtl : CreateMode::kPersistentSequential;
  } else if (has_c) {
    mode = CreateMode::kContainer;
  } else if (has_t) {
    mode = CreateMode::kPersistentWithTtl;
  }
  if (has_t && (ttl <= 0 || ttl > kMaxTtlMs)) {
    return CliError{"ttl must be positive and cannot be larger than: " + std::to_string(kMaxTtlMs)};
  }
  const std::string& path = p.args[1];
  // Without a data word zkCli.sh sends null data, which reads back as null.
  const std::string* data = p.args.size() > 2 ? &p.args[2] : nullptr;
  client::AclList acl =
      p.args.size() > 3 ? ParseAclPrintingWarnings(p.args[3], env) : client::OpenAclUnsafe();
  bool sequential = mode == CreateMode::kPersistentSequential ||
                    mode == CreateMode::kEphemeralSequential ||
                    mode == CreateMode::kPersistentSequentialWithTtl;
  if (auto bad = ClientPathError(path, sequential)) return CliError{*bad};
  if (acl.empty()) {
    // The Java client refuses an empty ACL before sending, without a path.
    env.console->ErrLine(KeeperExceptionText(Err::kInvalidAcl, ""));
    return KeeperError(Err::kInvalidAcl, "");
  }
  std::string created;
  Err err = env.zk->Create(path, data, acl, mode, &created, nullptr, has_t ? ttl : -1);
  if (err == Err::kEphemeralOnLocalSession) {
    env.console->ErrLine("Unable to create ephemeral node on a local session");
  } else if (err == Err::kInvalidAcl) {
    env.console->ErrLine(KeeperExceptionText(err, path));
  }
  if (err != Err::kOk) return KeeperError(err, path);
  env.console->ErrLine("Created " + created);
  return std::nullopt;
}

CliStatus RunSet(const CliCommand& self, std::vector<std::string> words, CommandEnv& env) {
  ParsedOptions p;
  if (CliStatus s = Parse(self, words, &p)) return s;
  if (p.args.size() < 3) return self.UsageError();
  int32_t version;
  if (!internal::VersionOption(p, &version)) return self.UsageError();
  const std::string& path = p.args[1];
  if (auto bad = ClientPathError(path)) return CliError{*bad};
  client::Stat stat;
  Err err = env.zk->SetData(path, p.args[2], version, &stat);
  if (err != Err::kOk) return KeeperError(err, path);
  if (p.Has('s')) env.console->Out(FormatStat(stat));
  return std::nullopt;
}

CliStatus RunDelete(const CliCommand& self, std::vector<std::string> words, CommandEnv& env) {
  ParsedOptions p;
  if (CliStatus s = Parse(self, words, &p)) return s;
  if (p.args.size() < 2) return self.UsageError();
  if (p.args.size() > 2) {
    // Like zkCli.sh, the old trailing version word is reported and ignored.
    env.console->ErrLine(
        "'delete path [version]' has been deprecated. Please use 'delete [-v version] path' "
        "instead.");
  }
  int32_t version;
  if (!internal::VersionOption(p, &version)) return self.UsageError();
  const std::string& path = p.args[1];
  if (auto bad = ClientPathError(path)) return CliError{*bad};
  Err err = env.zk->Delete(path, version);
  if (err != Err::kOk) return KeeperError(err, path);
  return std::nullopt;
}

CliStatus RunDeleteAll(const CliCommand& self, std::vector<std::string> words, CommandEnv& env) {
  ParsedOptions p;
  if (CliStatus s = Parse(self, words, &p)) return s;
  if (p.args.size() < 2) return self.UsageError();
  int32_t batch = 1000;
  if (p.Has('b') && !internal::ParseJavaInt(p.Value('b'), &batch)) {
    return CliError{"-b argument must be an int value"};
  }
  const std::string& path = p.args[1];
  if (auto bad = ClientPathError(path)) return CliError{*bad};
  std::vector<std::string> tree;
  if (CliStatus s = ListSubtree(env, path, &tree)) return s;
  // Deepest nodes first, `batch` deletes per multi; a failed batch does not
  // stop the others (ZKUtil.deleteInBatch).
  bool all_deleted = true;
  std::vector<client::Op> ops;
  for (size_t i = tree.size(); i-- > 0;) {
    ops.push_back(client::Op::Delete(tree[i], -1));
    if (static_cast<int64_t>(ops.size()) == batch || i == 0) {
      if (env.zk->Multi(ops) != Err::kOk) all_deleted = false;
      ops.clear();
    }
  }
  if (!all_deleted) env.console->ErrLine("Failed to delete some node(s) in the subtree!");
  return std::nullopt;
}

CliStatus RunSetAcl(const CliCommand& self, std::vector<std::string> words, CommandEnv& env) {
  ParsedOptions p;
  if (CliStatus s = Parse(self, words, &p)) return s;
  if (p.args.size() < 3) return self.UsageError();
  const std::string& path = p.args[1];
  client::AclList acl = ParseAclPrintingWarnings(p.args[2], env);
  int32_t version;
  if (!internal::VersionOption(p, &version)) return self.UsageError();
  if (auto bad = ClientPathError(path)) return CliError{*bad};
  auto set_one = [&](const std::string& node, client::Stat* stat) {
    return acl.empty() ? Err::kInvalidAcl : env.zk->SetAcl(node, acl, version, stat);
  };
  if (p.Has('R')) {
    // Per-node failures are printed without a newline, as zkCli.sh does.
    Err err = env.zk->GetData(path, nullptr, nullptr);
    if (err != Err::kOk) return KeeperError(err, path);
    std::function<CliStatus(const std::string&)> visit = [&](const std::string& node) {
      Err e = set_one(node, nullptr);
      if (e != Err::kOk) env.console->Out(KeeperExceptionText(e, acl.empty() ? "" : node));
      return CliStatus();
    };
    std::function<CliStatus(const std::string&)> descend = [&](const std::string& node) {
      std::vector<std::string> children;
      Err e = env.zk->GetChildren(node, &children);
      if (e != Err::kOk) return CliStatus(KeeperError(e, node));
      std::sort(children.begin(), children.end());
      for (const std::string& child : children) visit(internal::ChildPath(node, child));
      for (const std::string& child : children) {
        if (CliStatus s = descend(internal::ChildPath(node, child))) return s;
      }
      return CliStatus();
    };
    visit(path);
    return descend(path);
  }
  client::Stat stat;
  Err err = set_one(path, &stat);
  if (err != Err::kOk) return KeeperError(err, acl.empty() ? "" : path);
  if (p.Has('s')) env.console->Out(FormatStat(stat));
  return std::nullopt;
}

}  // namespace zk::cli
