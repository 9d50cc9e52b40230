// A small JSON document model for the admin server's answers. Output
// follows Jackson's default pretty printer, which is what ZooKeeper's
// JettyAdminServer sends: `"key" : value`, two-space indents, members in
// insertion order.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace zk::admin::http {

class JsonValue {
 public:
  using Array = std::vector<JsonValue>;
  using Object = std::vector<std::pair<std::string, JsonValue>>;

  JsonValue() = default;  // null
  JsonValue(std::nullptr_t) {}
  JsonValue(bool value) : value_(value) {}
  JsonValue(int32_t value) : value_(static_cast<int64_t>(value)) {}
  JsonValue(int64_t value) : value_(value) {}
  JsonValue(double value) : value_(value) {}
  JsonValue(std::string value) : value_(std::move(value)) {}
  JsonValue(std::string_view value) : value_(std::string(value)) {}
  JsonValue(const char* value) : value_(std::string(value)) {}
  JsonValue(Array value) : value_(std::move(value)) {}
  JsonValue(Object value) : value_(std::move(value)) {}

  static JsonValue EmptyObject() { return JsonValue(Object{}); }
  static JsonValue EmptyArray() { return JsonValue(Array{}); }

  // Sets a member, replacing one of that name in place, else appending it;
  // this value must be an object (a null becomes one).
  JsonValue& Set(std::string key, JsonValue value);
  // Appends an element; this value must be an array (a null becomes one).
  JsonValue& Append(JsonValue value);

  std::string Serialize() const;

 private:
  void Write(std::string* out, int indent) const;

  std::variant<std::monostate, bool, int64_t, double, std::string, Array, Object> value_;
};

// `text` as a JSON string literal, quotes included.
std::string JsonQuote(std::string_view text);

}  // namespace zk::admin::http
