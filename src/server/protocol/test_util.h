// Helpers shared by the protocol tests (not part of the library).
//
// Thread-safety: pure functions.
#pragma once

#include <cctype>
#include <string>
#include <string_view>

#include "sats/bsatn.h"

namespace stdb::server::protocol::testing_util {

// Bytes from hex digits; spaces and other separators are ignored.
inline sats::Bytes Hex(std::string_view hex) {
  std::string clean;
  for (char c : hex)
    if (std::isxdigit(static_cast<unsigned char>(c))) clean.push_back(c);
  sats::Bytes out;
  for (size_t i = 0; i + 1 < clean.size(); i += 2) out.push_back(uint8_t(std::stoi(clean.substr(i, 2), nullptr, 16)));
  return out;
}

inline sats::Bytes Concat(std::initializer_list<sats::ByteSpan> parts) {
  sats::Bytes out;
  for (auto p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

inline sats::Bytes Str(std::string_view s) { return sats::Bytes(s.begin(), s.end()); }

}  // namespace stdb::server::protocol::testing_util
