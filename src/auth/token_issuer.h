// TokenIssuer: mints the tokens this server signs (spec/client-protocol.md §9.2, §10.3).
//
//   * Anonymous identities (POST /v1/identity, connections and requests without credentials, new databases):
//     iss = the local issuer ("localhost"), sub = a random UUIDv4, aud = ["spacetimedb"], iat = now, exp = null,
//     so the token never expires; the identity is derived from iss and sub (auth/identity.h).
//   * Short-lived websocket tokens (POST /v1/identity/websocket-token): the caller's validated iss, sub, aud and
//     extra claims re-signed with our key, iat = now, exp = now + 60 s. The issuer is kept even when it is not
//     ours, which is why TokenValidator does not compare issuers for tokens our key signed.
// Payload member order and header are exactly the reference's (claims.h, jwt.h).
//
// Thread-safety: immutable after construction; all methods may be called concurrently.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "auth/claims.h"
#include "auth/es256.h"
#include "auth/token_validator.h"
#include "sats/result.h"

namespace stdb::auth {

inline constexpr std::string_view kAnonymousAudience = "spacetimedb";
inline constexpr int64_t kWebsocketTokenLifetimeSeconds = 60;

struct IssuedToken {
  IdentityClaims claims;
  std::string token;
};

class TokenIssuer {
 public:
  explicit TokenIssuer(Es256KeyPair keys, std::string issuer = std::string(kLocalIssuer))
      : keys_(std::move(keys)), issuer_(std::move(issuer)) {}

  // A new anonymous identity and its never-expiring token.
  Result<IssuedToken> MintAnonymous() const { return MintAnonymous(UnixNowSeconds()); }
  Result<IssuedToken> MintAnonymous(int64_t now_unix_seconds) const;

  // The websocket token for a caller whose token has been validated.
  Result<IssuedToken> ReissueShortLived(const IdentityClaims& caller) const {
    return ReissueShortLived(caller, UnixNowSeconds());
  }
  Result<IssuedToken> ReissueShortLived(const IdentityClaims& caller, int64_t now_unix_seconds,
                                        int64_t lifetime_seconds = kWebsocketTokenLifetimeSeconds) const;

  // Signs `claims` as given, except that the identity is recomputed from issuer and subject so a minted token
  // always passes the hex_identity check. Fails if issuer or subject break the claim rules.
  Result<IssuedToken> Sign(IdentityClaims claims) const;

  const std::string& issuer() const { return issuer_; }
  const Es256PublicKey& public_key() const { return keys_.public_key(); }

 private:
  Es256KeyPair keys_;
  std::string issuer_;
};

}  // namespace stdb::auth
