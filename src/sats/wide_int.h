// 128- and 256-bit integers as SATS uses them (I128/U128/I256/U256), with exact text conversion.
//
// 128-bit values use the compiler's native __int128. 256-bit values are four little-endian 64-bit words; only
// the operations the database needs are provided: comparison, negation, conversion from/to smaller integers and
// from/to decimal and hexadecimal text (SQL literals, SATS-JSON "0x..." strings, display).
//
// Thread-safety: plain values.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stdb::sats {

using u128 = unsigned __int128;
using i128 = __int128;

// Unsigned 256-bit integer; w[0] is the least significant word.
struct U256 {
  std::array<uint64_t, 4> w{};
  static U256 FromU128(u128 v) { return U256{{uint64_t(v), uint64_t(v >> 64), 0, 0}}; }
  bool operator==(const U256&) const = default;
  std::strong_ordering operator<=>(const U256& o) const {
    for (int i = 3; i >= 0; --i)
      if (w[i] != o.w[i]) return w[i] <=> o.w[i];
    return std::strong_ordering::equal;
  }
  bool IsZero() const { return (w[0] | w[1] | w[2] | w[3]) == 0; }
};

// Signed 256-bit integer in two's complement; w[3]'s top bit is the sign.
struct I256 {
  std::array<uint64_t, 4> w{};
  static I256 FromI128(i128 v) {
    uint64_t ext = v < 0 ? ~uint64_t{0} : 0;
    return I256{{uint64_t(u128(v)), uint64_t(u128(v) >> 64), ext, ext}};
  }
  bool IsNegative() const { return (w[3] >> 63) != 0; }
  bool operator==(const I256&) const = default;
  std::strong_ordering operator<=>(const I256& o) const {
    if (IsNegative() != o.IsNegative()) return IsNegative() ? std::strong_ordering::less : std::strong_ordering::greater;
    for (int i = 3; i >= 0; --i)
      if (w[i] != o.w[i]) return w[i] <=> o.w[i];
    return std::strong_ordering::equal;
  }
};

// Two's complement negation (wraps for the minimum value).
U256 Negate(const U256& v);
inline I256 Negate(const I256& v) { return I256{Negate(U256{v.w}).w}; }

// Decimal text. Negative numbers get a leading '-'.
std::string ToDecimal(u128 v);
std::string ToDecimal(i128 v);
std::string ToDecimal(const U256& v);
std::string ToDecimal(const I256& v);

// "0x" + lowercase hex without leading zeros ("0x0" for zero); negative I256 as "-0x...".
std::string ToHex0x(const U256& v);
std::string ToHex0x(const I256& v);

// Parses an unsigned magnitude written in decimal ("123") or hex ("0x7b", case-insensitive). Returns nullopt on
// syntax errors and on overflow of 256 bits.
std::optional<U256> ParseU256Magnitude(std::string_view text);

// Narrowing helpers: nullopt when the value does not fit.
std::optional<u128> ToU128(const U256& v);
std::optional<i128> ToI128(const I256& v);

}  // namespace stdb::sats
