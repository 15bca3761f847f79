// Base64url (RFC 4648 §5) without padding, the encoding of every segment of a compact JWT (RFC 7515 §2).
//
// Decoding is strict, like the reference's JWT library: no '=' padding, no whitespace, only the URL-safe
// alphabet, and the unused low bits of the last character must be zero, so that every byte string has exactly
// one encoding and a token cannot be altered without changing its signed text.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sats/result.h"

namespace stdb::auth {

std::string Base64UrlEncode(std::span<const uint8_t> bytes);
std::string Base64UrlEncode(std::string_view bytes);

// Error (kDecode) names the first offending character and its position.
Result<std::vector<uint8_t>> Base64UrlDecode(std::string_view text);
Result<std::string> Base64UrlDecodeToString(std::string_view text);

}  // namespace stdb::auth
