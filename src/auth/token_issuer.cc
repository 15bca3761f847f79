#include "auth/token_issuer.h"

#include "auth/identity.h"
#include "auth/jwt.h"
#include "auth/secure_random.h"

namespace stdb::auth {

Result<IssuedToken> TokenIssuer::MintAnonymous(int64_t now_unix_seconds) const {
  STDB_ASSIGN_OR_RETURN(sats::Uuid subject, RandomUuidV4());
  IdentityClaims claims;
  claims.issuer = issuer_;
  claims.subject = subject.ToString();
  claims.audience = {std::string(kAnonymousAudience)};
  claims.issued_at = now_unix_seconds;
  return Sign(std::move(claims));
}

Result<IssuedToken> TokenIssuer::ReissueShortLived(const IdentityClaims& caller, int64_t now_unix_seconds,
                                                   int64_t lifetime_seconds) const {
  IdentityClaims claims = caller;
  claims.issued_at = now_unix_seconds;
  claims.expires_at = now_unix_seconds + lifetime_seconds;
  return Sign(std::move(claims));
}

Result<IssuedToken> TokenIssuer::Sign(IdentityClaims claims) const {
  claims.identity = IdentityFromClaims(claims.issuer, claims.subject);
  sats::Json payload = claims.ToJson();
  // Refuse to mint what we would refuse to accept.
  STDB_RETURN_IF_ERROR([&]() -> Status {
    auto checked = ClaimsFromPayload(payload);
    if (!checked.ok()) return std::move(checked).error().Prefix("refusing to sign token");
    return OkStatus();
  }());
  STDB_ASSIGN_OR_RETURN(std::string token, SignEs256Jwt(payload, keys_));
  return IssuedToken{std::move(claims), std::move(token)};
}

}  // namespace stdb::auth
