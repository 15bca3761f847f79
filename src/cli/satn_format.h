// SATN: the human-readable text of SATS values that `spacetime sql` prints in its tables, reproducing the
// reference's psql formatting (crates/sats/src/satn.rs, PsqlClient::SpacetimeDB; spec/data-layer.md §1.6):
//
//   bool, integers    true, -25, 4378528978889 (128/256-bit in decimal too)
//   floats            Rust's Display: shortest round-trip digits, never an exponent: 594806.56, 1, -0, NaN, inf
//   String            "text" (quoted, not escaped)
//   Array<U8>         0x0102 (lowercase hex)
//   Identity, ConnectionId   0x + big-endian hex (64 / 32 digits)
//   Timestamp         RFC 3339: 1970-01-01T00:00:00+00:00
//   TimeDuration      +0.000000 (signed seconds with microseconds)
//   Uuid              "00000000-0000-0000-0000-000000000000"
//   product           (name = value, ...) with col_<i> for unnamed fields
//   sum               (variant = payload), unit payload (), unnamed variant col_<tag>: (some = true), (active = ())
//   other arrays      [a, b] — the reference prints the elements run together with no separator, which cannot be
//                     read back; we print them as a list instead.
// Whether a value is special (Identity, Timestamp, ...) is decided from the enclosing product and the field, as
// the reference does, so the same u256 prints in decimal as a plain column and in hex inside an Identity.
//
// Also here: Rust's `{:.2?}` rendering of a duration ("1.00ms"), used for SQL timing lines.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>

#include "sats/algebraic_type.h"
#include "sats/algebraic_value.h"

namespace stdb::cli {

// The text of column `column` of a row whose type is `row_type` (types must be inlined: no Refs).
std::string FormatPsqlCell(const sats::ProductType& row_type, size_t column, const sats::AlgebraicValue& value);

// Rust's Display of f64 / f32.
std::string FormatRustFloat(double value);
std::string FormatRustFloat(float value);

// Rust's `{:.2?}` of a Duration given in microseconds: "0.00ns", "12.00µs", "1.00ms", "1.50s".
std::string FormatDurationDebug(uint64_t micros);

}  // namespace stdb::cli
