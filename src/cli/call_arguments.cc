#include "cli/call_arguments.h"

#include <algorithm>
#include <cctype>

#include "sats/json.h"
#include "sats/sats_json.h"

namespace stdb::cli {

namespace {

std::string TypeName(const sats::AlgebraicType& type, const sats::Typespace* typespace) {
  if (type.IsRef() && typespace) {
    auto inlined = typespace->Inline(type);
    if (inlined.ok()) {
      if (inlined->IsIdentity()) return "Identity";
      if (inlined->IsConnectionId()) return "ConnectionId";
      if (inlined->IsTimestamp()) return "Timestamp";
      if (inlined->IsTimeDuration()) return "TimeDuration";
      return inlined->ToString();
    }
  }
  if (type.IsIdentity()) return "Identity";
  if (type.IsConnectionId()) return "ConnectionId";
  if (type.IsTimestamp()) return "Timestamp";
  if (type.IsTimeDuration()) return "TimeDuration";
  return type.ToString();
}

std::string ParamLabel(const CallSignature& sig, size_t i) {
  const auto& element = sig.params->elements[i];
  return (element.name ? *element.name + ": " : std::string()) + TypeName(element.type, sig.typespace);
}

bool IsHexIdentity(std::string_view text) {
  if (text.size() == 66 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) text.remove_prefix(2);
  return text.size() == 64 &&
         std::all_of(text.begin(), text.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

const sats::AlgebraicType& Resolved(const sats::AlgebraicType& type, const sats::Typespace* typespace) {
  if (type.IsRef() && typespace) {
    auto resolved = typespace->Resolve(type);
    if (resolved.ok()) return **resolved;
  }
  return type;
}

}  // namespace

std::string FormatSignature(const CallSignature& sig) {
  std::string out = sig.name + "(";
  if (sig.params)
    for (size_t i = 0; i < sig.params->elements.size(); ++i) out += (i ? ", " : "") + ParamLabel(sig, i);
  return out + ")";
}

Result<std::string> BuildCallArgumentsJson(const std::vector<std::string>& args, const CallSignature* sig) {
  std::string body = "[";
  if (sig && sig->params && args.size() != sig->params->elements.size()) {
    size_t expected = sig->params->elements.size();
    return Error(ErrorCode::kInvalidArgument,
                 "the " + sig->kind + " `" + sig->name + "` takes " + std::to_string(expected) +
                     (expected == 1 ? " argument" : " arguments") + " but " + std::to_string(args.size()) +
                     (args.size() == 1 ? " was" : " were") + " given; its signature is " + FormatSignature(*sig) +
                     " — pass one value per parameter");
  }
  for (size_t i = 0; i < args.size(); ++i) {
    std::string text = args[i];
    if (sig && sig->params) {
      const sats::AlgebraicType& type = Resolved(sig->params->elements[i].type, sig->typespace);
      if (type.IsString()) {
        auto parsed = sats::Json::Parse(text);
        if (!parsed.ok() || !parsed->is_string()) {
          std::string quoted;
          sats::AppendJsonString(quoted, text);
          text = quoted;
        }
      } else if (type.IsIdentity() && IsHexIdentity(text)) {
        std::string hex = text.size() == 66 ? text.substr(2) : text;
        text = "[\"0x" + hex + "\"]";
      }
      auto json = sats::Json::Parse(text);
      std::string problem;
      if (!json.ok()) {
        problem = "it is not valid JSON (" + json.error().message() + ")";
      } else {
        auto value = sats::sats_json::Read(sig->params->elements[i].type, *json, sig->typespace);
        if (!value.ok()) problem = value.error().message();
      }
      if (!problem.empty())
        return Error(ErrorCode::kInvalidArgument,
                     "argument " + std::to_string(i + 1) + " (" + ParamLabel(*sig, i) + ") of " + sig->kind + " `" +
                         sig->name + "` is not valid: '" + args[i] + "': " + problem +
                         " — give a JSON value of that type, e.g. 42, true, \"text\", [1, 2] or {\"some\": 1}");
    } else {
      auto json = sats::Json::Parse(text);
      if (!json.ok())
        return Error(ErrorCode::kInvalidArgument,
                     "argument " + std::to_string(i + 1) + " '" + text + "' is not valid JSON (" +
                         json.error().message() + ") — quote strings as JSON, e.g. '\"alice\"'");
    }
    if (i > 0) body += ", ";
    body += text;
  }
  return body + "]";
}

std::string ClosestName(std::string_view name, const std::vector<std::string>& candidates) {
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  std::string lname = lower(name);
  for (const auto& c : candidates)
    if (lower(c) == lname) return c;
  auto distance = [](const std::string& a, const std::string& b) {
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
      cur[0] = i;
      for (size_t j = 1; j <= b.size(); ++j)
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      std::swap(prev, cur);
    }
    return prev[b.size()];
  };
  size_t limit = std::max<size_t>(name.size(), 3) / 3;
  std::string best;
  size_t best_distance = limit + 1;
  for (const auto& c : candidates) {
    size_t d = distance(lname, lower(c));
    if (d <= limit && d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

}  // namespace stdb::cli
