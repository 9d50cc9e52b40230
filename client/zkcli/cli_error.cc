#include "client/zkcli/cli_error.h"

#include "protocol/path.h"

namespace zk::cli {
namespace {

// KeeperException.Code's descriptions.
std::string CodeText(Err err) {
  switch (err) {
    case Err::kOk: return "ok";
    case Err::kSystemError: return "SystemError";
    case Err::kRuntimeInconsistency: return "RuntimeInconsistency";
    case Err::kDataInconsistency: return "DataInconsistency";
    case Err::kConnectionLoss: return "ConnectionLoss";
    case Err::kMarshallingError: return "MarshallingError";
    case Err::kUnimplemented: return "Unimplemented";
    case Err::kOperationTimeout: return "OperationTimeout";
    case Err::kBadArguments: return "BadArguments";
    case Err::kNewConfigNoQuorum: return "NewConfigNoQuorum";
    case Err::kReconfigInProgress: return "ReconfigInProgress";
    case Err::kApiError: return "APIError";
    case Err::kNoNode: return "NoNode";
    case Err::kNoAuth: return "NoAuth";
    case Err::kBadVersion: return "BadVersion";
    case Err::kNoChildrenForEphemerals: return "NoChildrenForEphemerals";
    case Err::kNodeExists: return "NodeExists";
    case Err::kNotEmpty: return "Directory not empty";
    case Err::kSessionExpired: return "Session expired";
    case Err::kInvalidCallback: return "Invalid callback";
    case Err::kInvalidAcl: return "InvalidACL";
    case Err::kAuthFailed: return "AuthFailed";
    case Err::kSessionMoved: return "Session moved";
    case Err::kNotReadOnly: return "Not a read-only call";
    case Err::kEphemeralOnLocalSession: return "Ephemeral node on local session";
    case Err::kNoWatcher: return "No such watcher";
    case Err::kReconfigDisabled: return "Reconfig is disabled";
    case Err::kSessionClosedRequireSaslAuth:
      return "Session closed because client failed to authenticate";
    case Err::kQuotaExceeded: return "Quota has exceeded";
    case Err::kThrottled: return "Op throttled due to high load";
    default: return "Unknown error " + std::to_string(static_cast<int32_t>(err));
  }
}

std::string PathOrNull(std::string_view path) {
  return path.empty() ? std::string("null") : std::string(path);
}

}  // namespace

std::string KeeperExceptionText(Err err, std::string_view path) {
  std::string text = "KeeperErrorCode = " + CodeText(err);
  if (!path.empty()) text += " for " + std::string(path);
  return text;
}

std::string KeeperErrorMessage(Err err, std::string_view path) {
  switch (err) {
    case Err::kNoNode: return "Node does not exist: " + PathOrNull(path);
    case Err::kNoChildrenForEphemerals:
      return "Ephemerals cannot have children: " + PathOrNull(path);
    case Err::kNodeExists: return "Node already exists: " + PathOrNull(path);
    case Err::kNotEmpty: return "Node not empty: " + PathOrNull(path);
    case Err::kNotReadOnly: return "Not a read-only call: " + PathOrNull(path);
    case Err::kInvalidAcl: return "Acl is not valid : " + PathOrNull(path);
    case Err::kNoAuth: return "Insufficient permission : " + PathOrNull(path);
    case Err::kBadArguments: return "Arguments are not valid : " + PathOrNull(path);
    case Err::kBadVersion: return "version No is not valid : " + PathOrNull(path);
    case Err::kQuotaExceeded: return "Quota has exceeded : " + PathOrNull(path);
    case Err::kReconfigInProgress:
      return "Another reconfiguration is in progress -- concurrent reconfigs not supported (yet)";
    case Err::kNewConfigNoQuorum:
      return "No quorum of new config is connected and up-to-date with the leader of last "
             "committed config - try invoking reconfiguration after new servers are connected "
             "and synced";
    default: return KeeperExceptionText(err, path);
  }
}

std::optional<std::string> ClientPathError(std::string_view path, bool sequential) {
  std::string reason = ValidatePath(path, sequential);
  if (reason.empty()) return std::nullopt;
  if (reason.rfind("Path ", 0) == 0) return reason;
  std::string shown(path);
  if (sequential) shown += "1";
  return "Invalid path string \"" + shown + "\" caused by " + reason;
}

}  // namespace zk::cli
