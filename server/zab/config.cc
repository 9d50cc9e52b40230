#include "server/zab/config.h"

#include <algorithm>

namespace zk::zab {

bool Config::IsVoter(ServerId sid) const {
  return std::find(voters.begin(), voters.end(), sid) != voters.end();
}

bool Config::IsObserver(ServerId sid) const {
  return std::find(observers.begin(), observers.end(), sid) != observers.end();
}

std::vector<ServerId> Config::Peers() const {
  std::vector<ServerId> out;
  for (ServerId v : voters) {
    if (v != id) out.push_back(v);
  }
  for (ServerId o : observers) {
    if (o != id) out.push_back(o);
  }
  return out;
}

}  // namespace zk::zab
