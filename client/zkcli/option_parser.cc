#include "client/zkcli/option_parser.h"

#include <cstdlib>

namespace zk::cli {
namespace {

constexpr std::string_view kUnrecognized =
    "org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: ";
constexpr std::string_view kMissingArgument =
    "org.apache.commons.cli.MissingArgumentException: Missing argument for option: ";

// Double.parseDouble accepts it (commons-cli lets such words be values).
bool IsNumber(const std::string& word) {
  if (word.empty()) return false;
  const char* begin = word.c_str();
  char* end = nullptr;
  std::strtod(begin, &end);
  return end != begin && *end == '\0';
}

class Parser {
 public:
  Parser(const OptionSpec& spec, ParsedOptions* parsed, std::string* error)
      : spec_(spec), parsed_(parsed), error_(error) {}

  bool Run(const std::vector<std::string>& words) {
    for (const std::string& word : words) {
      if (!Token(word)) return false;
    }
    return CheckPendingValue();
  }

 private:
  bool Known(char c) const {
    return spec_.flags.find(c) != std::string::npos ||
           spec_.with_value.find(c) != std::string::npos;
  }
  bool TakesValue(char c) const { return spec_.with_value.find(c) != std::string::npos; }

  // A word names an option when its first letter after '-' is one.
  bool IsOption(const std::string& word) const {
    return word.size() >= 2 && word[0] == '-' && Known(word[1]);
  }

  bool Token(const std::string& word) {
    if (rest_are_args_) {
      parsed_->args.push_back(word);
    } else if (word == "--") {
      rest_are_args_ = true;
    } else if (pending_ && (!IsOption(word) || IsNumber(word))) {
      SetValue(*pending_, word);
      pending_.reset();
    } else if (word.rfind("--", 0) == 0) {
      return Unknown(word);
    } else if (word.size() > 1 && word[0] == '-') {
      return ShortOption(word);
    } else {
      parsed_->args.push_back(word);
    }
    return true;
  }

  bool ShortOption(const std::string& word) {
    std::string body = word.substr(1);
    size_t eq = body.find('=');
    if (body.size() == 1) {
      return Known(body[0]) ? Handle(body[0]) : Unknown(word);
    }
    if (eq == std::string::npos) return Concatenated(word);
    if (eq == 1 && TakesValue(body[0])) {
      if (!Handle(body[0])) return false;
      SetValue(body[0], body.substr(2));
      pending_.reset();
      return true;
    }
    return Unknown(word);
  }

  // "-sw" is -s -w; in "-v5" the rest of the word is -v's value.
  bool Concatenated(const std::string& word) {
    for (size_t i = 1; i < word.size(); i++) {
      char c = word[i];
      if (!Known(c)) return Unknown(word);
      if (!Handle(c)) return false;
      if (pending_ && i + 1 != word.size()) {
        SetValue(c, word.substr(i + 1));
        pending_.reset();
        break;
      }
    }
    return true;
  }

  bool Handle(char c) {
    if (!CheckPendingValue()) return false;
    parsed_->options.emplace(c, std::string());
    if (TakesValue(c)) pending_ = c;
    return true;
  }

  void SetValue(char c, const std::string& value) {
    // The first value given wins, as getOptionValue returns it.
    if (!has_value_[c]) {
      parsed_->options[c] = value;
      has_value_[c] = true;
    }
  }

  bool CheckPendingValue() {
    if (pending_ && !has_value_[*pending_]) {
      *error_ = std::string(kMissingArgument) + *pending_;
      return false;
    }
    pending_.reset();
    return true;
  }

  bool Unknown(const std::string& word) {
    *error_ = std::string(kUnrecognized) + word;
    return false;
  }

  const OptionSpec& spec_;
  ParsedOptions* parsed_;
  std::string* error_;
  std::optional<char> pending_;
  std::map<char, bool> has_value_;
  bool rest_are_args_ = false;
};

}  // namespace

bool ParseOptions(const OptionSpec& spec, const std::vector<std::string>& words,
                  ParsedOptions* parsed, std::string* error) {
  *parsed = ParsedOptions();
  return Parser(spec, parsed, error).Run(words);
}

}  // namespace zk::cli
