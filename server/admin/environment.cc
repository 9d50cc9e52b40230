#include "server/admin/environment.h"

#include <pwd.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <climits>
#include <filesystem>

namespace zk::admin {
namespace {

// Java's os.arch names the x86-64 architecture "amd64".
std::string JavaArch(const std::string& machine) {
  if (machine == "x86_64") return "amd64";
  if (machine == "i686" || machine == "i386") return "x86";
  return machine;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> ProcessEnvironment() {
  std::vector<std::pair<std::string, std::string>> env;
  char host[HOST_NAME_MAX + 1] = {};
  env.emplace_back("host.name", gethostname(host, sizeof(host)) == 0 ? host : "<NA>");
  utsname uts{};
  if (uname(&uts) == 0) {
    env.emplace_back("os.name", uts.sysname);
    env.emplace_back("os.arch", JavaArch(uts.machine));
    env.emplace_back("os.version", uts.release);
  }
  passwd pw{};
  passwd* found = nullptr;
  char buf[4096];
  if (getpwuid_r(geteuid(), &pw, buf, sizeof(buf), &found) == 0 && found != nullptr) {
    env.emplace_back("user.name", found->pw_name);
    env.emplace_back("user.home", found->pw_dir);
  }
  std::error_code ec;
  std::filesystem::path cwd = std::filesystem::current_path(ec);
  env.emplace_back("user.dir", ec ? "<NA>" : cwd.string());
  return env;
}

}  // namespace zk::admin
