// Readers for the two places a ZooKeeper server takes settings from: a
// java.util.Properties file (zoo.cfg) and `-Dkey=value` words in JVM flags
// (SERVER_JVMFLAGS). Also Java's integer syntaxes, since users copy values
// that Java accepted.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace zk::config {

// One key/value pair in the order it appeared. Later pairs with the same key
// override earlier ones, as Properties.load does.
using PropertyList = std::vector<std::pair<std::string, std::string>>;

// Parses text with java.util.Properties.load rules: `key=value`, `key:value`
// and `key value`; comment lines starting with # or !; leading whitespace
// skipped; a line ending in an odd number of backslashes continues on the
// next line; escapes \t \n \r \f \uXXXX and \<char>. Bytes pass through
// unchanged (read as UTF-8, where Java would read ISO-8859-1), and \uXXXX
// becomes UTF-8. Values keep trailing whitespace, as Java does.
// Returns false and sets *error on a malformed \uXXXX escape.
bool ParseJavaProperties(std::string_view text, PropertyList* out, std::string* error);

// Extracts the `-Dkey=value` words from a JVM flag string, split on
// whitespace the way an unquoted $SERVER_JVMFLAGS is split by zkServer.sh
// (quotes are not special). `-Dkey` alone sets the key to "". Other words
// (-Xmx, -XX:...) are skipped.
PropertyList ParseJvmSystemProperties(std::string_view flags);

// Integer.parseInt / Long.parseLong: optional sign, decimal digits only,
// range checked.
bool ParseJavaInt(std::string_view text, int32_t* value);
bool ParseJavaLong(std::string_view text, int64_t* value);

// Integer.decode (used by Integer.getInteger for -D values such as
// jute.maxbuffer): optional sign, then 0x / 0X / # for hex, a leading 0 for
// octal, or decimal.
bool DecodeJavaInt(std::string_view text, int32_t* value);

// Java's String.trim(): strips every character <= ' ' from both ends.
std::string_view TrimJava(std::string_view text);

}  // namespace zk::config
