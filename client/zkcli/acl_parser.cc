#include "client/zkcli/acl_parser.h"

#include "protocol/opcodes.h"

namespace zk::cli {
namespace {

// String.split(","): trailing empty pieces are dropped.
std::vector<std::string> SplitOnComma(std::string_view text) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    parts.emplace_back(text.substr(start, comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  while (parts.size() > 1 && parts.back().empty()) parts.pop_back();
  if (parts.size() == 1 && parts[0].empty() && !text.empty()) parts.clear();
  return parts;
}

int32_t PermsFromString(std::string_view letters, std::vector<std::string>* warnings) {
  int32_t perm = 0;
  for (char c : letters) {
    switch (c) {
      case 'r': perm |= perms::kRead; break;
      case 'w': perm |= perms::kWrite; break;
      case 'c': perm |= perms::kCreate; break;
      case 'd': perm |= perms::kDelete; break;
      case 'a': perm |= perms::kAdmin; break;
      default: warnings->push_back(std::string("Unknown perm type: ") + c);
    }
  }
  return perm;
}

}  // namespace

client::AclList ParseAcl(std::string_view text, std::vector<std::string>* warnings) {
  client::AclList acl;
  for (const std::string& entry : SplitOnComma(text)) {
    size_t first = entry.find(':');
    size_t last = entry.rfind(':');
    if (first == std::string::npos || first == last) {
      warnings->push_back(entry + " does not have the form scheme:id:perm");
      continue;
    }
    client::Acl a;
    a.id.scheme = entry.substr(0, first);
    a.id.id = entry.substr(first + 1, last - first - 1);
    a.perms = PermsFromString(std::string_view(entry).substr(last + 1), warnings);
    acl.push_back(std::move(a));
  }
  return acl;
}

}  // namespace zk::cli
