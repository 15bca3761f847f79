// SPACETIMEDB_STRUCT and the unit-type macros: make a plain C++ struct a SATS product type.
//
//   struct Person { uint32_t id; std::string name; std::optional<Address> address; };
//   SPACETIMEDB_STRUCT(Person, id, name, address);
//
// The listed fields, in that order, are the product's elements, the BSATN field order and the column order of
// any table of this type. The struct is registered in the module's typespace under its C++ name the first time
// it is used (by a table or a reducer), after the types it contains, with custom_ordering = true; elsewhere it
// is written as a Ref. The macro also specialises Internal::StructFields for column lookups.
// Use it at global scope, after the struct's definition; the struct must be default-constructible.
//
//   SPACETIMEDB_UNIT_STRUCT(Marker)   defines `struct Marker {}` as a named, empty product type
//   SPACETIMEDB_UNIT_TYPE(Foo)        defines `struct Foo {}` written inline as Unit, to give the variants of a
//                                     tagged enum distinct unit payloads (std::variant needs distinct types)
#pragma once

#include <compare>
#include <cstddef>
#include <variant>

#include "spacetimedb/bsatn/traits.h"
#include "spacetimedb/internal/for_each.h"
#include "spacetimedb/internal/module_builder.h"
#include "spacetimedb/internal/struct_fields.h"

#define SPACETIMEDB_STRUCT_FIELD_NAME(Type, field) #field
#define SPACETIMEDB_STRUCT_VISIT_FIELD(Type, field) visit(column++, value.field);
#define SPACETIMEDB_STRUCT_WRITE_FIELD(Type, field) ::SpacetimeDB::bsatn::serialize(writer, value.field);
#define SPACETIMEDB_STRUCT_READ_FIELD(Type, field) \
  value.field = ::SpacetimeDB::bsatn::deserialize<decltype(Type::field)>(reader);
#define SPACETIMEDB_STRUCT_ELEMENT(Type, field) \
  .add(#field, ::SpacetimeDB::bsatn::algebraic_type_of<decltype(Type::field)>())

#define SPACETIMEDB_STRUCT(Type, ...)                                                                          \
  template <>                                                                                                  \
  struct SpacetimeDB::Internal::StructFields<Type> {                                                          \
    static constexpr const char* names[] = {SPACETIMEDB_FOR_EACH_SEP(SPACETIMEDB_STRUCT_FIELD_NAME, Type,      \
                                                                     __VA_ARGS__)};                            \
    static constexpr size_t count = sizeof(names) / sizeof(names[0]);                                         \
    template <typename Visit>                                                                                  \
    static void for_each(Type& value, Visit&& visit) {                                                         \
      size_t column = 0;                                                                                       \
      SPACETIMEDB_FOR_EACH(SPACETIMEDB_STRUCT_VISIT_FIELD, Type, __VA_ARGS__)                                  \
    }                                                                                                          \
    template <typename Visit>                                                                                  \
    static void for_each(const Type& value, Visit&& visit) {                                                   \
      size_t column = 0;                                                                                       \
      SPACETIMEDB_FOR_EACH(SPACETIMEDB_STRUCT_VISIT_FIELD, Type, __VA_ARGS__)                                  \
    }                                                                                                          \
  };                                                                                                           \
  template <>                                                                                                  \
  struct SpacetimeDB::bsatn::bsatn_traits<Type> {                                                             \
    static void serialize(::SpacetimeDB::bsatn::Writer& writer, const Type& value) {                          \
      SPACETIMEDB_FOR_EACH(SPACETIMEDB_STRUCT_WRITE_FIELD, Type, __VA_ARGS__)                                  \
    }                                                                                                          \
    static Type deserialize(::SpacetimeDB::bsatn::Reader& reader) {                                           \
      Type value{};                                                                                            \
      SPACETIMEDB_FOR_EACH(SPACETIMEDB_STRUCT_READ_FIELD, Type, __VA_ARGS__)                                   \
      return value;                                                                                            \
    }                                                                                                          \
    static ::SpacetimeDB::bsatn::AlgebraicType algebraic_type() {                                             \
      return ::SpacetimeDB::Internal::RegisterNamedType<Type>(#Type, +[]() {                                   \
        return ::SpacetimeDB::bsatn::AlgebraicType::make_product(                                             \
            ::SpacetimeDB::bsatn::NamedTypeListBuilder() SPACETIMEDB_FOR_EACH(SPACETIMEDB_STRUCT_ELEMENT, Type, \
                                                                              __VA_ARGS__)                     \
                .build());                                                                                     \
      });                                                                                                      \
    }                                                                                                          \
  };

#define SPACETIMEDB_UNIT_STRUCT(Type)                                                                       \
  struct Type {                                                                                             \
    static constexpr bool __is_unit_type__ = true;                                                         \
    Type() = default;                                                                                       \
    Type(std::monostate) {}                                                                                 \
    operator std::monostate() const { return std::monostate{}; }                                            \
    bool operator==(const Type&) const = default;                                                           \
    auto operator<=>(const Type&) const = default;                                                          \
  };                                                                                                        \
  template <>                                                                                               \
  struct SpacetimeDB::bsatn::bsatn_traits<Type> {                                                          \
    static void serialize(::SpacetimeDB::bsatn::Writer&, const Type&) {}                                    \
    static Type deserialize(::SpacetimeDB::bsatn::Reader&) { return Type{}; }                               \
    static ::SpacetimeDB::bsatn::AlgebraicType algebraic_type() {                                          \
      return ::SpacetimeDB::Internal::RegisterNamedType<Type>(                                              \
          #Type, +[]() { return ::SpacetimeDB::bsatn::AlgebraicType::Unit(); });                           \
    }                                                                                                       \
  };

#define SPACETIMEDB_UNIT_TYPE(TypeName)                                                                     \
  struct TypeName {                                                                                         \
    bool operator==(const TypeName&) const = default;                                                       \
    auto operator<=>(const TypeName&) const = default;                                                      \
  };                                                                                                        \
  template <>                                                                                               \
  struct SpacetimeDB::bsatn::bsatn_traits<TypeName> {                                                      \
    static void serialize(::SpacetimeDB::bsatn::Writer&, const TypeName&) {}                                \
    static TypeName deserialize(::SpacetimeDB::bsatn::Reader&) { return TypeName{}; }                       \
    static ::SpacetimeDB::bsatn::AlgebraicType algebraic_type() {                                          \
      return ::SpacetimeDB::bsatn::AlgebraicType::Unit();                                                   \
    }                                                                                                       \
  };
