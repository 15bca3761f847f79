// Where an HTTP or WebSocket request carries its token (spec/client-protocol.md §8.1):
//
//   Authorization: Bearer <jwt>    takes precedence
//   ?token=<jwt>                   otherwise (browsers cannot set headers on a WebSocket upgrade)
//   neither                        anonymous: the server mints a fresh identity (token_issuer.h)
//
// An Authorization header that is present but is not a Bearer credential is a malformed request: the reference
// answers 400 "Authorization is invalid: malformed token" (an invalid token, by contrast, is a 401 from
// TokenValidator).
//
// Thread-safety: pure function.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sats/result.h"

namespace stdb::auth {

inline constexpr std::string_view kMalformedAuthorizationMessage = "Authorization is invalid: malformed token";

// The token the request offers, or nullopt if none. `token_query_param` is the already URL-decoded value of
// ?token=, if present. Error: kInvalidArgument with kMalformedAuthorizationMessage.
Result<std::optional<std::string>> TokenFromRequest(std::optional<std::string_view> authorization_header,
                                                    std::optional<std::string_view> token_query_param);

}  // namespace stdb::auth
