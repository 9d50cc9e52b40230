// How a failed shell command is reported: the message zkCli.sh prints on
// standard error and the exit status it leaves.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "protocol/errors.h"

namespace zk::cli {

// zkCli.sh's exit statuses.
constexpr int kExitOk = 0;
constexpr int kExitError = 1;
constexpr int kExitCommandNotFound = 127;

struct CliError {
  std::string message;
  int exit_code = kExitError;
};

// The result of a command: nullopt on success.
using CliStatus = std::optional<CliError>;

// The message for a server or client error on `path` (empty path: none),
// worded as zkCli.sh words it, e.g. "Node does not exist: /x" or
// "KeeperErrorCode = No such watcher for /x".
std::string KeeperErrorMessage(Err err, std::string_view path);

// KeeperException.getMessage(): "KeeperErrorCode = <text>[ for <path>]".
std::string KeeperExceptionText(Err err, std::string_view path);

inline CliError KeeperError(Err err, std::string_view path) {
  return CliError{KeeperErrorMessage(err, path), kExitError};
}

// The Java client checks paths before sending; an invalid path fails with
// PathUtils' message. Returns nullopt for a valid path.
std::optional<std::string> ClientPathError(std::string_view path, bool sequential = false);

}  // namespace zk::cli
