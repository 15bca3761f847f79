// SPACETIMEDB_ENUM: SATS sum types, in two forms.
//
//   SPACETIMEDB_ENUM(Color, Red, Green, Blue)
//     defines `enum class Color : uint8_t { Red, Green, Blue }`, a sum of unit variants; BSATN is the u8 tag.
//
//   SPACETIMEDB_ENUM(Shape, (Circle, double), (Square, Side), (Empty, std::monostate))
//     defines `struct Shape { std::variant<double, Side, std::monostate> value; ... }`, a tagged union: BSATN is
//     the u8 variant index followed by that variant's payload. The payload types must be distinct (a
//     std::variant requirement); SPACETIMEDB_UNIT_TYPE makes distinct unit payloads.
//     Construct from any payload (`Shape s = 2.0;`), inspect with s.index(), s.variant_name(), std::get or
//     std::visit on s.value.
//
// Both register a named sum in the typespace (variant names as written) and are written as Refs elsewhere.
// SPACETIMEDB_NAMESPACE(Type, "Ns") sets the type's scope to ["Ns"] ("A.B" gives ["A", "B"]), which client code
// generators use to group types.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <variant>

#include "spacetimedb/bsatn/traits.h"
#include "spacetimedb/internal/for_each.h"
#include "spacetimedb/internal/module_builder.h"
#include "spacetimedb/internal/preinit.h"

namespace SpacetimeDB::Internal {

// Reads the payload of variant `tag` of a std::variant; an out-of-range tag fails the reader.
template <typename Variant, size_t I = 0>
Variant DeserializeVariant(size_t tag, bsatn::Reader& reader) {
  if constexpr (I < std::variant_size_v<Variant>) {
    if (tag == I) {
      return Variant(std::in_place_index<I>, bsatn::deserialize<std::variant_alternative_t<I, Variant>>(reader));
    }
    return DeserializeVariant<Variant, I + 1>(tag, reader);
  } else {
    reader.fail();
    return Variant();
  }
}

// The sum type with the given variant names and the variant's alternative types.
template <typename Variant, size_t... I>
bsatn::AlgebraicType VariantSumType(const char* const* names, std::index_sequence<I...>) {
  bsatn::NamedTypeListBuilder variants;
  (variants.add(names[I], bsatn::algebraic_type_of<std::variant_alternative_t<I, Variant>>()), ...);
  return bsatn::AlgebraicType::make_sum(variants.build());
}

// "A.B" -> {"A", "B"}.
std::vector<std::string> SplitScope(std::string_view dotted);

}  // namespace SpacetimeDB::Internal

#define SPACETIMEDB_ENUM(Name, ...)                                                              \
  SPACETIMEDB_CONCAT(SPACETIMEDB_ENUM_FORM_, SPACETIMEDB_IS_PARENTHESIZED(SPACETIMEDB_FIRST_ARG(__VA_ARGS__))) \
  (Name, __VA_ARGS__)
#define SPACETIMEDB_ENUM_FORM_0 SPACETIMEDB_SIMPLE_ENUM
#define SPACETIMEDB_ENUM_FORM_1 SPACETIMEDB_TAGGED_ENUM

#define SPACETIMEDB_ENUM_NAME_STRING(Name, variant) #variant
#define SPACETIMEDB_ENUM_UNIT_VARIANT(Name, variant) .add(#variant, ::SpacetimeDB::bsatn::AlgebraicType::Unit())

#define SPACETIMEDB_SIMPLE_ENUM(Name, ...)                                                                    \
  enum class Name : uint8_t { __VA_ARGS__ };                                                                  \
  template <>                                                                                                 \
  struct SpacetimeDB::bsatn::bsatn_traits<Name> {                                                            \
    static constexpr const char* variant_names[] = {                                                          \
        SPACETIMEDB_FOR_EACH_SEP(SPACETIMEDB_ENUM_NAME_STRING, Name, __VA_ARGS__)};                           \
    static void serialize(::SpacetimeDB::bsatn::Writer& writer, Name value) {                                 \
      writer.write_u8(static_cast<uint8_t>(value));                                                           \
    }                                                                                                         \
    static Name deserialize(::SpacetimeDB::bsatn::Reader& reader) {                                           \
      const uint8_t tag = reader.read_u8();                                                                   \
      if (tag >= sizeof(variant_names) / sizeof(variant_names[0])) reader.fail();                            \
      return static_cast<Name>(tag);                                                                          \
    }                                                                                                         \
    static ::SpacetimeDB::bsatn::AlgebraicType algebraic_type() {                                            \
      return ::SpacetimeDB::Internal::RegisterNamedType<Name>(#Name, +[]() {                                  \
        return ::SpacetimeDB::bsatn::AlgebraicType::make_sum(                                                \
            ::SpacetimeDB::bsatn::NamedTypeListBuilder() SPACETIMEDB_FOR_EACH(SPACETIMEDB_ENUM_UNIT_VARIANT,  \
                                                                              Name, __VA_ARGS__)              \
                .build());                                                                                    \
      });                                                                                                     \
    }                                                                                                         \
  };

#define SPACETIMEDB_ENUM_PAIR_TYPE(Name, pair) SPACETIMEDB_ENUM_PAIR_SECOND pair
#define SPACETIMEDB_ENUM_PAIR_NAME(Name, pair) SPACETIMEDB_ENUM_PAIR_FIRST pair
#define SPACETIMEDB_ENUM_PAIR_FIRST(variant, type) #variant
#define SPACETIMEDB_ENUM_PAIR_SECOND(variant, type) type

#define SPACETIMEDB_TAGGED_ENUM(Name, ...)                                                                    \
  struct Name {                                                                                               \
    using variant_type = std::variant<SPACETIMEDB_FOR_EACH_SEP(SPACETIMEDB_ENUM_PAIR_TYPE, Name, __VA_ARGS__)>; \
    static constexpr const char* variant_names[] = {                                                          \
        SPACETIMEDB_FOR_EACH_SEP(SPACETIMEDB_ENUM_PAIR_NAME, Name, __VA_ARGS__)};                            \
    variant_type value;                                                                                       \
    Name() = default;                                                                                         \
    Name(const variant_type& v) : value(v) {}                                                                 \
    Name(variant_type&& v) : value(std::move(v)) {}                                                           \
    template <typename T, typename = std::enable_if_t<!std::is_same_v<std::decay_t<T>, Name> &&               \
                                                      !std::is_same_v<std::decay_t<T>, variant_type>>>        \
    Name(T&& payload) : value(std::forward<T>(payload)) {}                                                    \
    size_t index() const { return value.index(); }                                                            \
    const char* variant_name() const { return variant_names[value.index()]; }                                 \
    bool operator==(const Name&) const = default;                                                             \
  };                                                                                                          \
  template <>                                                                                                 \
  struct SpacetimeDB::bsatn::bsatn_traits<Name> {                                                            \
    static void serialize(::SpacetimeDB::bsatn::Writer& writer, const Name& e) {                              \
      writer.write_u8(static_cast<uint8_t>(e.value.index()));                                                 \
      std::visit([&writer](const auto& payload) { ::SpacetimeDB::bsatn::serialize(writer, payload); }, e.value); \
    }                                                                                                         \
    static Name deserialize(::SpacetimeDB::bsatn::Reader& reader) {                                           \
      const uint8_t tag = reader.read_u8();                                                                   \
      return Name(::SpacetimeDB::Internal::DeserializeVariant<Name::variant_type>(tag, reader));              \
    }                                                                                                         \
    static ::SpacetimeDB::bsatn::AlgebraicType algebraic_type() {                                            \
      return ::SpacetimeDB::Internal::RegisterNamedType<Name>(#Name, +[]() {                                  \
        return ::SpacetimeDB::Internal::VariantSumType<Name::variant_type>(                                   \
            Name::variant_names, std::make_index_sequence<std::variant_size_v<Name::variant_type>>());        \
      });                                                                                                     \
    }                                                                                                         \
  };

#define SPACETIMEDB_NAMESPACE(Type, scope_text)                                                               \
  SPACETIMEDB_PREINIT("__preinit__19_type_scope_" #Type, _spacetimedb_preinit_type_scope_##Type) {           \
    ::SpacetimeDB::Internal::ModuleBuilder::instance().SetTypeScope(#Type,                                    \
                                                                    ::SpacetimeDB::Internal::SplitScope(scope_text)); \
  }
