// Literal typing: turning the text of a SQL literal into a value of the type its context demands
// (spec/data-layer.md §4.3).
//
// A literal has no type of its own (except true/false); it takes the type of the column it is compared with or
// assigned to, and its text must then be a valid value of that type:
//   integers    decimal with optional sign, fraction and exponent, as long as the value is an exact integer
//               (1e3, 10.0, -0); or hexadecimal (0xff). Range-checked for the width, 256-bit included.
//   floats      decimal with optional exponent; 1e40 into an F32 gives infinity, as in the reference
//   String      the text itself;  Bool  true / false only
//   bytes       hex digits (0xABCD, X'ABCD'; in WHERE also '0xABCD' or 'ABCD')
//   Identity    64 hex digits, ConnectionId 32 hex digits, big-endian, optional 0x
//   Timestamp   RFC 3339 ('2025-02-10T15:45:30Z', '2025-02-10 15:45:30.123+02:00')
//   Uuid        the canonical 8-4-4-4-12 form
// In comparisons a number, string or hex literal may be used for any of these types (`u32col = '5'` is fine). In
// INSERT values and UPDATE assignments a quoted string is valid only for String columns and a bool only for
// Bool columns, like the reference.
//
// Unlike the reference, a hex literal compared with an integer column is read as hexadecimal (the reference reads
// the digits of 0x10 as decimal ten).
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "sats/algebraic_type.h"
#include "sats/algebraic_value.h"
#include "sats/result.h"
#include "sql/parser/ast.h"

namespace stdb::sql {

enum class LiteralContext {
  kComparison,  // WHERE / ON: any literal text for any supported type
  kAssignment,  // INSERT values, UPDATE SET: strings only for String, bools only for Bool
};

// The value of `literal` as a `type`, or an error naming the literal, the type, the reason and the position.
Result<sats::AlgebraicValue> LiteralToValue(const parser::Literal& literal, const sats::AlgebraicType& type,
                                            LiteralContext context);

// Parses an integer literal's text (sign, decimal with fraction/exponent, or 0x hex) into a value of the integer
// type `tag`. The error message says why ("not an integer", "out of range for U8").
Result<sats::AlgebraicValue> ParseIntegerText(const std::string& text, sats::TypeTag tag);

// True when values of `type` can be compared with = <> < <= > >= (bools, numbers, strings, bytes, Identity,
// ConnectionId, Timestamp, Uuid).
bool IsComparableType(const sats::AlgebraicType& type);

}  // namespace stdb::sql
