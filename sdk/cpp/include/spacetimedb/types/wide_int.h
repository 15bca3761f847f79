// 128- and 256-bit integers: SpacetimeDB::u128, i128, u256, i256 (SATS U128, I128, U256, I256).
//
// u128/i128 are two 64-bit halves (`low`, `high`) so they need no compiler extension; u256/i256 are 32
// little-endian bytes (`data`). BSATN writes all four little-endian, 16 or 32 bytes. Ordering is numeric
// (two's complement for the signed ones), which is the order btree indexes use, so the types work as index keys
// and in range queries. to_string() gives the decimal form.
//
// Thread-safety: plain values.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <string>

#include "spacetimedb/bsatn/traits.h"

namespace SpacetimeDB {

struct u128 {
  uint64_t low = 0;
  uint64_t high = 0;

  constexpr u128() = default;
  constexpr u128(uint64_t low_bits) : low(low_bits) {}  // NOLINT: implicit, like an integer promotion
  constexpr u128(uint64_t high_bits, uint64_t low_bits) : low(low_bits), high(high_bits) {}
  static constexpr u128 from_u64(uint64_t high_bits, uint64_t low_bits) { return u128(high_bits, low_bits); }

  constexpr bool is_zero() const { return low == 0 && high == 0; }
  constexpr bool operator==(const u128&) const = default;
  constexpr std::strong_ordering operator<=>(const u128& o) const {
    if (high != o.high) return high <=> o.high;
    return low <=> o.low;
  }
  std::string to_string() const;
};

struct i128 {
  uint64_t low = 0;
  int64_t high = 0;

  constexpr i128() = default;
  constexpr i128(int64_t value) : low(static_cast<uint64_t>(value)), high(value < 0 ? -1 : 0) {}  // NOLINT
  constexpr i128(int64_t high_bits, uint64_t low_bits) : low(low_bits), high(high_bits) {}
  static constexpr i128 from_i64(int64_t high_bits, uint64_t low_bits) { return i128(high_bits, low_bits); }

  constexpr bool is_zero() const { return low == 0 && high == 0; }
  constexpr bool is_negative() const { return high < 0; }
  constexpr bool operator==(const i128&) const = default;
  constexpr std::strong_ordering operator<=>(const i128& o) const {
    if (high != o.high) return high <=> o.high;
    return low <=> o.low;
  }
  std::string to_string() const;
};

// 32 little-endian bytes; the signed flavour differs only in ordering and decimal form.
template <bool Signed>
struct WideInt256 {
  std::array<uint8_t, 32> data{};

  constexpr WideInt256() = default;
  // From four 64-bit words, most significant first.
  constexpr WideInt256(uint64_t word3, uint64_t word2, uint64_t word1, uint64_t word0) {
    const uint64_t words[4] = {word0, word1, word2, word3};
    for (int w = 0; w < 4; ++w)
      for (int i = 0; i < 8; ++i) data[w * 8 + i] = static_cast<uint8_t>(words[w] >> (8 * i));
  }
  explicit WideInt256(const uint8_t* little_endian_bytes) { std::memcpy(data.data(), little_endian_bytes, 32); }

  // Sign- (for i256) or zero-extended from a 64-bit value.
  static constexpr WideInt256 from_u64(uint64_t v) { return WideInt256(0, 0, 0, v); }
  static constexpr WideInt256 from_i64(int64_t v) {
    const uint64_t fill = v < 0 ? ~uint64_t{0} : 0;
    return WideInt256(fill, fill, fill, static_cast<uint64_t>(v));
  }

  constexpr bool is_zero() const {
    for (uint8_t b : data)
      if (b) return false;
    return true;
  }
  constexpr bool is_negative() const { return Signed && (data[31] & 0x80); }
  constexpr bool operator==(const WideInt256&) const = default;
  constexpr std::strong_ordering operator<=>(const WideInt256& o) const {
    if (is_negative() != o.is_negative()) return is_negative() ? std::strong_ordering::less : std::strong_ordering::greater;
    for (int i = 31; i >= 0; --i)
      if (data[i] != o.data[i]) return data[i] <=> o.data[i];
    return std::strong_ordering::equal;
  }
  std::string to_string() const;
};

using u256 = WideInt256<false>;
using i256 = WideInt256<true>;

// Spellings used by the official SDK.
using U128 = u128;
using I128 = i128;
using U256 = u256;
using I256 = i256;

namespace detail {
// Decimal digits of a little-endian magnitude of `size` bytes (destroys the copy it is given).
std::string magnitude_to_decimal(uint8_t* little_endian, size_t size);
}  // namespace detail

template <bool Signed>
std::string WideInt256<Signed>::to_string() const {
  std::array<uint8_t, 32> magnitude = data;
  const bool negative = is_negative();
  if (negative) {  // two's complement negation
    unsigned carry = 1;
    for (auto& b : magnitude) {
      const unsigned v = static_cast<uint8_t>(~b) + carry;
      b = static_cast<uint8_t>(v);
      carry = v >> 8;
    }
  }
  std::string digits = detail::magnitude_to_decimal(magnitude.data(), magnitude.size());
  return negative ? "-" + digits : digits;
}

}  // namespace SpacetimeDB

namespace SpacetimeDB::bsatn {

template <>
struct bsatn_traits<u128> {
  static void serialize(Writer& w, const u128& v) {
    w.write_u64_le(v.low);
    w.write_u64_le(v.high);
  }
  static u128 deserialize(Reader& r) {
    const uint64_t low = r.read_u64_le();
    const uint64_t high = r.read_u64_le();
    return u128(high, low);
  }
  static AlgebraicType algebraic_type() { return AlgebraicType::U128(); }
};

template <>
struct bsatn_traits<i128> {
  static void serialize(Writer& w, const i128& v) {
    w.write_u64_le(v.low);
    w.write_i64_le(v.high);
  }
  static i128 deserialize(Reader& r) {
    const uint64_t low = r.read_u64_le();
    const int64_t high = r.read_i64_le();
    return i128(high, low);
  }
  static AlgebraicType algebraic_type() { return AlgebraicType::I128(); }
};

template <bool Signed>
struct bsatn_traits<WideInt256<Signed>> {
  static void serialize(Writer& w, const WideInt256<Signed>& v) { w.write_bytes(v.data.data(), 32); }
  static WideInt256<Signed> deserialize(Reader& r) {
    WideInt256<Signed> v;
    r.read_bytes(v.data.data(), 32);
    return v;
  }
  static AlgebraicType algebraic_type() { return Signed ? AlgebraicType::I256() : AlgebraicType::U256(); }
};

}  // namespace SpacetimeDB::bsatn
