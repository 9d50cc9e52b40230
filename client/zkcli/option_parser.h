// Command option parsing with the rules of Apache commons-cli's DefaultParser,
// which zkCli.sh uses for every command: options may appear anywhere, "-sw"
// bundles flags, "-v5" and "-v 5" both give a value, a negative number is a
// value, "--" ends options.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zk::cli {

// One-letter options; a letter in `with_value` takes a value.
struct OptionSpec {
  std::string flags;
  std::string with_value;
};

struct ParsedOptions {
  // Words that are not options, in order; the command name is args[0].
  std::vector<std::string> args;
  // Present options and their first value (empty for flags).
  std::map<char, std::string> options;

  bool Has(char opt) const { return options.count(opt) != 0; }
  const std::string& Value(char opt) const { return options.at(opt); }
};

// On failure returns false and sets *error to the message zkCli.sh prints,
// e.g. "org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: -x".
bool ParseOptions(const OptionSpec& spec, const std::vector<std::string>& words,
                  ParsedOptions* parsed, std::string* error);

}  // namespace zk::cli
