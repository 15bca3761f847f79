// AlgebraicType: the SATS type system (spec/data-layer.md §1.1).
//
// A type is a sum of 20 variants whose BSATN tag is the declaration index below: Ref (an index into a Typespace),
// Sum, Product, Array, String, Bool and the fixed-width numbers. Unit is the empty product, Never the empty sum.
// Option, Result, Identity, ConnectionId, Timestamp, TimeDuration, Uuid and ScheduleAt are ordinary products and
// sums recognised by their structure (§1.3); helpers here build and recognise them.
//
// AlgebraicType is an immutable value: composite types share their children through shared_ptr, so copying a
// type is cheap and a type may be read from any number of threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sats/result.h"

namespace stdb::sats {

enum class TypeTag : uint8_t {
  kRef = 0,
  kSum = 1,
  kProduct = 2,
  kArray = 3,
  kString = 4,
  kBool = 5,
  kI8 = 6,
  kU8 = 7,
  kI16 = 8,
  kU16 = 9,
  kI32 = 10,
  kU32 = 11,
  kI64 = 12,
  kU64 = 13,
  kI128 = 14,
  kU128 = 15,
  kI256 = 16,
  kU256 = 17,
  kF32 = 18,
  kF64 = 19,
};
inline constexpr uint8_t kTypeTagCount = 20;

// The reference's variant name of a tag ("U32", "Product", ...), as used in SATS-JSON.
std::string_view TypeTagName(TypeTag tag);

struct ProductType;
struct SumType;

class AlgebraicType {
 public:
  // A default-constructed type is Unit (the empty product).
  AlgebraicType();

  static AlgebraicType Primitive(TypeTag tag);  // String, Bool, integers, floats
  static AlgebraicType Bool() { return Primitive(TypeTag::kBool); }
  static AlgebraicType I8() { return Primitive(TypeTag::kI8); }
  static AlgebraicType U8() { return Primitive(TypeTag::kU8); }
  static AlgebraicType I16() { return Primitive(TypeTag::kI16); }
  static AlgebraicType U16() { return Primitive(TypeTag::kU16); }
  static AlgebraicType I32() { return Primitive(TypeTag::kI32); }
  static AlgebraicType U32() { return Primitive(TypeTag::kU32); }
  static AlgebraicType I64() { return Primitive(TypeTag::kI64); }
  static AlgebraicType U64() { return Primitive(TypeTag::kU64); }
  static AlgebraicType I128() { return Primitive(TypeTag::kI128); }
  static AlgebraicType U128() { return Primitive(TypeTag::kU128); }
  static AlgebraicType I256() { return Primitive(TypeTag::kI256); }
  static AlgebraicType U256() { return Primitive(TypeTag::kU256); }
  static AlgebraicType F32() { return Primitive(TypeTag::kF32); }
  static AlgebraicType F64() { return Primitive(TypeTag::kF64); }
  static AlgebraicType String() { return Primitive(TypeTag::kString); }
  static AlgebraicType Ref(uint32_t index);
  static AlgebraicType Array(AlgebraicType element);
  static AlgebraicType Product(ProductType product);
  static AlgebraicType Sum(SumType sum);

  static AlgebraicType Unit();   // empty product
  static AlgebraicType Never();  // empty sum
  static AlgebraicType Bytes() { return Array(U8()); }
  static AlgebraicType Option(AlgebraicType some);
  static AlgebraicType Result(AlgebraicType ok, AlgebraicType err);
  static AlgebraicType Identity();
  static AlgebraicType ConnectionId();
  static AlgebraicType Timestamp();
  static AlgebraicType TimeDuration();
  static AlgebraicType Uuid();
  static AlgebraicType ScheduleAt();

  TypeTag tag() const { return tag_; }
  bool IsRef() const { return tag_ == TypeTag::kRef; }
  bool IsProduct() const { return tag_ == TypeTag::kProduct; }
  bool IsSum() const { return tag_ == TypeTag::kSum; }
  bool IsArray() const { return tag_ == TypeTag::kArray; }
  bool IsString() const { return tag_ == TypeTag::kString; }
  bool IsBool() const { return tag_ == TypeTag::kBool; }
  bool IsInteger() const { return tag_ >= TypeTag::kI8 && tag_ <= TypeTag::kU256; }
  bool IsSignedInteger() const;
  bool IsFloat() const { return tag_ == TypeTag::kF32 || tag_ == TypeTag::kF64; }
  bool IsPrimitive() const { return tag_ >= TypeTag::kString; }

  uint32_t ref() const { return ref_; }
  const ProductType& product() const;      // requires IsProduct()
  const SumType& sum() const;              // requires IsSum()
  const AlgebraicType& element() const;    // requires IsArray()

  // Structural recognisers (§1.3).
  bool IsUnit() const;
  bool IsNever() const;
  bool IsBytes() const { return IsArray() && element().tag() == TypeTag::kU8; }
  bool IsOption() const;
  bool IsResult() const;
  bool IsIdentity() const;
  bool IsConnectionId() const;
  bool IsTimestamp() const;
  bool IsTimeDuration() const;
  bool IsUuid() const;
  bool IsScheduleAt() const;
  bool IsSpecial() const;      // one of Identity/ConnectionId/Timestamp/TimeDuration/Uuid
  bool IsSimpleEnum() const;   // a sum whose variants are all unit (and at least one)

  // The BSATN size if every value of this type has the same size (no strings, arrays or sums with payloads of
  // different sizes); Refs are not resolved and yield nullopt.
  std::optional<size_t> FixedBsatnSize() const;

  // Human-readable form for error messages: "U32", "String", "Array<U8>", "Option<String>", "(id: U32, ...)".
  std::string ToString() const;

  bool operator==(const AlgebraicType& other) const;

 private:
  struct Node;
  TypeTag tag_ = TypeTag::kProduct;
  uint32_t ref_ = 0;
  std::shared_ptr<const Node> node_;  // children of Product/Sum/Array
};

struct ProductTypeElement {
  std::optional<std::string> name;
  AlgebraicType type;
  bool operator==(const ProductTypeElement&) const = default;
};

struct ProductType {
  std::vector<ProductTypeElement> elements;
  ProductType() = default;
  explicit ProductType(std::vector<ProductTypeElement> e) : elements(std::move(e)) {}
  // Index of the element with this name, if any.
  std::optional<size_t> IndexOf(std::string_view name) const;
  bool operator==(const ProductType&) const = default;
};

struct SumTypeVariant {
  std::optional<std::string> name;
  AlgebraicType type;
  bool operator==(const SumTypeVariant&) const = default;
};

struct SumType {
  std::vector<SumTypeVariant> variants;
  SumType() = default;
  explicit SumType(std::vector<SumTypeVariant> v) : variants(std::move(v)) {}
  std::optional<size_t> IndexOf(std::string_view name) const;
  bool operator==(const SumType&) const = default;
};

// Shorthand for building named products: Product({{"id", U32()}, {"name", String()}}).
AlgebraicType NamedProduct(std::vector<std::pair<std::string, AlgebraicType>> fields);
AlgebraicType NamedSum(std::vector<std::pair<std::string, AlgebraicType>> variants);

// A list of types that Ref types index into (module definitions carry one).
struct Typespace {
  std::vector<AlgebraicType> types;

  // Follows Refs until a non-Ref type; fails on an index out of range or a cycle of Refs.
  Result<const AlgebraicType*> Resolve(const AlgebraicType& type) const;
  // Replaces every Ref inside `type` by its definition, recursively. Fails on recursive types (a type that contains
  // itself cannot be inlined) and on dangling refs.
  Result<AlgebraicType> Inline(const AlgebraicType& type) const;
  bool operator==(const Typespace&) const = default;
};

}  // namespace stdb::sats
