// bsatn::Writer appends BSATN (spec/module-abi.md §4) to a byte vector.
//
// BSATN has no self-description: integers and floats are little-endian and fixed width, strings and arrays are a
// u32 length then the payload, products are their fields back to back, sums a u8 tag then the payload. The
// Writer only knows the primitive pieces; bsatn_traits<T> (traits.h) composes them for whole types.
//
// A Writer either owns its buffer or appends to one it was given, so callers can reuse a buffer across rows.
// Thread-safety: single-threaded.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace SpacetimeDB::bsatn {

class Writer {
 public:
  Writer() : out_(&owned_) {}
  explicit Writer(std::vector<uint8_t>& external) : out_(&external) {}
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  void write_bool(bool v) { out_->push_back(v ? 1 : 0); }
  void write_u8(uint8_t v) { out_->push_back(v); }
  void write_i8(int8_t v) { out_->push_back(static_cast<uint8_t>(v)); }
  void write_u16_le(uint16_t v) { write_le(v); }
  void write_u32_le(uint32_t v) { write_le(v); }
  void write_u64_le(uint64_t v) { write_le(v); }
  void write_i16_le(int16_t v) { write_le(static_cast<uint16_t>(v)); }
  void write_i32_le(int32_t v) { write_le(static_cast<uint32_t>(v)); }
  void write_i64_le(int64_t v) { write_le(static_cast<uint64_t>(v)); }
  void write_f32_le(float v) {
    uint32_t bits;
    std::memcpy(&bits, &v, 4);
    write_le(bits);
  }
  void write_f64_le(double v) {
    uint64_t bits;
    std::memcpy(&bits, &v, 8);
    write_le(bits);
  }
  // u32 byte length, then the bytes.
  void write_string(std::string_view s) {
    write_u32_le(static_cast<uint32_t>(s.size()));
    write_bytes(s.data(), s.size());
  }
  // Raw bytes, no length prefix.
  void write_bytes(const void* data, size_t size) {
    if (size == 0) return;
    const size_t at = out_->size();
    out_->resize(at + size);
    std::memcpy(out_->data() + at, data, size);
  }

  size_t size() const { return out_->size(); }
  std::vector<uint8_t>& buffer() { return *out_; }
  const std::vector<uint8_t>& get_buffer() const { return *out_; }
  std::vector<uint8_t> take_buffer() { return std::move(*out_); }

 private:
  template <typename U>
  void write_le(U v) {
    uint8_t bytes[sizeof(U)];
    for (size_t i = 0; i < sizeof(U); ++i) bytes[i] = static_cast<uint8_t>(v >> (8 * i));
    write_bytes(bytes, sizeof(U));
  }

  std::vector<uint8_t> owned_;
  std::vector<uint8_t>* out_;
};

}  // namespace SpacetimeDB::bsatn
