// bsatn::Reader reads BSATN primitives from a byte span (see writer.h for the layout).
//
// Modules are built without exceptions, so errors are sticky instead: the first read past the end (or a bad
// bool or sum tag) marks the reader failed, every later read returns a zero value, and the
// caller checks ok() once after decoding a whole value. The bytes come from the host (rows, reducer arguments),
// which validated them against the module's own types, so a failure means a schema mismatch, not hostile input.
//
// Thread-safety: single-threaded cursor over borrowed bytes.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace SpacetimeDB::bsatn {

class Reader {
 public:
  Reader(const uint8_t* data, size_t size) : p_(data), end_(data + size) {}
  explicit Reader(const std::vector<uint8_t>& bytes) : Reader(bytes.data(), bytes.size()) {}

  bool ok() const { return ok_; }
  // Marks the reader failed (used by decoders that find an invalid tag).
  void fail() {
    ok_ = false;
    p_ = end_;
  }
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }
  bool is_eos() const { return p_ == end_; }
  const uint8_t* cursor() const { return p_; }

  bool read_bool() {
    const uint8_t b = read_u8();
    if (b > 1) fail();
    return b == 1;
  }
  uint8_t read_u8() {
    uint8_t v = 0;
    read_bytes(&v, 1);
    return v;
  }
  int8_t read_i8() { return static_cast<int8_t>(read_u8()); }
  uint16_t read_u16_le() { return read_le<uint16_t>(); }
  uint32_t read_u32_le() { return read_le<uint32_t>(); }
  uint64_t read_u64_le() { return read_le<uint64_t>(); }
  int16_t read_i16_le() { return static_cast<int16_t>(read_le<uint16_t>()); }
  int32_t read_i32_le() { return static_cast<int32_t>(read_le<uint32_t>()); }
  int64_t read_i64_le() { return static_cast<int64_t>(read_le<uint64_t>()); }
  float read_f32_le() {
    const uint32_t bits = read_le<uint32_t>();
    float v;
    std::memcpy(&v, &bits, 4);
    return v;
  }
  double read_f64_le() {
    const uint64_t bits = read_le<uint64_t>();
    double v;
    std::memcpy(&v, &bits, 8);
    return v;
  }
  // u32 byte length, then the bytes.
  std::string read_string() {
    const uint32_t len = read_u32_le();
    if (!ok_ || len > remaining()) {
      fail();
      return {};
    }
    std::string s(reinterpret_cast<const char*>(p_), len);
    p_ += len;
    return s;
  }
  // Exactly `size` raw bytes into `out`; on a short read `out` is zero-filled and the reader fails.
  void read_bytes(void* out, size_t size) {
    if (size > remaining()) {
      std::memset(out, 0, size);
      fail();
      return;
    }
    if (size) std::memcpy(out, p_, size);
    p_ += size;
  }
  // Advances past `size` bytes without copying them.
  void skip(size_t size) {
    if (size > remaining()) {
      fail();
      return;
    }
    p_ += size;
  }

 private:
  template <typename U>
  U read_le() {
    uint8_t bytes[sizeof(U)] = {};
    read_bytes(bytes, sizeof(U));
    U v = 0;
    for (size_t i = 0; i < sizeof(U); ++i) v |= static_cast<U>(static_cast<U>(bytes[i]) << (8 * i));
    return v;
  }

  const uint8_t* p_;
  const uint8_t* end_;
  bool ok_ = true;
};

}  // namespace SpacetimeDB::bsatn
