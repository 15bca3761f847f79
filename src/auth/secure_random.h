// Unpredictable values from OpenSSL's CSPRNG (RAND_bytes): subjects of anonymous identities and connection ids
// must not be guessable, because knowing one is half of impersonating its holder.
//
// Thread-safety: safe from any thread (OpenSSL 3's default RNG is thread-safe).
#pragma once

#include <cstdint>
#include <span>

#include "sats/result.h"
#include "sats/special_types.h"

namespace stdb::auth {

// Fills `out` with random bytes; kInternal if the RNG is not seeded or fails.
Status FillSecureRandom(std::span<uint8_t> out);

// A random (version 4, RFC 9562 variant) UUID: 122 random bits.
Result<sats::Uuid> RandomUuidV4();

}  // namespace stdb::auth
