// UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace stdb::sats {

bool IsValidUtf8(const uint8_t* data, size_t size);
inline bool IsValidUtf8(std::string_view s) { return IsValidUtf8(reinterpret_cast<const uint8_t*>(s.data()), s.size()); }

// Appends the UTF-8 encoding of a code point (caller guarantees it is a valid scalar value).
void AppendUtf8(std::string& out, uint32_t code_point);

}  // namespace stdb::sats
