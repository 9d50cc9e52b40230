// Interactive input through libedit: line editing, history and tab
// completion of command names and znode paths.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace zk::cli {

class LineReader {
 public:
  // Completion sources: all command names, and the children of a znode path.
  struct Completions {
    std::function<std::vector<std::string>()> commands;
    std::function<std::vector<std::string>(const std::string& path)> children;
  };

  explicit LineReader(Completions completions);
  ~LineReader();

  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // Shows `prompt` and reads one line; nullopt at end of input.
  std::optional<std::string> ReadLine(const std::string& prompt);

  // Candidates for the word `word`: znode paths when it starts with '/',
  // command names otherwise. Exposed for tests.
  static std::vector<std::string> Complete(const Completions& completions, const std::string& word);
};

}  // namespace zk::cli
