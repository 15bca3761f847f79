// Index keys: how column values become keys that sort in SATS order (spec/data-layer.md §1.4).
//
// Two key shapes exist:
//   U64    a single column whose type fits in 64 bits (bool, integers up to 64 bits, f32/f64, simple enums, and
//          one-field products of those such as Timestamp) maps to a uint64_t whose unsigned order is the SATS
//          order. These keys are compact and compare with one instruction (primary keys are usually this shape).
//   Bytes  everything else (strings, 128/256-bit integers, Identity, multi-column keys, sums, arrays) is encoded
//          in an order-preserving byte string compared with memcmp:
//            unsigned ints   big-endian                  signed ints   big-endian, sign bit flipped
//            floats          IEEE bits, sign-adjusted so negative < positive; -0 as +0; NaN above everything
//            string, bytes   each 0x00 byte as 00 FF, then the terminator 00 00
//            array           each element preceded by 01, then the terminator 00
//            product         fields concatenated (each field encoding is self-delimiting)
//            sum             tag byte, then the payload
//          Because every encoding is self-delimiting, comparing the concatenation of several columns compares
//          them lexicographically, and a key prefix (the first k columns) is a byte prefix of the full key.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sats/algebraic_type.h"
#include "sats/algebraic_value.h"
#include "sats/bsatn.h"

namespace stdb::table {

enum class KeyShape { kU64, kBytes };

// The key shape for an index over columns of these types.
KeyShape KeyShapeFor(const std::vector<sats::AlgebraicType>& key_types);
// True if a single value of `type` maps to a U64 key.
bool FitsU64Key(const sats::AlgebraicType& type);

// The U64 key of one value of `type` (FitsU64Key) given its BSATN bytes.
uint64_t U64Key(const sats::AlgebraicType& type, const uint8_t* bsatn);

// Appends the byte key of one BSATN value of `type` read from `r` (which must hold a valid value).
void AppendBytesKey(const sats::AlgebraicType& type, sats::bsatn::Reader& r, std::string& out);
// Appends the byte key of `value` (which must have type `type`).
void AppendBytesKey(const sats::AlgebraicType& type, const sats::AlgebraicValue& value, std::string& out);

}  // namespace stdb::table
