#include "client/zkcli/console.h"

#include <cstdio>
#include <string>

namespace zk::cli {
namespace {

void Write(FILE* f, std::string_view text) {
  fwrite(text.data(), 1, text.size(), f);
  fflush(f);
}

}  // namespace

void Console::Out(std::string_view text) {
  std::lock_guard<std::mutex> lock(mu_);
  Write(stdout, text);
}

void Console::Err(std::string_view text) {
  std::lock_guard<std::mutex> lock(mu_);
  Write(stderr, text);
}

void Console::OutLine(std::string_view text) { Out(std::string(text) + "\n"); }

void Console::ErrLine(std::string_view text) { Err(std::string(text) + "\n"); }

}  // namespace zk::cli
