// Standard output and error shared by the shell and the watcher thread;
// every write is whole and flushed, so event text never splits a line.
#pragma once

#include <mutex>
#include <string_view>

namespace zk::cli {

class Console {
 public:
  Console() = default;
  Console(const Console&) = delete;
  Console& operator=(const Console&) = delete;

  void Out(std::string_view text);
  void Err(std::string_view text);
  // text + "\n".
  void OutLine(std::string_view text);
  void ErrLine(std::string_view text);

 private:
  std::mutex mu_;
};

}  // namespace zk::cli
