#include "auth/token_validator.h"

#include <chrono>

#include "auth/jwt.h"

namespace stdb::auth {

int64_t UnixNowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<ValidatedToken> TokenValidator::Validate(std::string_view token) const {
  return Validate(token, UnixNowSeconds());
}

Result<ValidatedToken> TokenValidator::Validate(std::string_view token, int64_t now_unix_seconds) const {
  auto validated = ValidateUnprefixed(token, now_unix_seconds);
  if (!validated.ok()) return std::move(validated).error().Prefix("Invalid token");
  return validated;
}

Result<ValidatedToken> TokenValidator::ValidateUnprefixed(std::string_view token, int64_t now_unix_seconds) const {
  auto verified = VerifyEs256Jwt(token, local_key_);
  if (!verified.ok()) {
    if (verified.error().code() != ErrorCode::kPermissionDenied) return std::move(verified).error();
    // Well-formed but not ours. Say so when another issuer is named, since that is the case a user can act on.
    auto decoded = DecodeJwt(token);
    const sats::Json* iss = decoded.ok() ? decoded->payload.Find("iss") : nullptr;
    if (iss != nullptr && iss->is_string() && iss->text() != options_.local_issuer) {
      return Error(ErrorCode::kPermissionDenied,
                   verified.error().message() + "; the token was not signed by this server, and tokens from issuer \"" +
                       iss->text() + "\" would need OpenID Connect key discovery, which this server does not do");
    }
    return std::move(verified).error();
  }
  DecodedJwt jwt = std::move(verified).value();
  STDB_ASSIGN_OR_RETURN(IdentityClaims claims, ClaimsFromPayload(jwt.payload));
  if (claims.expires_at && *claims.expires_at < now_unix_seconds - options_.expiry_leeway_seconds) {
    return Error(ErrorCode::kPermissionDenied, "token expired (exp " + std::to_string(*claims.expires_at) + ", now " +
                                                   std::to_string(now_unix_seconds) + ", leeway " +
                                                   std::to_string(options_.expiry_leeway_seconds) + " s)");
  }
  return ValidatedToken{std::move(claims), std::move(jwt.payload_json)};
}

}  // namespace stdb::auth
