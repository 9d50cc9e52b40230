// Java String behaviour that ZooKeeper's auth code leans on, reproduced so that
// ids, hashes and validity match a Java server byte for byte.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace zk::auth {

// What `new String(bytes, UTF_8)` then `getBytes(UTF_8)` gives: valid UTF-8 is
// kept, each ill-formed piece (as Java's decoder delimits it) becomes U+FFFD.
std::string JavaUtf8(std::string_view bytes);

// String.hashCode() of the Java string that `utf8` decodes to (UTF-16 units).
int32_t JavaStringHash(std::string_view utf8);

// String.split(sep, limit) for a literal, non-empty separator: limit > 0 keeps
// at most `limit` parts, limit == 0 drops trailing empty parts, limit < 0 keeps
// them. With no match the result is the whole input, even when it is empty.
std::vector<std::string_view> JavaSplit(std::string_view s, std::string_view sep, int limit = 0);

// Integer.parseInt(s, radix) for ASCII digits: optional sign, at least one
// digit, no overflow. False where Java would throw NumberFormatException.
bool JavaParseInt(std::string_view s, int radix, int32_t* out);

}  // namespace zk::auth
