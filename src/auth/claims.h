// The claims of a SpacetimeDB identity token, and the rules that turn a verified JWT payload into an identity
// (spec/client-protocol.md §10.1, §10.3, §10.4).
//
// Payload layout written by SpacetimeDB servers, in this member order (§10.3):
//   hex_identity  string, 64 lowercase hex digits, big-endian, no "0x": the identity derived from iss and sub
//   sub           string, the subject (a random UUIDv4 for anonymous identities)
//   iss           string, the issuer ("localhost" for a standalone server)
//   aud           array of strings (["spacetimedb"] for minted tokens); incoming tokens may use a single string
//   iat           integer seconds since the Unix epoch
//   exp           integer seconds since the Unix epoch, or null for no expiry
//   ...           any other claims, flattened into the same object
//
// Rules for incoming payloads: iss and sub required, non-empty strings of at most 128 bytes; iat required, an
// integer; exp absent, null or an integer; aud absent, a string or an array of strings; hex_identity absent,
// null or the 32 bytes (hex string or byte array) of exactly the identity derived from iss and sub.
// Expiry is not judged here because it needs a clock; see token_validator.h.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sats/json.h"
#include "sats/result.h"
#include "sats/special_types.h"

namespace stdb::auth {

inline constexpr size_t kMaxIssuerOrSubjectLen = 128;

struct IdentityClaims {
  sats::Identity identity;  // always IdentityFromClaims(issuer, subject)
  std::string issuer;
  std::string subject;
  std::vector<std::string> audience;
  int64_t issued_at = 0;              // iat
  std::optional<int64_t> expires_at;  // exp; nullopt = never expires
  std::vector<sats::Json::Member> extra;  // all other claims, in token order

  // The payload in the reference's member order (see above).
  sats::Json ToJson() const;
};

// Applies the rules above to a payload whose signature has been verified. Errors are kPermissionDenied with a
// message naming the claim at fault.
Result<IdentityClaims> ClaimsFromPayload(const sats::Json& payload);

}  // namespace stdb::auth
