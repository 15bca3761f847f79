// AlgebraicValue: a SATS value in memory, and the total order used by indexes and comparisons.
//
// A value is self-describing only up to its shape: it knows whether it is a product, a sum (tag + payload), an
// array, a string, a bool or a number of a given width, but not the field or variant names; those come from the
// AlgebraicType it is read or written with. Array<U8> is held compactly as a byte vector (Bytes).
//
// Rows in tables are not stored as AlgebraicValues (the table layer keeps them as BSATN bytes); AlgebraicValue is
// the currency of module definitions, SQL literals and results, JSON conversion and tests.
//
// Ordering (spec/data-layer.md §1.4): integers numerically, false < true, strings byte-wise, floats in a total order
// where -0 == +0 and NaN equals itself and is greater than every number, products lexicographically, sums by tag
// then payload, arrays lexicographically with a shorter prefix first. Values of different kinds order by kind
// (only meaningful for values of the same type).
//
// Thread-safety: plain values; concurrent reads are safe.
#pragma once

#include <compare>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sats/wide_int.h"

namespace stdb::sats {

class AlgebraicValue;

struct ProductValue {
  std::vector<AlgebraicValue> elements;
};

struct ArrayValue {
  std::vector<AlgebraicValue> elements;
};

// Array<U8>.
struct BytesValue {
  std::vector<uint8_t> data;
};

struct SumValue {
  uint8_t tag = 0;
  std::unique_ptr<AlgebraicValue> payload;  // never null once constructed through AlgebraicValue::Sum
  SumValue() = default;
  SumValue(uint8_t t, AlgebraicValue v);
  SumValue(const SumValue& o);
  SumValue& operator=(const SumValue& o);
  SumValue(SumValue&&) noexcept = default;
  SumValue& operator=(SumValue&&) noexcept = default;
  ~SumValue();
};

class AlgebraicValue {
 public:
  // The order of alternatives is the order of kinds used when comparing values of different kinds.
  using Storage = std::variant<bool, int8_t, uint8_t, int16_t, uint16_t, int32_t, uint32_t, int64_t, uint64_t, i128,
                               u128, sats::I256, sats::U256, float, double, std::string, BytesValue, ArrayValue, ProductValue,
                               SumValue>;
  enum class Kind : uint8_t {
    kBool, kI8, kU8, kI16, kU16, kI32, kU32, kI64, kU64, kI128, kU128, kI256, kU256, kF32, kF64,
    kString, kBytes, kArray, kProduct, kSum,
  };

  AlgebraicValue() : v_(ProductValue{}) {}  // unit
  template <typename T, typename = std::enable_if_t<std::is_constructible_v<Storage, T&&> &&
                                                    !std::is_same_v<std::decay_t<T>, AlgebraicValue> &&
                                                    !std::is_same_v<std::decay_t<T>, const char*>>>
  explicit AlgebraicValue(T&& v) : v_(std::forward<T>(v)) {}

  static AlgebraicValue Bool(bool b) { return AlgebraicValue(b); }
  static AlgebraicValue I8(int8_t v) { return AlgebraicValue(v); }
  static AlgebraicValue U8(uint8_t v) { return AlgebraicValue(v); }
  static AlgebraicValue I16(int16_t v) { return AlgebraicValue(v); }
  static AlgebraicValue U16(uint16_t v) { return AlgebraicValue(v); }
  static AlgebraicValue I32(int32_t v) { return AlgebraicValue(v); }
  static AlgebraicValue U32(uint32_t v) { return AlgebraicValue(v); }
  static AlgebraicValue I64(int64_t v) { return AlgebraicValue(v); }
  static AlgebraicValue U64(uint64_t v) { return AlgebraicValue(v); }
  static AlgebraicValue I128(i128 v) { return AlgebraicValue(v); }
  static AlgebraicValue U128(u128 v) { return AlgebraicValue(v); }
  static AlgebraicValue I256(sats::I256 v) { return AlgebraicValue(v); }
  static AlgebraicValue U256(sats::U256 v) { return AlgebraicValue(v); }
  static AlgebraicValue F32(float v) { return AlgebraicValue(v); }
  static AlgebraicValue F64(double v) { return AlgebraicValue(v); }
  static AlgebraicValue String(std::string s) { return AlgebraicValue(std::move(s)); }
  static AlgebraicValue Bytes(std::vector<uint8_t> b) { return AlgebraicValue(BytesValue{std::move(b)}); }
  static AlgebraicValue Array(std::vector<AlgebraicValue> elems) { return AlgebraicValue(ArrayValue{std::move(elems)}); }
  static AlgebraicValue Product(std::vector<AlgebraicValue> elems) {
    return AlgebraicValue(ProductValue{std::move(elems)});
  }
  static AlgebraicValue Sum(uint8_t tag, AlgebraicValue payload) { return AlgebraicValue(SumValue(tag, std::move(payload))); }
  static AlgebraicValue Unit() { return AlgebraicValue(); }
  static AlgebraicValue OptionSome(AlgebraicValue v) { return Sum(0, std::move(v)); }
  static AlgebraicValue OptionNone() { return Sum(1, Unit()); }

  Kind kind() const { return static_cast<Kind>(v_.index()); }
  const Storage& storage() const { return v_; }
  Storage& storage() { return v_; }

  template <typename T>
  bool is() const { return std::holds_alternative<T>(v_); }
  template <typename T>
  const T& as() const { return std::get<T>(v_); }
  template <typename T>
  T& as() { return std::get<T>(v_); }

  bool AsBool() const { return as<bool>(); }
  const std::string& AsString() const { return as<std::string>(); }
  const ProductValue& AsProduct() const { return as<ProductValue>(); }
  ProductValue& AsProduct() { return as<ProductValue>(); }
  const SumValue& AsSum() const { return as<SumValue>(); }
  const ArrayValue& AsArray() const { return as<ArrayValue>(); }
  const std::vector<uint8_t>& AsBytes() const { return as<BytesValue>().data; }

  // Any integer of up to 64 bits, as i128 (covers both i64 and u64 ranges); false for other kinds.
  bool ToInt128(i128* out) const;

  bool IsUnit() const { return is<ProductValue>() && AsProduct().elements.empty(); }

  // Debug/error form: 42, "text", true, 0x0a0b (bytes), [1, 2], (1, "a"), (tag 1: ...).
  std::string ToString() const;

 private:
  Storage v_;
};

std::strong_ordering Compare(const AlgebraicValue& a, const AlgebraicValue& b);
inline bool operator==(const AlgebraicValue& a, const AlgebraicValue& b) { return Compare(a, b) == 0; }
inline std::strong_ordering operator<=>(const AlgebraicValue& a, const AlgebraicValue& b) { return Compare(a, b); }

// Hash consistent with equality (equal floats hash equally, -0 and +0 included).
uint64_t Hash(const AlgebraicValue& v);

struct AlgebraicValueHash {
  size_t operator()(const AlgebraicValue& v) const { return Hash(v); }
};

// Total order of floats as described above.
std::strong_ordering CompareF64(double a, double b);
std::strong_ordering CompareF32(float a, float b);

}  // namespace stdb::sats
