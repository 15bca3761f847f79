// Identity derivation: how SpacetimeDB turns a JWT's (issuer, subject) pair into a 32-byte Identity
// (spec/client-protocol.md §10.1). Every node must derive exactly the same bytes, or a client's identity would
// change between servers, so the scheme is fixed:
//
//   h1       = BLAKE3(issuer || "|" || subject)              (UTF-8, no escaping)
//   id_hash  = h1[0..26]                                      (26 bytes)
//   h2       = BLAKE3(0xC2 0x00 || id_hash)                   (28-byte input)
//   identity = 0xC2 0x00 || h2[0..4] || id_hash               (32 bytes, big-endian: hex starts "c200")
//
// The 0xC200 prefix and the embedded checksum let anyone recognise a claims-derived identity without the token.
//
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include "sats/special_types.h"

namespace stdb::auth {

// The identity of the JWT holder with these `iss` and `sub` claims.
sats::Identity IdentityFromClaims(std::string_view issuer, std::string_view subject);

// True if `identity` has the c200 prefix and a correct checksum, i.e. could have come from IdentityFromClaims.
bool HasClaimsIdentityChecksum(const sats::Identity& identity);

}  // namespace stdb::auth
