// SATS-JSON: SATS values and types as JSON (spec/data-layer.md §1.5, client-protocol.md §1.1).
//
// Writing has two modes, both seen on the wire:
//   typed    (value + type known):  products as objects keyed by field name, sums as {"variant": payload},
//            a unit payload as {}
//   untyped  (value alone):         products as arrays, sums as [tag, payload], unit as []
// In both, integers up to 128 bits are JSON numbers (exact), 256-bit integers are "0x..." strings, byte arrays are
// lowercase hex strings without 0x, NaN and infinities are null.
//
// Reading is lenient like the reference: a product from an array (positional) or an object (every field once);
// a sum from {"name": v}, {"<tag>": v}, [tag|name, v], or null for an Option's none; bytes from a hex string or an
// array of numbers; 256-bit integers from "0x..." strings or numbers; Identity and ConnectionId also from a bare
// hex string, Timestamp also from an RFC 3339 string.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "sats/algebraic_type.h"
#include "sats/algebraic_value.h"
#include "sats/json.h"

namespace stdb::sats::sats_json {

// Appends the typed form. Refs are resolved through `typespace` (may be null when the type has none).
void WriteTyped(const AlgebraicType& type, const AlgebraicValue& value, std::string& out,
                const Typespace* typespace = nullptr);
std::string ToTypedJson(const AlgebraicType& type, const AlgebraicValue& value, const Typespace* typespace = nullptr);

// Appends the untyped form.
void WriteUntyped(const AlgebraicValue& value, std::string& out);
std::string ToUntypedJson(const AlgebraicValue& value);

// Reads a value of `type` from JSON.
Result<AlgebraicValue> Read(const AlgebraicType& type, const Json& json, const Typespace* typespace = nullptr);
Result<AlgebraicValue> Read(const AlgebraicType& type, std::string_view text, const Typespace* typespace = nullptr);

// Types: {"U32":[]}, {"Ref":5}, {"Array":{"U8":[]}}, {"Product":{"elements":[{"name":{"some":"x"},
// "algebraic_type":...}]}}, {"Sum":{"variants":[...]}}.
void WriteType(const AlgebraicType& type, std::string& out);
std::string TypeToJson(const AlgebraicType& type);
void WriteProductType(const ProductType& type, std::string& out);  // {"elements":[...]}
void WriteTypespace(const Typespace& typespace, std::string& out);  // {"types":[...]}
Result<AlgebraicType> ReadType(const Json& json);

// Number formatting shared with other JSON writers: shortest round-trip form, ".0" added to integral floats.
void AppendF64(std::string& out, double v);
void AppendF32(std::string& out, float v);

}  // namespace stdb::sats::sats_json
