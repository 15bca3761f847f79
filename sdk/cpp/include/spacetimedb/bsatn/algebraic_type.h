// AlgebraicType: the SATS type of a module's values, as the module describes them to the host.
//
// A sum of 20 variants whose BSATN tag is the enumerator value below (spec/module-abi.md §5.2): Ref (an index
// into the module's typespace), Sum, Product, Array, String, Bool and the fixed-width numbers. Unit is the empty
// product. Option, ScheduleAt and the special types (Identity, ConnectionId, Timestamp, TimeDuration, Uuid) are
// ordinary sums and products that the host recognises by their variant and field names, so they are always
// written inline; user structs and enums live in the typespace and are referred to by Ref.
//
// Encoding: Ref = u32; Sum/Product = u32 count then {name: Option<String>, type} per variant or element (Option
// is tag 0 = some, tag 1 = none); Array = just the element type; primitives have no payload.
//
// Thread-safety: an immutable value; children are shared, so copies are cheap.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "spacetimedb/bsatn/writer.h"

namespace SpacetimeDB::bsatn {

enum class AlgebraicTypeTag : uint8_t {
  Ref = 0,
  Sum = 1,
  Product = 2,
  Array = 3,
  String = 4,
  Bool = 5,
  I8 = 6,
  U8 = 7,
  I16 = 8,
  U16 = 9,
  I32 = 10,
  U32 = 11,
  I64 = 12,
  U64 = 13,
  I128 = 14,
  U128 = 15,
  I256 = 16,
  U256 = 17,
  F32 = 18,
  F64 = 19,
};

class AlgebraicType;

// A product element or a sum variant: an optional name and a type.
struct NamedType {
  std::optional<std::string> name;
  std::shared_ptr<const AlgebraicType> type;
};

class AlgebraicType {
 public:
  // Unit (the empty product).
  AlgebraicType() : tag_(AlgebraicTypeTag::Product), members_(std::make_shared<std::vector<NamedType>>()) {}

  static AlgebraicType primitive(AlgebraicTypeTag tag) { return AlgebraicType(tag); }
  static AlgebraicType Bool() { return AlgebraicType(AlgebraicTypeTag::Bool); }
  static AlgebraicType String() { return AlgebraicType(AlgebraicTypeTag::String); }
  static AlgebraicType I8() { return AlgebraicType(AlgebraicTypeTag::I8); }
  static AlgebraicType U8() { return AlgebraicType(AlgebraicTypeTag::U8); }
  static AlgebraicType I16() { return AlgebraicType(AlgebraicTypeTag::I16); }
  static AlgebraicType U16() { return AlgebraicType(AlgebraicTypeTag::U16); }
  static AlgebraicType I32() { return AlgebraicType(AlgebraicTypeTag::I32); }
  static AlgebraicType U32() { return AlgebraicType(AlgebraicTypeTag::U32); }
  static AlgebraicType I64() { return AlgebraicType(AlgebraicTypeTag::I64); }
  static AlgebraicType U64() { return AlgebraicType(AlgebraicTypeTag::U64); }
  static AlgebraicType I128() { return AlgebraicType(AlgebraicTypeTag::I128); }
  static AlgebraicType U128() { return AlgebraicType(AlgebraicTypeTag::U128); }
  static AlgebraicType I256() { return AlgebraicType(AlgebraicTypeTag::I256); }
  static AlgebraicType U256() { return AlgebraicType(AlgebraicTypeTag::U256); }
  static AlgebraicType F32() { return AlgebraicType(AlgebraicTypeTag::F32); }
  static AlgebraicType F64() { return AlgebraicType(AlgebraicTypeTag::F64); }
  static AlgebraicType Unit() { return AlgebraicType(); }
  static AlgebraicType make_ref(uint32_t index) {
    AlgebraicType t(AlgebraicTypeTag::Ref);
    t.ref_ = index;
    return t;
  }
  static AlgebraicType make_array(AlgebraicType element) {
    AlgebraicType t(AlgebraicTypeTag::Array);
    t.members_ = std::make_shared<std::vector<NamedType>>(
        std::vector<NamedType>{NamedType{std::nullopt, std::make_shared<const AlgebraicType>(std::move(element))}});
    return t;
  }
  static AlgebraicType make_product(std::vector<NamedType> elements) {
    AlgebraicType t(AlgebraicTypeTag::Product);
    t.members_ = std::make_shared<std::vector<NamedType>>(std::move(elements));
    return t;
  }
  static AlgebraicType make_sum(std::vector<NamedType> variants) {
    AlgebraicType t(AlgebraicTypeTag::Sum);
    t.members_ = std::make_shared<std::vector<NamedType>>(std::move(variants));
    return t;
  }
  // Sum{some: T, none: ()}.
  static AlgebraicType option(AlgebraicType some);
  // Sum{ok: T, err: E}.
  static AlgebraicType result(AlgebraicType ok, AlgebraicType err);
  // A product with a single named element, the shape of every special type.
  static AlgebraicType special(const char* field_name, AlgebraicType field_type);

  AlgebraicTypeTag tag() const { return tag_; }
  bool is_ref() const { return tag_ == AlgebraicTypeTag::Ref; }
  bool is_product() const { return tag_ == AlgebraicTypeTag::Product; }
  bool is_sum() const { return tag_ == AlgebraicTypeTag::Sum; }
  bool is_array() const { return tag_ == AlgebraicTypeTag::Array; }
  bool is_unit() const { return is_product() && members_->empty(); }
  uint32_t ref() const { return ref_; }
  // Product elements or sum variants (empty for other kinds).
  const std::vector<NamedType>& members() const;
  // The element type of an Array.
  const AlgebraicType& element() const { return *members_->front().type; }

  void encode(Writer& w) const;

  bool operator==(const AlgebraicType& other) const;

 private:
  explicit AlgebraicType(AlgebraicTypeTag tag) : tag_(tag) {}

  AlgebraicTypeTag tag_;
  uint32_t ref_ = 0;
  std::shared_ptr<const std::vector<NamedType>> members_;
};

// Builds the elements of a product (or the variants of a sum) one at a time.
class NamedTypeListBuilder {
 public:
  NamedTypeListBuilder& add(std::optional<std::string> name, AlgebraicType type) {
    members_.push_back(NamedType{std::move(name), std::make_shared<const AlgebraicType>(std::move(type))});
    return *this;
  }
  std::vector<NamedType> build() { return std::move(members_); }

 private:
  std::vector<NamedType> members_;
};

// Encodes a product type on its own (the `params` of a reducer are a bare ProductType, not an AlgebraicType).
void encode_product_type(const std::vector<NamedType>& elements, Writer& w);

}  // namespace SpacetimeDB::bsatn
