#include "cli/json_pretty.h"

namespace stdb::cli {

namespace {

void Write(const sats::Json& json, int depth, std::string& out) {
  auto newline = [&](int d) {
    out += '\n';
    out.append(static_cast<size_t>(d) * 2, ' ');
  };
  switch (json.kind()) {
    case sats::Json::Kind::kArray: {
      if (json.items().empty()) {
        out += "[]";
        return;
      }
      out += '[';
      bool first = true;
      for (const auto& item : json.items()) {
        if (!first) out += ',';
        first = false;
        newline(depth + 1);
        Write(item, depth + 1, out);
      }
      newline(depth);
      out += ']';
      return;
    }
    case sats::Json::Kind::kObject: {
      if (json.members().empty()) {
        out += "{}";
        return;
      }
      out += '{';
      bool first = true;
      for (const auto& [key, value] : json.members()) {
        if (!first) out += ',';
        first = false;
        newline(depth + 1);
        sats::AppendJsonString(out, key);
        out += ": ";
        Write(value, depth + 1, out);
      }
      newline(depth);
      out += '}';
      return;
    }
    default:
      json.DumpTo(out);
      return;
  }
}

}  // namespace

std::string PrettyJson(const sats::Json& json) {
  std::string out;
  Write(json, 0, out);
  return out;
}

}  // namespace stdb::cli
