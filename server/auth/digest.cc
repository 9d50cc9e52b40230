#include "server/auth/digest.h"

#include <openssl/evp.h>

#include "server/auth/java_text.h"

namespace zk::auth {

std::string Base64Encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return out;
}

std::optional<std::string> Sha1(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha1(), nullptr) != 1) {
    return std::nullopt;
  }
  return std::string(reinterpret_cast<const char*>(md), len);
}

std::optional<std::string> GenerateDigest(std::string_view user_password) {
  const std::optional<std::string> sha = Sha1(user_password);
  if (!sha) return std::nullopt;
  const std::string_view user = user_password.substr(0, user_password.find(':'));
  return std::string(user) + ":" + Base64Encode(*sha);
}

bool DigestIsValid(std::string_view id) { return JavaSplit(id, ":").size() == 2; }

std::string DigestUserName(std::string_view id) {
  const std::vector<std::string_view> parts = JavaSplit(id, ":");
  // Java would throw on an id made only of ':'; such an id is never produced
  // by GenerateDigest, so an empty name is as good an answer as any.
  return parts.empty() ? std::string() : std::string(parts[0]);
}

}  // namespace zk::auth
