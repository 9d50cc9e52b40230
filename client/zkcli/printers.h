// Text forms of ZooKeeper records exactly as zkCli.sh prints them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "client/lib/zk_client.h"

namespace zk::cli {

// The eleven "name = value" lines of StatPrinter, each ending in '\n'.
std::string FormatStat(const client::Stat& stat);

// java.util.Date.toString() in the local time zone: "Thu Nov 26 07:39:57 UTC 2026".
std::string FormatJavaDate(int64_t epoch_ms);

// Long.toHexString: two's complement for negative values, no leading zeros.
std::string JavaHex(int64_t value);

// One getAcl entry: the Id record's text form, then ": " and the permissions
// in "cdrwa" order, e.g. "'world,'anyone\n: cdrwa".
std::string FormatAclEntry(const client::Acl& acl);

// "cdrwa" letters for the bits set in `perms`.
std::string PermString(int32_t perms);

// java.util.List.toString(): "[a, b]".
std::string FormatList(const std::vector<std::string>& items);

// WatchedEvent.toString(): "WatchedEvent state:SyncConnected type:NodeDataChanged path:/x".
std::string FormatWatchedEvent(const client::WatchedEvent& event);
std::string_view KeeperStateName(KeeperState state);
std::string_view EventTypeName(EventType type);

// Bytes as Java's new String(bytes, UTF_8) shows them: each malformed
// sequence becomes U+FFFD.
std::string Utf8ForDisplay(std::string_view bytes);

}  // namespace zk::cli
