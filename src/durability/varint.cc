#include "durability/varint.h"

#include <string>

namespace stdb::durability {

void AppendVarint(uint64_t value, sats::Bytes& out) {
  while (value >= 0x80) {
    out.push_back(static_cast<uint8_t>(value | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<uint8_t>(value));
}

size_t VarintSize(uint64_t value) {
  size_t n = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++n;
  }
  return n;
}

Result<uint64_t> DecodeVarint(sats::ByteSpan data, size_t* pos) {
  uint64_t value = 0;
  size_t at = *pos;
  for (size_t i = 0; i < kMaxVarintSize; ++i) {
    if (at + i >= data.size())
      return Error(ErrorCode::kDecode, "varint at offset " + std::to_string(*pos) + " is cut off by the end of input");
    uint8_t byte = data[at + i];
    // The tenth byte holds bit 63 only; anything more would not fit in 64 bits.
    if (i == kMaxVarintSize - 1 && byte > 1)
      return Error(ErrorCode::kDecode, "varint at offset " + std::to_string(*pos) + " overflows 64 bits");
    value |= uint64_t(byte & 0x7F) << (7 * i);
    if ((byte & 0x80) == 0) {
      *pos = at + i + 1;
      return value;
    }
  }
  return Error(ErrorCode::kDecode, "varint at offset " + std::to_string(*pos) + " is longer than 10 bytes");
}

}  // namespace stdb::durability
