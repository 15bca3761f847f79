// TokenValidator: decides whether an incoming JWT (Authorization: Bearer, or ?token=) proves an identity
// (spec/client-protocol.md §8.1, §10.4). The server turns any error into 401 with the error's message as body.
//
// Order of checks, as in the reference:
//   1. structure and encoding (auth/jwt.h); alg must be ES256;
//   2. signature against this server's public key. The issuer is deliberately not compared with our own: the
//      server re-signs other issuers' claims as short-lived websocket tokens (token_issuer.h);
//   3. exp, only if present: rejected once now > exp + leeway (60 s, the reference library's default); no exp
//      means the token never expires, which is what minted anonymous tokens rely on; nbf and aud are not checked;
//   4. the claim rules of auth/claims.h (iss/sub present and short, iat an integer, hex_identity consistent).
// A token not signed by this server whose issuer is another party would be an OpenID Connect token; those need
// the issuer's published keys, which this validator does not fetch, so they are rejected with a message saying so.
//
// Thread-safety: immutable after construction; Validate may be called from any number of threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "auth/claims.h"
#include "auth/es256.h"
#include "sats/result.h"

namespace stdb::auth {

inline constexpr std::string_view kLocalIssuer = "localhost";

// A token that passed validation.
struct ValidatedToken {
  IdentityClaims claims;
  std::string payload_json;  // the decoded payload exactly as sent: the connection's credentials for modules
};

class TokenValidator {
 public:
  struct Options {
    std::string local_issuer = std::string(kLocalIssuer);
    int64_t expiry_leeway_seconds = 60;
  };

  explicit TokenValidator(Es256PublicKey local_key) : TokenValidator(std::move(local_key), Options()) {}
  TokenValidator(Es256PublicKey local_key, Options options)
      : local_key_(std::move(local_key)), options_(std::move(options)) {}

  // Validates against the system clock.
  Result<ValidatedToken> Validate(std::string_view token) const;
  // Validates as of `now_unix_seconds`. Every error message starts "Invalid token: ". Codes: kDecode for a
  // malformed token, kPermissionDenied for everything else (signature, algorithm, expiry, claims).
  Result<ValidatedToken> Validate(std::string_view token, int64_t now_unix_seconds) const;

  const Es256PublicKey& local_key() const { return local_key_; }

 private:
  Result<ValidatedToken> ValidateUnprefixed(std::string_view token, int64_t now_unix_seconds) const;

  Es256PublicKey local_key_;
  Options options_;
};

// Seconds since the Unix epoch from the system clock.
int64_t UnixNowSeconds();

}  // namespace stdb::auth
