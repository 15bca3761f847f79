// BSATN: the binary encoding of SATS values and types (spec/data-layer.md §1.2).
//
// Layout, all integers little-endian, no self-description (the reader must know the type):
//   Bool            1 byte, 0 or 1
//   I8..U256        1, 2, 4, 8, 16 or 32 bytes
//   F32 / F64       IEEE-754 bits as u32 / u64
//   String          u32 byte length, then UTF-8 bytes
//   Array<T>        u32 element count, then each element (Array<U8> is u32 length + raw bytes)
//   Product         the fields in order, nothing else
//   Sum             u8 tag (variant index), then the variant's payload
// Types themselves are BSATN values of the AlgebraicType sum (tags in algebraic_type.h); Array's payload is just
// the element type, Product/Sum payloads are arrays of {name: Option<String>, algebraic_type}.
//
// Decoders are written for hostile input: every read is bounds-checked, lengths are checked against the bytes
// that remain before anything is allocated, strings are validated as UTF-8, bools and sum tags are range-checked,
// nesting depth is limited, and the top-level entry points reject trailing bytes. Errors say what was being read
// and at which offset.
//
// Thread-safety: Writer and Reader are single-threaded cursors; the free functions are reentrant.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sats/algebraic_type.h"
#include "sats/algebraic_value.h"
#include "sats/result.h"

namespace stdb::sats {

using Bytes = std::vector<uint8_t>;
using ByteSpan = std::span<const uint8_t>;

inline ByteSpan AsBytes(std::string_view s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

namespace bsatn {

// Maximum nesting of products, sums and arrays inside one value or type.
inline constexpr int kMaxDepth = 256;
// Maximum element count of an array whose elements encode to zero bytes (e.g. Array<Unit>), which a length field
// could otherwise inflate without limit.
inline constexpr uint32_t kMaxZeroSizeElements = 1u << 20;

// Appends BSATN to a byte vector.
class Writer {
 public:
  explicit Writer(Bytes& out) : out_(out) {}
  void U8(uint8_t v) { out_.push_back(v); }
  void Bool(bool v) { out_.push_back(v ? 1 : 0); }
  void U16(uint16_t v) { Raw(&v, 2); }
  void U32(uint32_t v) { Raw(&v, 4); }
  void U64(uint64_t v) { Raw(&v, 8); }
  void I8(int8_t v) { Raw(&v, 1); }
  void I16(int16_t v) { Raw(&v, 2); }
  void I32(int32_t v) { Raw(&v, 4); }
  void I64(int64_t v) { Raw(&v, 8); }
  void U128(u128 v) { Raw(&v, 16); }
  void I128(i128 v) { Raw(&v, 16); }
  void U256(const sats::U256& v) { Raw(v.w.data(), 32); }
  void I256(const sats::I256& v) { Raw(v.w.data(), 32); }
  void F32(float v) { Raw(&v, 4); }
  void F64(double v) { Raw(&v, 8); }
  // u32 length + bytes.
  void String(std::string_view s) { LengthPrefixed(s.data(), s.size()); }
  void ByteArray(ByteSpan b) { LengthPrefixed(b.data(), b.size()); }
  void Raw(const void* p, size_t n) {
    size_t at = out_.size();
    out_.resize(at + n);
    if (n) std::memcpy(out_.data() + at, p, n);
  }
  size_t size() const { return out_.size(); }
  Bytes& buffer() { return out_; }

 private:
  void LengthPrefixed(const void* p, size_t n) {
    U32(static_cast<uint32_t>(n));
    Raw(p, n);
  }
  Bytes& out_;
};

// Reads BSATN from a byte span. Errors are sticky: after the first failure every read returns zero values and
// ok() is false; error() describes the first failure.
class Reader {
 public:
  explicit Reader(ByteSpan data) : begin_(data.data()), p_(data.data()), end_(data.data() + data.size()) {}

  bool ok() const { return error_.empty(); }
  const std::string& error_message() const { return error_; }
  Error error() const { return Error(ErrorCode::kDecode, "BSATN: " + error_); }
  size_t offset() const { return size_t(p_ - begin_); }
  size_t remaining() const { return size_t(end_ - p_); }
  bool at_end() const { return p_ == end_; }
  const uint8_t* cursor() const { return p_; }

  void Fail(std::string message);

  uint8_t U8() { return Fixed<uint8_t>("u8"); }
  int8_t I8() { return Fixed<int8_t>("i8"); }
  uint16_t U16() { return Fixed<uint16_t>("u16"); }
  int16_t I16() { return Fixed<int16_t>("i16"); }
  uint32_t U32() { return Fixed<uint32_t>("u32"); }
  int32_t I32() { return Fixed<int32_t>("i32"); }
  uint64_t U64() { return Fixed<uint64_t>("u64"); }
  int64_t I64() { return Fixed<int64_t>("i64"); }
  u128 U128() { return Fixed<u128>("u128"); }
  i128 I128() { return Fixed<i128>("i128"); }
  float F32() { return Fixed<float>("f32"); }
  double F64() { return Fixed<double>("f64"); }
  sats::U256 U256() {
    sats::U256 v;
    Take(v.w.data(), 32, "u256");
    return v;
  }
  sats::I256 I256() {
    sats::I256 v;
    Take(v.w.data(), 32, "i256");
    return v;
  }
  bool Bool();
  // u32 length + UTF-8 bytes (validated). The view points into the input.
  std::string_view StringView();
  std::string String() { return std::string(StringView()); }
  // u32 length + raw bytes. The span points into the input.
  ByteSpan ByteArray();
  // Exactly n raw bytes.
  ByteSpan Raw(size_t n, const char* what) {
    if (remaining() < n) [[unlikely]]
      return RawPastEnd(n, what);
    ByteSpan s(p_, n);
    p_ += n;
    return s;
  }
  // Reads a u32 element count and checks that `count * min_element_size` bytes remain.
  uint32_t ArrayLength(size_t min_element_size, const char* what);

 private:
  template <typename T>
  T Fixed(const char* what) {
    T v{};
    Take(&v, sizeof(T), what);
    return v;
  }
  void Take(void* out, size_t n, const char* what) {
    if (remaining() < n) [[unlikely]]
      return TakePastEnd(out, n, what);
    std::memcpy(out, p_, n);
    p_ += n;
  }
  // The failure paths, kept out of line so the inlined fast paths stay small.
  void TakePastEnd(void* out, size_t n, const char* what);
  ByteSpan RawPastEnd(size_t n, const char* what);

  const uint8_t* begin_;
  const uint8_t* p_;
  const uint8_t* end_;
  std::string error_;
};

// --- Values --------------------------------------------------------------------------------------------------
// Encodes a value; the value's own shape determines the bytes (no type needed).
void EncodeValue(const AlgebraicValue& value, Writer& w);
Bytes EncodeValue(const AlgebraicValue& value);

// Decodes one value of `type` (Refs resolved in `typespace`, which may be null when the type has none).
Result<AlgebraicValue> DecodeValue(const AlgebraicType& type, const Typespace* typespace, Reader& r);
// Decodes a whole buffer as one value; trailing bytes are an error.
Result<AlgebraicValue> DecodeValue(const AlgebraicType& type, ByteSpan bytes, const Typespace* typespace = nullptr);

// Validates one value of `type` at the reader's position without building it and advances past it.
Status SkipValue(const AlgebraicType& type, const Typespace* typespace, Reader& r);
// Validates that `bytes` hold exactly one value of `type`.
Status ValidateValue(const AlgebraicType& type, ByteSpan bytes, const Typespace* typespace = nullptr);
// The same for a product given as its ProductType (e.g. a reducer's parameters), without building an
// AlgebraicType for it.
Status ValidateProduct(const ProductType& type, ByteSpan bytes, const Typespace* typespace = nullptr);

// Checks that a value has the shape of `type` (kinds, arity, tags, nested), e.g. before encoding user input.
Status CheckValueType(const AlgebraicType& type, const AlgebraicValue& value, const Typespace* typespace = nullptr);

// --- Types ---------------------------------------------------------------------------------------------------
void EncodeType(const AlgebraicType& type, Writer& w);
Bytes EncodeType(const AlgebraicType& type);
void EncodeProductType(const ProductType& type, Writer& w);
void EncodeSumType(const SumType& type, Writer& w);
void EncodeTypespace(const Typespace& ts, Writer& w);

Result<AlgebraicType> DecodeType(Reader& r);
Result<AlgebraicType> DecodeType(ByteSpan bytes);  // whole buffer, no trailing bytes
Result<ProductType> DecodeProductType(Reader& r);
Result<SumType> DecodeSumType(Reader& r);
Result<Typespace> DecodeTypespace(Reader& r);

}  // namespace bsatn
}  // namespace stdb::sats
