#include "cli/type_for_generate.h"

#include <algorithm>

#include "host/case_conversion.h"

namespace stdb::cli {

using sats::AlgebraicType;

bool TypeUse::ContainsRef() const {
  if (kind == Kind::kRef) return true;
  return std::any_of(args.begin(), args.end(), [](const TypeUse& a) { return a.ContainsRef(); });
}

void TypeUse::CollectRefs(std::vector<uint32_t>& out) const {
  if (kind == Kind::kRef) out.push_back(ref);
  for (const auto& a : args) a.CollectRefs(out);
}

Result<TypespaceForGenerate> TypespaceForGenerate::Build(const host::ModuleDef& module) {
  TypespaceForGenerate ts;
  ts.module_ = &module;
  for (const auto& type : module.types()) {
    std::string name;
    for (const auto& segment : type.scope) name += host::ToPascalCase(segment);
    name += host::ToPascalCase(type.source_name);
    ts.names_[type.ty] = name;
  }
  std::string errors;
  for (const auto& type : module.types()) {
    const auto& types = module.typespace().types;
    if (type.ty >= types.size()) {
      errors += "\n- type " + type.QualifiedName() + " refers to a missing typespace entry";
      continue;
    }
    const AlgebraicType& def = types[type.ty];
    TypeDefinition definition;
    if (def.IsProduct()) {
      definition.kind = TypeDefinition::Kind::kProduct;
      size_t i = 0;
      for (const auto& element : def.product().elements) {
        auto use = ts.Use(element.type);
        if (!use.ok()) {
          errors += "\n- field " + (element.name ? *element.name : std::to_string(i)) + " of type " +
                    type.QualifiedName() + ": " + use.error().message();
        } else {
          definition.members.emplace_back(element.name ? *element.name : "field" + std::to_string(i), *use);
        }
        ++i;
      }
    } else if (def.IsSum()) {
      size_t i = 0;
      bool all_unit = true;
      for (const auto& variant : def.sum().variants) {
        auto use = ts.Use(variant.type);
        if (!use.ok()) {
          errors += "\n- variant " + (variant.name ? *variant.name : std::to_string(i)) + " of type " +
                    type.QualifiedName() + ": " + use.error().message();
        } else {
          all_unit = all_unit && use->kind == TypeUse::Kind::kUnit;
          definition.members.emplace_back(variant.name ? *variant.name : "variant" + std::to_string(i), *use);
        }
        ++i;
      }
      definition.kind = all_unit ? TypeDefinition::Kind::kPlainEnum : TypeDefinition::Kind::kSum;
    } else {
      errors += "\n- type " + type.QualifiedName() + " is " + def.ToString() +
                ", but named types must be structs or enums";
      continue;
    }
    ts.definitions_[type.ty] = std::move(definition);
  }
  if (!errors.empty())
    return Error(ErrorCode::kInvalidArgument,
                 "client code cannot be generated for this module:" + errors + "\nName these types in the module");
  return ts;
}

Result<TypeUse> TypespaceForGenerate::Use(const AlgebraicType& type) const {
  std::vector<uint32_t> touching;
  return UseImpl(type, touching);
}

Result<TypeUse> TypespaceForGenerate::UseImpl(const AlgebraicType& type, std::vector<uint32_t>& touching) const {
  TypeUse use;
  using K = TypeUse::Kind;
  auto with_args = [&](K kind, std::vector<const AlgebraicType*> args) -> Result<TypeUse> {
    use.kind = kind;
    for (const AlgebraicType* a : args) {
      STDB_ASSIGN_OR_RETURN(TypeUse arg, UseImpl(*a, touching));
      use.args.push_back(std::move(arg));
    }
    return use;
  };
  if (type.IsConnectionId()) return TypeUse{K::kConnectionId};
  if (type.IsIdentity()) return TypeUse{K::kIdentity};
  if (type.IsTimestamp()) return TypeUse{K::kTimestamp};
  if (type.IsTimeDuration()) return TypeUse{K::kTimeDuration};
  if (type.IsUuid()) return TypeUse{K::kUuid};
  if (type.IsUnit()) return TypeUse{K::kUnit};
  if (type.IsNever()) return TypeUse{K::kNever};
  if (type.IsOption()) return with_args(K::kOption, {&type.sum().variants[0].type});
  if (type.IsResult()) return with_args(K::kResult, {&type.sum().variants[0].type, &type.sum().variants[1].type});
  if (type.IsScheduleAt()) return TypeUse{K::kScheduleAt};
  switch (type.tag()) {
    case sats::TypeTag::kRef: {
      uint32_t ref = type.ref();
      if (names_.count(ref)) {
        use.kind = K::kRef;
        use.ref = ref;
        return use;
      }
      const auto& types = module_->typespace().types;
      if (ref >= types.size()) return Error(ErrorCode::kInvalidArgument, "reference to missing type " + std::to_string(ref));
      if (std::find(touching.begin(), touching.end(), ref) != touching.end() || types[ref] == type)
        return Error(ErrorCode::kInvalidArgument, "recursive type reference " + std::to_string(ref) + " without a name");
      touching.push_back(ref);
      auto result = UseImpl(types[ref], touching);
      touching.pop_back();
      return result;
    }
    case sats::TypeTag::kArray:
      return with_args(K::kArray, {&type.element()});
    case sats::TypeTag::kString:
      return TypeUse{K::kString};
    case sats::TypeTag::kProduct:
    case sats::TypeTag::kSum:
      return Error(ErrorCode::kInvalidArgument,
                   "the anonymous type " + type.ToString() + " has no name; client code needs a named type here");
    default:
      use.kind = K::kPrimitive;
      use.primitive = type.tag();
      return use;
  }
}

const TypeDefinition* TypespaceForGenerate::Definition(uint32_t ref) const {
  auto it = definitions_.find(ref);
  return it == definitions_.end() ? nullptr : &it->second;
}

std::string TypespaceForGenerate::TypeName(uint32_t ref) const {
  auto it = names_.find(ref);
  return it == names_.end() ? "Type" + std::to_string(ref) : it->second;
}

}  // namespace stdb::cli
