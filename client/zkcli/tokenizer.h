// Splits a shell line into words the way zkCli.sh does.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace zk::cli {

// Words are runs of non-blanks, or text in matching single or double quotes
// (the quotes are dropped). A quote with no partner is not a word start, so
// zkCli.sh's odd results for unbalanced quotes are kept: scripts rely on the
// same splitting.
std::vector<std::string> SplitCommandLine(std::string_view line);

}  // namespace zk::cli
