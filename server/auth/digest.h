// The "digest" scheme: ids of the form "user:base64(sha1(user:password))".
//
// SHA-1 comes from OpenSSL's libcrypto (Debian's libssl-dev): a maintained,
// widely reviewed implementation with a stable public API, unlike Boost's
// uuid/detail/sha1.hpp, which is an internal detail header whose interface
// has changed between Boost releases.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace zk::auth {

// Standard base64 with '=' padding, no line breaks.
std::string Base64Encode(std::string_view bytes);

// The 20-byte SHA-1 of `bytes`; nullopt only if libcrypto refuses (it should not).
std::optional<std::string> Sha1(std::string_view bytes);

// DigestAuthenticationProvider.generateDigest: "<text up to the first ':'>:" +
// base64(sha1(user_password)). `user_password` must already be valid UTF-8
// (see JavaUtf8); without a ':' the whole text is the user name.
std::optional<std::string> GenerateDigest(std::string_view user_password);

// isValid: the id splits on ':' into exactly two parts, Java style (trailing
// empty parts dropped, so "a:b:" is valid and "a:" is not).
bool DigestIsValid(std::string_view id);

// The user name whoAmI shows: the text before the first ':'.
std::string DigestUserName(std::string_view id);

}  // namespace zk::auth
