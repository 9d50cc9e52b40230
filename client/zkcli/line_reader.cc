#include "client/zkcli/line_reader.h"

#include <editline/readline.h>
#include <stdlib.h>
#include <string.h>

#include <algorithm>

namespace zk::cli {
namespace {

// libedit's completion hooks are plain functions, so the active reader's
// sources live here (one reader per process).
const LineReader::Completions* g_completions = nullptr;
std::vector<std::string> g_matches;

char* NextMatch(const char* text, int state) {
  static size_t index = 0;
  if (state == 0) {
    g_matches = LineReader::Complete(*g_completions, text);
    index = 0;
  }
  if (index >= g_matches.size()) return nullptr;
  return strdup(g_matches[index++].c_str());
}

char** AttemptCompletion(const char* text, int start, int end) {
  rl_attempted_completion_over = 1;  // no file name completion
  return rl_completion_matches(text, NextMatch);
}

}  // namespace

LineReader::LineReader(Completions completions) {
  g_completions = new Completions(std::move(completions));
  rl_readline_name = const_cast<char*>("zkcli");
  // Paths complete as one word: only blanks separate words.
  static char kBreaks[] = " \t\n";
  rl_completer_word_break_characters = kBreaks;
  rl_attempted_completion_function = AttemptCompletion;
  using_history();
}

LineReader::~LineReader() {
  delete g_completions;
  g_completions = nullptr;
}

std::optional<std::string> LineReader::ReadLine(const std::string& prompt) {
  char* raw = readline(prompt.c_str());
  if (raw == nullptr) return std::nullopt;
  std::string line(raw);
  free(raw);
  if (!line.empty()) add_history(line.c_str());
  return line;
}

std::vector<std::string> LineReader::Complete(const Completions& completions,
                                              const std::string& word) {
  std::vector<std::string> out;
  if (!word.empty() && word[0] == '/') {
    size_t slash = word.rfind('/');
    std::string dir = slash == 0 ? "/" : word.substr(0, slash);
    std::string prefix = word.substr(slash + 1);
    std::string base = dir == "/" ? "/" : dir + "/";
    for (const std::string& child : completions.children(dir)) {
      if (child.rfind(prefix, 0) == 0) out.push_back(base + child);
    }
  } else {
    for (const std::string& name : completions.commands()) {
      if (name.rfind(word, 0) == 0) out.push_back(name);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace zk::cli
