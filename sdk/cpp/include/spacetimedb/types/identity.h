// Identity: the 256-bit identity of a client or database (SATS Product{__identity__: U256}).
//
// Stored as the 32 little-endian bytes BSATN uses; the text form is 64 hex digits of the big-endian number, the
// same string the CLI and clients show. Reducers get the caller's identity from ReducerContext::sender().
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
#include "spacetimedb/types/wide_int.h"

namespace SpacetimeDB {

class Identity {
 public:
  static constexpr size_t SIZE = 32;
  using ByteArray = std::array<uint8_t, SIZE>;

  Identity() = default;
  // From the little-endian bytes (the BSATN and ABI layout).
  Identity(const ByteArray& little_endian_bytes) : bytes_(little_endian_bytes) {}  // NOLINT: implicit as upstream
  static Identity from_u256(const u256& value) { return Identity(value.data); }
  // 64 hex digits, big-endian, optionally prefixed by "0x"; nullopt if malformed.
  static std::optional<Identity> from_hex(std::string_view hex);

  const ByteArray& get_bytes() const { return bytes_; }
  const ByteArray& to_byte_array() const { return bytes_; }
  u256 to_u256() const { return u256(bytes_.data()); }
  bool is_zero() const { return to_u256().is_zero(); }
  std::string to_hex_string() const;
  std::string to_string() const { return to_hex_string(); }

  bool operator==(const Identity&) const = default;
  std::strong_ordering operator<=>(const Identity& o) const { return to_u256() <=> o.to_u256(); }

 private:
  ByteArray bytes_{};
};

}  // namespace SpacetimeDB

namespace SpacetimeDB::bsatn {
template <>
struct bsatn_traits<Identity> {
  static void serialize(Writer& w, const Identity& v) { w.write_bytes(v.get_bytes().data(), Identity::SIZE); }
  static Identity deserialize(Reader& r) {
    Identity::ByteArray bytes;
    r.read_bytes(bytes.data(), bytes.size());
    return Identity(bytes);
  }
  static AlgebraicType algebraic_type() { return AlgebraicType::special("__identity__", AlgebraicType::U256()); }
};
}  // namespace SpacetimeDB::bsatn
