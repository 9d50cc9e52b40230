// The bodies of multi and multiRead: a MultiHeader before each operation and
// after the last one (type -1, done), in both directions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "client/lib/zk_client.h"
#include "jute/archive.h"

namespace zk::client {

// Appends the request body of ops to *body, adding chroot to every path.
// read_only selects multiRead (getData/getChildren only) over multi
// (create/delete/setData/check only). Returns kBadArguments (and writes
// nothing useful) when an operation does not belong or its path is invalid.
Err EncodeMultiRequest(const std::vector<Op>& ops, bool read_only, std::string_view chroot,
                       std::string* body);

// Reads a multi or multiRead response, stripping chroot from created paths.
// Returns false on malformed input.
bool DecodeMultiResponse(jute::InputArchive& in, std::string_view chroot,
                         std::vector<OpResult>* results);

// The first error among results, kOk if none.
Err FirstError(const std::vector<OpResult>& results);

}  // namespace zk::client
