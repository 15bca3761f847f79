#include "cli/auth_token.h"

#include <string>

#include "auth/base64url.h"
#include "auth/identity.h"
#include "sats/json.h"

namespace stdb::cli {

Result<sats::Identity> IdentityOfToken(std::string_view token) {
  auto bad = [&](const std::string& why) {
    return Error(ErrorCode::kInvalidArgument,
                 "the saved token is not a valid JSON Web Token (" + why +
                     "); log in again with `spacetime logout` and `spacetime login --server-issued-login <server>`");
  };
  size_t first = token.find('.');
  size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (first == std::string_view::npos || second == std::string_view::npos ||
      token.find('.', second + 1) != std::string_view::npos)
    return bad("it does not have three dot-separated parts");
  std::string payload(token.substr(first + 1, second - first - 1));
  for (char& c : payload) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  while (!payload.empty() && payload.back() == '=') payload.pop_back();
  auto decoded = auth::Base64UrlDecodeToString(payload);
  if (!decoded.ok()) return bad("its payload is not base64");
  auto json = sats::Json::Parse(*decoded);
  if (!json.ok() || !json->is_object()) return bad("its payload is not a JSON object");
  if (const sats::Json* hex = json->Find("hex_identity"); hex && hex->is_string()) {
    auto identity = sats::Identity::FromHex(hex->text());
    if (!identity) return bad("its hex_identity claim is not 64 hex digits");
    return *identity;
  }
  const sats::Json* iss = json->Find("iss");
  const sats::Json* sub = json->Find("sub");
  if (!iss || !sub || !iss->is_string() || !sub->is_string()) return bad("it has no iss and sub claims");
  return auth::IdentityFromClaims(iss->text(), sub->text());
}

}  // namespace stdb::cli
