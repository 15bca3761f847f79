// ConnectionId: the 128-bit id of one client connection (SATS Product{__connection_id__: U128}).
//
// Zero means "no connection" (scheduled calls, init); ReducerContext::connection_id is nullopt then. The text
// form is 32 hex digits of the big-endian number.
//
// Thread-safety: plain value.
#pragma once

#include <compare>
#include <cstdint>
#include <string>

#include "spacetimedb/bsatn/traits.h"
#include "spacetimedb/types/wide_int.h"

namespace SpacetimeDB {

struct ConnectionId {
  u128 id;

  ConnectionId() = default;
  explicit ConnectionId(uint64_t low_bits) : id(low_bits) {}
  explicit ConnectionId(const u128& value) : id(value) {}

  bool is_zero() const { return id.is_zero(); }
  std::string to_hex_string() const;
  std::string to_string() const { return to_hex_string(); }

  bool operator==(const ConnectionId&) const = default;
  std::strong_ordering operator<=>(const ConnectionId& o) const { return id <=> o.id; }
};

}  // namespace SpacetimeDB

namespace SpacetimeDB::bsatn {
template <>
struct bsatn_traits<ConnectionId> {
  static void serialize(Writer& w, const ConnectionId& v) { bsatn::serialize(w, v.id); }
  static ConnectionId deserialize(Reader& r) { return ConnectionId(bsatn::deserialize<u128>(r)); }
  static AlgebraicType algebraic_type() {
    return AlgebraicType::special("__connection_id__", AlgebraicType::U128());
  }
};
}  // namespace SpacetimeDB::bsatn
