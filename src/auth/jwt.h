// JSON Web Tokens in compact serialization (RFC 7519 over RFC 7515), signed with ES256:
//
//   token = base64url(header JSON) "." base64url(payload JSON) "." base64url(signature)
//   signature = ES256 over the ASCII "signing input" (the first two segments and the dot), JOSE r||s, 64 bytes
//
// The header we write is exactly {"typ":"JWT","alg":"ES256"} (spec/client-protocol.md §10.2). This file handles
// only the envelope: structure, encoding and signature. What the claims mean (identity, expiry) is
// auth/claims.h and auth/token_validator.h.
//
// Verification accepts only alg "ES256": "none" and every other algorithm are rejected before any signature
// work, so a token cannot choose a weaker check than the key calls for.
//
// Thread-safety: pure functions; keys may be shared (see es256.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "auth/es256.h"
#include "sats/json.h"
#include "sats/result.h"

namespace stdb::auth {

// Longer tokens are rejected unparsed; real ones (including OIDC tokens with many claims) are a few KiB.
inline constexpr size_t kMaxJwtLength = 64 * 1024;

// A token split and decoded, signature not yet checked.
struct DecodedJwt {
  sats::Json header;          // a JSON object
  std::string algorithm;      // the header's "alg"
  std::string payload_json;   // the payload text exactly as signed (what modules receive as credentials)
  sats::Json payload;         // payload_json parsed; a JSON object
  std::string signing_input;  // "<header b64>.<payload b64>", the signed bytes
  std::vector<uint8_t> signature;
};

// Splits and decodes a compact JWT. Errors (kDecode) say which segment is malformed and how. Header and payload
// must be JSON objects without duplicate member names (duplicates would let two parsers disagree on a claim).
Result<DecodedJwt> DecodeJwt(std::string_view token);

// Decodes, requires alg "ES256" and checks the signature against `key`. Errors: kDecode for malformed tokens,
// kPermissionDenied for a wrong algorithm or a signature that does not match.
Result<DecodedJwt> VerifyEs256Jwt(std::string_view token, const Es256PublicKey& key);

// Signs `payload` (a JSON object) with the header {"typ":"JWT","alg":"ES256"}.
Result<std::string> SignEs256Jwt(const sats::Json& payload, const Es256KeyPair& key);

}  // namespace stdb::auth
