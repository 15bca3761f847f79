// TypespaceForGenerate: a module's types as client code generators see them (the reference's
// crates/schema/src/type_for_generate.rs).
//
// A *use* of a type (a column, a parameter, a field) is one of: a primitive, String, Unit, Never, one of the
// special types (Identity, ConnectionId, Timestamp, TimeDuration, Uuid, ScheduleAt — recognised by structure),
// Option<T>, Result<T, E>, Array<T>, or a reference to a *named* type (a TypeDef of the module). References to
// unnamed typespace entries are followed; an anonymous product or sum that is not special cannot be generated and
// is an error naming the type, as in the reference. Named types become *definitions*: a product, a sum, or a
// plain enum (a sum whose variants are all unit).
//
// Thread-safety: immutable after Build; concurrent reads are safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "host/module_def.h"
#include "sats/algebraic_type.h"
#include "sats/result.h"

namespace stdb::cli {

struct TypeUse {
  enum class Kind {
    kUnit, kNever, kIdentity, kConnectionId, kTimestamp, kTimeDuration, kUuid, kScheduleAt,
    kOption, kResult, kArray, kString, kPrimitive, kRef,
  };
  Kind kind = Kind::kUnit;
  sats::TypeTag primitive = sats::TypeTag::kBool;  // kPrimitive
  uint32_t ref = 0;                                // kRef: a named type
  std::vector<TypeUse> args;                       // kOption: [T]; kResult: [ok, err]; kArray: [element]

  bool ContainsRef() const;
  // Adds every named-type ref this use mentions.
  void CollectRefs(std::vector<uint32_t>& out) const;
};

struct TypeDefinition {
  enum class Kind { kProduct, kSum, kPlainEnum };
  Kind kind = Kind::kProduct;
  // Fields (product) or variants (sum, plain enum: all Unit), with their names as the typespace has them.
  std::vector<std::pair<std::string, TypeUse>> members;
};

class TypespaceForGenerate {
 public:
  static Result<TypespaceForGenerate> Build(const host::ModuleDef& module);

  // The use for a type as declared in the module (Refs into the module's typespace).
  Result<TypeUse> Use(const sats::AlgebraicType& type) const;
  // The definition of a named type.
  const TypeDefinition* Definition(uint32_t ref) const;
  // The generated name of a named type: its scope and name in PascalCase, concatenated.
  std::string TypeName(uint32_t ref) const;

 private:
  Result<TypeUse> UseImpl(const sats::AlgebraicType& type, std::vector<uint32_t>& touching) const;

  const host::ModuleDef* module_ = nullptr;
  std::map<uint32_t, std::string> names_;
  std::map<uint32_t, TypeDefinition> definitions_;
};

}  // namespace stdb::cli
