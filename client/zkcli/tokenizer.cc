#include "client/zkcli/tokenizer.h"

#include <regex>

namespace zk::cli {

std::vector<std::string> SplitCommandLine(std::string_view line) {
  // The same expressions as zkCli.sh's command parser, so backtracking over
  // blanks and unbalanced quotes gives identical words.
  static const std::regex kArg(
      R"re([ \t\n\x0B\f\r]*([^"'][^ \t\n\x0B\f\r]*|"[^"]*"|'[^']*')[ \t\n\x0B\f\r]*)re");
  static const std::regex kQuoted(R"re(^(['"])(.*)(\1)$)re");
  std::vector<std::string> words;
  std::string text(line);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kArg); it != std::sregex_iterator();
       ++it) {
    std::string word = (*it)[1].str();
    if (std::regex_match(word, kQuoted)) word = word.substr(1, word.size() - 2);
    words.push_back(std::move(word));
  }
  return words;
}

}  // namespace zk::cli
