// The identity inside a SpacetimeDB login token, read without verifying the signature (the CLI only needs to
// show who it is logged in as and to list that identity's databases; the server verifies the token).
//
// A token is a JWT "header.payload.signature"; the payload is base64url JSON (the reference CLI decodes it with
// the standard alphabet, so both are accepted, with or without padding). The identity is the payload's
// `hex_identity` when present, else derived from `iss` and `sub` (spec/client-protocol.md §10.1).
//
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include "sats/result.h"
#include "sats/special_types.h"

namespace stdb::cli {

Result<sats::Identity> IdentityOfToken(std::string_view token);

}  // namespace stdb::cli
