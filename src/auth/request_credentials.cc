#include "auth/request_credentials.h"

namespace stdb::auth {
namespace {

constexpr std::string_view kBearerScheme = "Bearer";

bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<std::optional<std::string>> TokenFromRequest(std::optional<std::string_view> authorization_header,
                                                    std::optional<std::string_view> token_query_param) {
  if (authorization_header.has_value()) {
    std::string_view value = TrimSpaces(*authorization_header);
    // The scheme name is case-insensitive (RFC 9110 §11.1); exactly one space separates it from the token.
    if (value.size() <= kBearerScheme.size() || value[kBearerScheme.size()] != ' ' ||
        !EqualsIgnoringAsciiCase(value.substr(0, kBearerScheme.size()), kBearerScheme)) {
      return Error(ErrorCode::kInvalidArgument, std::string(kMalformedAuthorizationMessage));
    }
    std::string_view token = TrimSpaces(value.substr(kBearerScheme.size() + 1));
    if (token.empty()) return Error(ErrorCode::kInvalidArgument, std::string(kMalformedAuthorizationMessage));
    return std::optional<std::string>(std::string(token));
  }
  if (token_query_param.has_value()) return std::optional<std::string>(std::string(*token_query_param));
  return std::optional<std::string>();
}

}  // namespace stdb::auth
