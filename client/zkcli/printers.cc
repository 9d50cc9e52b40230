#include "client/zkcli/printers.h"

#include <time.h>

#include <cstdio>

namespace zk::cli {
namespace {

// Jute's text form of a string field: a leading quote and a few characters
// percent-escaped.
std::string JuteQuoted(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    switch (c) {
      case '\0': out += "%00"; break;
      case '\n': out += "%0A"; break;
      case '\r': out += "%0D"; break;
      case ',': out += "%2C"; break;
      case '}': out += "%7D"; break;
      case '%': out += "%25"; break;
      default: out += c;
    }
  }
  return out;
}

// Length of the valid UTF-8 sequence at s[i], or 0 when it is malformed.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b = byte(i);
  if (b < 0x80) return 1;
  size_t len;
  uint32_t min;
  if ((b & 0xE0) == 0xC0) {
    len = 2, min = 0x80;
  } else if ((b & 0xF0) == 0xE0) {
    len = 3, min = 0x800;
  } else if ((b & 0xF8) == 0xF0) {
    len = 4, min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  uint32_t cp = b & (0x7F >> len);
  for (size_t k = 1; k < len; k++) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

}  // namespace

std::string JavaHex(int64_t value) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%llx",
                static_cast<unsigned long long>(static_cast<uint64_t>(value)));
  return buf;
}

std::string FormatJavaDate(int64_t epoch_ms) {
  // Java floors toward negative infinity when turning milliseconds into seconds.
  int64_t secs = epoch_ms / 1000;
  if (epoch_ms % 1000 < 0) secs--;
  time_t t = static_cast<time_t>(secs);
  struct tm tm_local;
  localtime_r(&t, &tm_local);
  char buf[128];
  strftime(buf, sizeof(buf), "%a %b %d %H:%M:%S %Z %Y", &tm_local);
  return buf;
}

std::string FormatStat(const client::Stat& s) {
  std::string out;
  out += "cZxid = 0x" + JavaHex(s.czxid) + "\n";
  out += "ctime = " + FormatJavaDate(s.ctime) + "\n";
  out += "mZxid = 0x" + JavaHex(s.mzxid) + "\n";
  out += "mtime = " + FormatJavaDate(s.mtime) + "\n";
  out += "pZxid = 0x" + JavaHex(s.pzxid) + "\n";
  out += "cversion = " + std::to_string(s.cversion) + "\n";
  out += "dataVersion = " + std::to_string(s.version) + "\n";
  out += "aclVersion = " + std::to_string(s.aversion) + "\n";
  out += "ephemeralOwner = 0x" + JavaHex(s.ephemeralOwner) + "\n";
  out += "dataLength = " + std::to_string(s.dataLength) + "\n";
  out += "numChildren = " + std::to_string(s.numChildren) + "\n";
  return out;
}

std::string PermString(int32_t perms) {
  std::string p;
  if (perms & perms::kCreate) p += 'c';
  if (perms & perms::kDelete) p += 'd';
  if (perms & perms::kRead) p += 'r';
  if (perms & perms::kWrite) p += 'w';
  if (perms & perms::kAdmin) p += 'a';
  return p;
}

std::string FormatAclEntry(const client::Acl& acl) {
  return JuteQuoted(acl.id.scheme) + "," + JuteQuoted(acl.id.id) + "\n: " + PermString(acl.perms);
}

std::string FormatList(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); i++) {
    if (i > 0) out += ", ";
    out += items[i];
  }
  return out + "]";
}

std::string_view KeeperStateName(KeeperState state) {
  switch (state) {
    case KeeperState::kDisconnected: return "Disconnected";
    case KeeperState::kSyncConnected: return "SyncConnected";
    case KeeperState::kAuthFailed: return "AuthFailed";
    case KeeperState::kConnectedReadOnly: return "ConnectedReadOnly";
    case KeeperState::kSaslAuthenticated: return "SaslAuthenticated";
    case KeeperState::kClosed: return "Closed";
    case KeeperState::kExpired: return "Expired";
  }
  return "Unknown";
}

std::string_view EventTypeName(EventType type) {
  switch (type) {
    case EventType::kNone: return "None";
    case EventType::kNodeCreated: return "NodeCreated";
    case EventType::kNodeDeleted: return "NodeDeleted";
    case EventType::kNodeDataChanged: return "NodeDataChanged";
    case EventType::kNodeChildrenChanged: return "NodeChildrenChanged";
    case EventType::kDataWatchRemoved: return "DataWatchRemoved";
    case EventType::kChildWatchRemoved: return "ChildWatchRemoved";
    case EventType::kPersistentWatchRemoved: return "PersistentWatchRemoved";
  }
  return "Unknown";
}

std::string FormatWatchedEvent(const client::WatchedEvent& event) {
  std::string out = "WatchedEvent state:";
  out += KeeperStateName(event.state);
  out += " type:";
  out += EventTypeName(event.type);
  out += " path:";
  out += event.path.empty() ? std::string("null") : event.path;
  return out;
}

std::string Utf8ForDisplay(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size();) {
    size_t len = Utf8SequenceLength(bytes, i);
    if (len == 0) {
      out += "\xEF\xBF\xBD";
      i++;
    } else {
      out.append(bytes.substr(i, len));
      i += len;
    }
  }
  return out;
}

}  // namespace zk::cli
