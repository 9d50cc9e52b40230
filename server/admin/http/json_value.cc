#include "server/admin/http/json_value.h"

#include <cstdio>

#include "server/admin/java_format.h"

namespace zk::admin::http {
namespace {

void NewLine(std::string* out, int indent) {
  out->push_back('\n');
  out->append(static_cast<size_t>(indent) * 2, ' ');
}

}  // namespace

JsonValue& JsonValue::Set(std::string key, JsonValue value) {
  if (std::holds_alternative<std::monostate>(value_)) value_ = Object{};
  Object& object = std::get<Object>(value_);
  for (auto& [k, v] : object) {
    if (k == key) {  // keeps the key's place, as a Java map's put does
      v = std::move(value);
      return *this;
    }
  }
  object.emplace_back(std::move(key), std::move(value));
  return *this;
}

JsonValue& JsonValue::Append(JsonValue value) {
  if (std::holds_alternative<std::monostate>(value_)) value_ = Array{};
  std::get<Array>(value_).push_back(std::move(value));
  return *this;
}

std::string JsonValue::Serialize() const {
  std::string out;
  Write(&out, 0);
  return out;
}

void JsonValue::Write(std::string* out, int indent) const {
  if (std::holds_alternative<std::monostate>(value_)) {
    out->append("null");
  } else if (const bool* b = std::get_if<bool>(&value_)) {
    out->append(*b ? "true" : "false");
  } else if (const int64_t* i = std::get_if<int64_t>(&value_)) {
    out->append(std::to_string(*i));
  } else if (const double* d = std::get_if<double>(&value_)) {
    // Jackson writes doubles as Java's Double.toString does; JSON has no
    // NaN or infinity, so those become null.
    out->append(*d == *d && *d - *d == 0 ? JavaDouble(*d) : "null");
  } else if (const std::string* s = std::get_if<std::string>(&value_)) {
    out->append(JsonQuote(*s));
  } else if (const Array* a = std::get_if<Array>(&value_)) {
    if (a->empty()) {
      out->append("[ ]");
      return;
    }
    out->append("[ ");
    for (size_t n = 0; n < a->size(); ++n) {
      if (n > 0) out->append(", ");
      (*a)[n].Write(out, indent);
    }
    out->append(" ]");
  } else if (const Object* o = std::get_if<Object>(&value_)) {
    if (o->empty()) {
      out->append("{ }");
      return;
    }
    out->push_back('{');
    for (size_t n = 0; n < o->size(); ++n) {
      if (n > 0) out->push_back(',');
      NewLine(out, indent + 1);
      out->append(JsonQuote((*o)[n].first));
      out->append(" : ");
      (*o)[n].second.Write(out, indent + 1);
    }
    NewLine(out, indent);
    out->push_back('}');
  }
}

std::string JsonQuote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof(escaped), "\\u%04x", static_cast<unsigned>(c));
          out += escaped;
        } else {
          out.push_back(c);  // UTF-8 passes through unchanged
        }
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace zk::admin::http
