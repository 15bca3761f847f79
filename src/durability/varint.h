// Protobuf base-128 varints, the encoding of the counts inside a commitlog Txdata record (tx_record.h):
// seven bits per byte, least-significant group first, the high bit set on every byte but the last.
//
// Decoding is written for hostile input: it never reads past the span, and rejects encodings longer than
// ten bytes or whose value does not fit in 64 bits. Non-minimal encodings (e.g. 0x80 0x00) are accepted,
// as the reference accepts them.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>

#include "sats/bsatn.h"
#include "sats/result.h"

namespace stdb::durability {

inline constexpr size_t kMaxVarintSize = 10;

// Appends the varint encoding of `value` to `out`.
void AppendVarint(uint64_t value, sats::Bytes& out);

// Number of bytes AppendVarint writes for `value`.
size_t VarintSize(uint64_t value);

// Decodes the varint that starts at data[*pos] and advances *pos past it. On error *pos is unchanged and
// the message names the position.
Result<uint64_t> DecodeVarint(sats::ByteSpan data, size_t* pos);

}  // namespace stdb::durability
