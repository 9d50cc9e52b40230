#include "server/auth/jaas_config.h"

#include <cctype>
#include <optional>
#include <utility>

namespace zk::auth {
namespace {

struct Token {
  enum Kind { kWord, kQuoted, kPunct, kEnd } kind;
  std::string text;
  int line;
};

class Tokenizer {
 public:
  explicit Tokenizer(std::string_view text) : text_(text) {}

  // False on an unterminated quote or comment.
  bool Next(Token* token, std::string* error) {
    if (!SkipSpaceAndComments(error)) return false;
    token->line = line_;
    if (pos_ >= text_.size()) {
      *token = Token{Token::kEnd, "", line_};
      return true;
    }
    char c = text_[pos_];
    if (c == '{' || c == '}' || c == ';' || c == '=') {
      ++pos_;
      *token = Token{Token::kPunct, std::string(1, c), line_};
      return true;
    }
    if (c == '"' || c == '\'') return Quoted(c, token, error);
    size_t start = pos_;
    while (pos_ < text_.size() && !IsSpace(text_[pos_]) && !IsDelimiter(text_[pos_])) ++pos_;
    *token = Token{Token::kWord, std::string(text_.substr(start, pos_ - start)), line_};
    return true;
  }

 private:
  static bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
  static bool IsDelimiter(char c) {
    return c == '{' || c == '}' || c == ';' || c == '=' || c == '"' || c == '\'' || c == '#';
  }

  bool SkipSpaceAndComments(std::string* error) {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '\n') ++line_;
      if (IsSpace(c)) {
        ++pos_;
      } else if (c == '#' || text_.substr(pos_, 2) == "//") {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      } else if (text_.substr(pos_, 2) == "/*") {
        size_t end = text_.find("*/", pos_ + 2);
        if (end == std::string_view::npos) {
          *error = "line " + std::to_string(line_) + ": unterminated comment";
          return false;
        }
        for (size_t i = pos_; i < end; ++i) line_ += text_[i] == '\n';
        pos_ = end + 2;
      } else {
        break;
      }
    }
    return true;
  }

  bool Quoted(char quote, Token* token, std::string* error) {
    std::string value;
    ++pos_;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      char c = text_[pos_++];
      if (c == '\n') ++line_;
      if (c == '\\' && pos_ < text_.size()) c = text_[pos_++];
      value.push_back(c);
    }
    if (pos_ >= text_.size()) {
      *error = "line " + std::to_string(token->line) + ": unterminated quoted value";
      return false;
    }
    ++pos_;
    *token = Token{Token::kQuoted, std::move(value), token->line};
    return true;
  }

  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
};

bool IsControlFlag(const std::string& lower) {
  return lower == "required" || lower == "requisite" || lower == "sufficient" ||
         lower == "optional";
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

class Parser {
 public:
  Parser(std::string_view text, std::string* error) : tokens_(text), error_(error) {}

  bool Parse(JaasConfig* out) {
    if (!Advance()) return false;
    while (current_.kind != Token::kEnd) {
      if (current_.kind != Token::kWord) return Fail("expected a section name");
      std::string section = current_.text;
      if (!Advance() || !Expect("{")) return false;
      std::vector<JaasEntry>& entries = (*out)[section];
      while (!IsPunct("}")) {
        JaasEntry entry;
        if (!ParseEntry(&entry)) return false;
        entries.push_back(std::move(entry));
      }
      if (!Advance() || !Expect(";")) return false;
    }
    return true;
  }

 private:
  bool ParseEntry(JaasEntry* entry) {
    if (current_.kind != Token::kWord) return Fail("expected a login module class name");
    entry->login_module = current_.text;
    if (!Advance()) return false;
    entry->control_flag = Lower(current_.text);
    if (current_.kind != Token::kWord || !IsControlFlag(entry->control_flag)) {
      return Fail("expected a control flag (required, requisite, sufficient or optional)");
    }
    if (!Advance()) return false;
    while (!IsPunct(";")) {
      if (current_.kind != Token::kWord) return Fail("expected an option name or ';'");
      std::string key = current_.text;
      if (!Advance() || !Expect("=")) return false;
      if (current_.kind != Token::kWord && current_.kind != Token::kQuoted) {
        return Fail("expected a value for option " + key);
      }
      entry->options[key] = current_.text;
      if (!Advance()) return false;
    }
    return Advance();
  }

  bool IsPunct(const char* p) const { return current_.kind == Token::kPunct && current_.text == p; }

  bool Expect(const char* p) {
    if (!IsPunct(p)) return Fail(std::string("expected '") + p + "'");
    return Advance();
  }

  bool Advance() { return tokens_.Next(&current_, error_); }

  bool Fail(const std::string& what) {
    *error_ =
        "line " + std::to_string(current_.line) + ": " + what +
        (current_.kind == Token::kEnd ? " at end of file" : ", found '" + current_.text + "'");
    return false;
  }

  Tokenizer tokens_;
  std::string* error_;
  Token current_{Token::kEnd, "", 1};
};

}  // namespace

bool ParseJaasConfig(std::string_view text, JaasConfig* out, std::string* error) {
  JaasConfig config;
  if (!Parser(text, error).Parse(&config)) return false;
  *out = std::move(config);
  return true;
}

std::map<std::string, std::string> JaasDigestUsers(const std::vector<JaasEntry>& entries) {
  constexpr std::string_view kPrefix = "user_";
  std::map<std::string, std::string> users;
  for (const JaasEntry& entry : entries) {
    for (const auto& [key, value] : entry.options) {
      if (key.size() > kPrefix.size() && key.starts_with(kPrefix)) {
        users[key.substr(kPrefix.size())] = value;
      }
    }
  }
  return users;
}

}  // namespace zk::auth
