// Uuid: an RFC 4122/9562 UUID (SATS Product{__uuid__: U128}).
//
// The u128 is the big-endian reading of the 16 canonical bytes, so the numeric order is the byte order of the
// text form "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx". ReducerContext::new_uuid_v4/v7 make new ones from the
// call's deterministic RNG; v7 carries the call's millisecond timestamp and a 31-bit per-call counter:
//   bytes 0..5 unix_ts_ms (BE) | 6: version 7 | 7: counter[30:23] | 8: variant | 9..11: counter[22:0] << 1
//   | 12..15: random
//
// Thread-safety: plain value.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "spacetimedb/bsatn/traits.h"
#include "spacetimedb/types/timestamp.h"
#include "spacetimedb/types/wide_int.h"

namespace SpacetimeDB {

class Uuid {
 public:
  enum class Version { Nil, V4, V7, Max };

  Uuid() = default;
  explicit Uuid(u128 value) : value_(value) {}
  Uuid(uint64_t high, uint64_t low) : value_(high, low) {}

  static Uuid nil() { return Uuid(); }
  static Uuid max() { return Uuid(~uint64_t{0}, ~uint64_t{0}); }
  static Uuid from_u128(u128 value) { return Uuid(value); }
  static Uuid from_u64(uint64_t high, uint64_t low) { return Uuid(high, low); }
  static Uuid from_bytes_be(const std::array<uint8_t, 16>& bytes);
  // Sets the version and variant bits of 16 random bytes.
  static Uuid from_random_bytes_v4(const std::array<uint8_t, 16>& random_bytes);
  // Uses and advances `counter` (31 bits, wrapping).
  static Uuid from_counter_v7(uint32_t& counter, const Timestamp& now, const std::array<uint8_t, 4>& random_bytes);
  // "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", either case; nullopt if malformed.
  static std::optional<Uuid> parse_str(std::string_view text);

  u128 as_u128() const { return value_; }
  std::array<uint8_t, 16> to_bytes_be() const;
  // Nil, Max, V4 or V7 when the version bits say so, otherwise nullopt.
  std::optional<Version> get_version() const;
  std::string to_string() const;

  bool operator==(const Uuid&) const = default;
  std::strong_ordering operator<=>(const Uuid& o) const { return value_ <=> o.value_; }

 private:
  u128 value_;
};

}  // namespace SpacetimeDB

namespace SpacetimeDB::bsatn {
template <>
struct bsatn_traits<Uuid> {
  static void serialize(Writer& w, const Uuid& v) { bsatn::serialize(w, v.as_u128()); }
  static Uuid deserialize(Reader& r) { return Uuid(bsatn::deserialize<u128>(r)); }
  static AlgebraicType algebraic_type() { return AlgebraicType::special("__uuid__", AlgebraicType::U128()); }
};
}  // namespace SpacetimeDB::bsatn
