#include "client/recipes/counter.h"

#include <charconv>

#include "protocol/path.h"

namespace zk::recipes {
namespace {

bool Parse(const std::string& text, int64_t* value) {
  if (text.empty()) {
    *value = 0;
    return true;
  }
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

Err SharedCounter::Ensure() {
  Err err = Read(nullptr, nullptr);
  if (err != Err::kNoNode) return err;
  err = EnsurePath(zk_, std::string(ParentPath(path_)));
  if (err != Err::kOk) return err;
  err = RetryOnConnectionLoss(zk_, [&] {
    return zk_.Create(path_, std::to_string(initial_), client::OpenAclUnsafe(),
                      CreateMode::kPersistent);
  });
  return err == Err::kNodeExists ? Err::kOk : err;
}

Err SharedCounter::Read(int64_t* value, int32_t* version) {
  std::string data;
  client::Stat stat;
  Err err = RetryOnConnectionLoss(zk_, [&] { return zk_.GetData(path_, &data, &stat); });
  if (err != Err::kOk) return err;
  int64_t parsed = 0;
  if (!Parse(data, &parsed)) return Err::kBadArguments;
  if (value != nullptr) *value = parsed;
  if (version != nullptr) *version = stat.version;
  return Err::kOk;
}

Err SharedCounter::Get(int64_t* value) {
  Err err = Read(value, nullptr);
  if (err == Err::kNoNode) {
    err = Ensure();
    if (err == Err::kOk) err = Read(value, nullptr);
  }
  return err;
}

Err SharedCounter::Add(int64_t delta, int64_t* result) {
  Err err = Ensure();
  if (err != Err::kOk) return err;
  while (true) {
    int64_t value = 0;
    int32_t version = 0;
    err = Read(&value, &version);
    if (err != Err::kOk) return err;
    const int64_t next = value + delta;
    err = zk_.SetData(path_, std::to_string(next), version);
    if (err == Err::kConnectionLoss) {
      // Did the write land? Exactly one version step with our value says yes.
      int64_t now_value = 0;
      int32_t now_version = 0;
      Err check = Read(&now_value, &now_version);
      if (check != Err::kOk) return check;
      if (now_version == version) continue;  // it did not: try again
      if (now_version == version + 1 && now_value == next)
        err = Err::kOk;
      else
        return Err::kConnectionLoss;
    }
    if (err == Err::kBadVersion) continue;
    if (err == Err::kOk && result != nullptr) *result = next;
    return err;
  }
}

Err SharedCounter::CompareAndSet(int64_t expected, int64_t value) {
  int64_t current = 0;
  int32_t version = 0;
  Err err = Read(&current, &version);
  if (err != Err::kOk) return err;
  if (current != expected) return Err::kBadVersion;
  return RetryOnConnectionLoss(zk_,
                               [&] { return zk_.SetData(path_, std::to_string(value), version); });
}

}  // namespace zk::recipes
