// Scalars: comparing column values in their BSATN encoding, without decoding them into AlgebraicValues.
//
// Every comparable SQL type (literal.h: bools, integers up to 256 bits, floats, strings, bytes, and Identity,
// ConnectionId, Timestamp, Uuid, whose BSATN is that of their single field) is one ScalarKind. Comparisons follow
// the SATS order of spec/data-layer.md §1.4: integers numerically, false < true, strings and bytes byte-wise
// (shorter prefix first), floats in the total order where -0 == +0 and NaN equals itself above everything.
// Rows are stored as BSATN, so a filter reads the column's bytes straight out of the row and compares them with
// the literal's bytes, encoded once when the plan is made.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

#include "sats/algebraic_type.h"
#include "sats/bsatn.h"

namespace stdb::sql {

enum class ScalarKind : uint8_t {
  kBool, kI8, kU8, kI16, kU16, kI32, kU32, kI64, kU64, kI128, kU128, kI256, kU256, kF32, kF64, kString, kBytes,
};

// The kind of a comparable type (special types unwrap to their field), or nullopt.
std::optional<ScalarKind> ScalarKindOf(const sats::AlgebraicType& type);

// -1, 0 or 1 as `a` is less than, equal to or greater than `b`; both are the BSATN of one value of `kind`.
int CompareScalars(ScalarKind kind, sats::ByteSpan a, sats::ByteSpan b);

// Equality; for every kind but floats this is byte equality.
inline bool EqualScalars(ScalarKind kind, sats::ByteSpan a, sats::ByteSpan b) {
  if (kind == ScalarKind::kF32 || kind == ScalarKind::kF64) return CompareScalars(kind, a, b) == 0;
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);
}

// Appends bytes that are equal exactly when the values are equal (floats: -0 as +0, one NaN), for hash keys.
void AppendHashKey(ScalarKind kind, sats::ByteSpan value, std::string& out);

}  // namespace stdb::sql
