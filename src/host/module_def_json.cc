#include "host/module_def_json.h"

#include <utility>
#include <vector>

#include "sats/bsatn.h"
#include "sats/json.h"
#include "sats/sats_json.h"

namespace stdb::host {

using sats::AlgebraicType;
using T = sats::AlgebraicType;

namespace {

// Refs of the typespace.
enum Ref : uint32_t { kAlgebraicType = 0, kSumType, kProductType, kSumTypeVariant, kProductTypeElement, kModuleDefV10 };

AlgebraicType Product(std::vector<std::pair<std::string, AlgebraicType>> fields) {
  return sats::NamedProduct(std::move(fields));
}
AlgebraicType Sum(std::vector<std::pair<std::string, AlgebraicType>> variants) {
  return sats::NamedSum(std::move(variants));
}
AlgebraicType Opt(AlgebraicType t) { return T::Option(std::move(t)); }
AlgebraicType Vec(AlgebraicType t) { return T::Array(std::move(t)); }
AlgebraicType Unit() { return T::Unit(); }
AlgebraicType ColList() { return Vec(T::U16()); }

AlgebraicType AlgebraicTypeSum() {
  std::vector<std::pair<std::string, AlgebraicType>> v = {
      {"Ref", T::U32()}, {"Sum", T::Ref(kSumType)}, {"Product", T::Ref(kProductType)},
      {"Array", T::Ref(kAlgebraicType)}};
  for (const char* name : {"String", "Bool", "I8", "U8", "I16", "U16", "I32", "U32", "I64", "U64", "I128", "U128",
                           "I256", "U256", "F32", "F64"})
    v.emplace_back(name, Unit());
  return Sum(std::move(v));
}

AlgebraicType TypespaceType() { return Product({{"types", Vec(T::Ref(kAlgebraicType))}}); }

AlgebraicType IndexAlgorithm() {
  return Sum({{"BTree", Product({{"columns", ColList()}})},
              {"Hash", Product({{"columns", ColList()}})},
              {"Direct", Product({{"column", T::U16()}})}});
}
AlgebraicType IndexDef(const char* name_field) {
  return Product({{name_field, Opt(T::String())}, {"accessor_name", Opt(T::String())}, {"algorithm", IndexAlgorithm()}});
}
AlgebraicType ConstraintDef(const char* name_field) {
  return Product({{name_field, Opt(T::String())}, {"data", Sum({{"Unique", Product({{"columns", ColList()}})}})}});
}
AlgebraicType SequenceDef(const char* name_field) {
  return Product({{name_field, Opt(T::String())},
                  {"column", T::U16()},
                  {"start", Opt(T::I128())},
                  {"min_value", Opt(T::I128())},
                  {"max_value", Opt(T::I128())},
                  {"increment", T::I128()}});
}
AlgebraicType TableType() { return Sum({{"System", Unit()}, {"User", Unit()}}); }
AlgebraicType TableAccess() { return Sum({{"Public", Unit()}, {"Private", Unit()}}); }
AlgebraicType Lifecycle() { return Sum({{"Init", Unit()}, {"OnConnect", Unit()}, {"OnDisconnect", Unit()}}); }
AlgebraicType Visibility() { return Sum({{"Private", Unit()}, {"ClientCallable", Unit()}}); }
AlgebraicType TypeDef(const char* name_field) {
  return Product({{name_field, Product({{"scope", Vec(T::String())}, {name_field, T::String()}})},
                  {"ty", T::U32()},
                  {"custom_ordering", T::Bool()}});
}
AlgebraicType Rls() { return Product({{"sql", T::String()}}); }

AlgebraicType TableV10() {
  return Product({{"source_name", T::String()},
                  {"product_type_ref", T::U32()},
                  {"primary_key", ColList()},
                  {"indexes", Vec(IndexDef("source_name"))},
                  {"constraints", Vec(ConstraintDef("source_name"))},
                  {"sequences", Vec(SequenceDef("source_name"))},
                  {"table_type", TableType()},
                  {"table_access", TableAccess()},
                  {"default_values", Vec(Product({{"col_id", T::U16()}, {"value", T::Bytes()}}))},
                  {"is_event", T::Bool()}});
}
AlgebraicType ReducerV10() {
  return Product({{"source_name", T::String()},
                  {"params", T::Ref(kProductType)},
                  {"visibility", Visibility()},
                  {"ok_return_type", T::Ref(kAlgebraicType)},
                  {"err_return_type", T::Ref(kAlgebraicType)}});
}

AlgebraicType ModuleDefV10() {
  AlgebraicType name_mapping = Product({{"source_name", T::String()}, {"canonical_name", T::String()}});
  AlgebraicType http_method = Sum({{"Get", Unit()}, {"Head", Unit()}, {"Post", Unit()}, {"Put", Unit()},
                                   {"Delete", Unit()}, {"Connect", Unit()}, {"Options", Unit()}, {"Trace", Unit()},
                                   {"Patch", Unit()}, {"Extension", T::String()}});
  AlgebraicType section = Sum({
      {"Typespace", TypespaceType()},
      {"Types", Vec(TypeDef("source_name"))},
      {"Tables", Vec(TableV10())},
      {"Reducers", Vec(ReducerV10())},
      {"Procedures", Vec(Product({{"source_name", T::String()},
                                  {"params", T::Ref(kProductType)},
                                  {"return_type", T::Ref(kAlgebraicType)},
                                  {"visibility", Visibility()}}))},
      {"Views", Vec(Product({{"source_name", T::String()},
                             {"index", T::U32()},
                             {"is_public", T::Bool()},
                             {"is_anonymous", T::Bool()},
                             {"params", T::Ref(kProductType)},
                             {"return_type", T::Ref(kAlgebraicType)}}))},
      {"Schedules", Vec(Product({{"source_name", Opt(T::String())},
                                 {"table_name", T::String()},
                                 {"schedule_at_col", T::U16()},
                                 {"function_name", T::String()}}))},
      {"LifeCycleReducers", Vec(Product({{"lifecycle_spec", Lifecycle()}, {"function_name", T::String()}}))},
      {"RowLevelSecurity", Vec(Rls())},
      {"CaseConversionPolicy", Sum({{"None", Unit()}, {"SnakeCase", Unit()}})},
      {"ExplicitNames",
       Product({{"entries", Vec(Sum({{"Table", name_mapping}, {"Function", name_mapping}, {"Index", name_mapping}}))}})},
      {"HttpHandlers", Vec(Product({{"source_name", T::String()}}))},
      {"HttpRoutes", Vec(Product({{"handler_function", T::String()},
                                  {"method", Sum({{"Any", Unit()}, {"Method", http_method}})},
                                  {"path", T::String()}}))},
      {"ViewPrimaryKeys", Vec(Product({{"view_source_name", T::String()}, {"columns", Vec(T::String())}}))},
      {"Submodules", Vec(Product({{"namespace", T::String()}, {"module", T::Ref(kModuleDefV10)}}))},
  });
  return Product({{"sections", Vec(section)}});
}

AlgebraicType ModuleDefV9() {
  AlgebraicType table = Product({{"name", T::String()},
                                 {"product_type_ref", T::U32()},
                                 {"primary_key", ColList()},
                                 {"indexes", Vec(IndexDef("name"))},
                                 {"constraints", Vec(ConstraintDef("name"))},
                                 {"sequences", Vec(SequenceDef("name"))},
                                 {"schedule", Opt(Product({{"name", Opt(T::String())},
                                                           {"reducer_name", T::String()},
                                                           {"scheduled_at_column", T::U16()}}))},
                                 {"table_type", TableType()},
                                 {"table_access", TableAccess()}});
  AlgebraicType reducer =
      Product({{"name", T::String()}, {"params", T::Ref(kProductType)}, {"lifecycle", Opt(Lifecycle())}});
  AlgebraicType misc = Sum({
      {"ColumnDefaultValue", Product({{"table", T::String()}, {"col_id", T::U16()}, {"value", T::Bytes()}})},
      {"Procedure",
       Product({{"name", T::String()}, {"params", T::Ref(kProductType)}, {"return_type", T::Ref(kAlgebraicType)}})},
      {"View", Product({{"name", T::String()},
                        {"index", T::U32()},
                        {"is_public", T::Bool()},
                        {"is_anonymous", T::Bool()},
                        {"params", T::Ref(kProductType)},
                        {"return_type", T::Ref(kAlgebraicType)}})},
  });
  return Product({{"typespace", TypespaceType()},
                  {"tables", Vec(table)},
                  {"reducers", Vec(reducer)},
                  {"types", Vec(TypeDef("name"))},
                  {"misc_exports", Vec(misc)},
                  {"row_level_security", Vec(Rls())}});
}

struct Types {
  sats::Typespace typespace;
  AlgebraicType module_def, v10, v9, table_v10, reducer_v10;

  Types() {
    typespace.types = {
        AlgebraicTypeSum(),
        Product({{"variants", Vec(T::Ref(kSumTypeVariant))}}),
        Product({{"elements", Vec(T::Ref(kProductTypeElement))}}),
        Product({{"name", Opt(T::String())}, {"algebraic_type", T::Ref(kAlgebraicType)}}),
        Product({{"name", Opt(T::String())}, {"algebraic_type", T::Ref(kAlgebraicType)}}),
        ModuleDefV10(),
    };
    v10 = T::Ref(kModuleDefV10);
    v9 = ModuleDefV9();
    // V8 predates 1.0 and is not supported; an empty sum reads nothing.
    module_def = Sum({{"V8BackCompat", T::Never()}, {"V9", v9}, {"V10", v10}});
    table_v10 = TableV10();
    reducer_v10 = ReducerV10();
  }
};

const Types& AllTypes() {
  static const Types types;
  return types;
}

Error NotAModuleDef(const std::string& why) {
  return Error(ErrorCode::kDecode, "not a SpacetimeDB module definition (RawModuleDef JSON): " + why);
}

Result<RawModuleDef> Decode(const AlgebraicType& type, const sats::Json& json, int version) {
  const Types& types = AllTypes();
  auto value = sats::sats_json::Read(type, json, &types.typespace);
  if (!value.ok()) return NotAModuleDef(value.error().message());
  sats::Bytes bytes;
  sats::bsatn::Writer w(bytes);
  if (version == 10) w.U8(2);
  if (version == 9) w.U8(1);
  sats::bsatn::EncodeValue(*value, w);
  auto raw = DecodeRawModuleDef(bytes);
  if (!raw.ok()) return NotAModuleDef(raw.error().message());
  return raw;
}

}  // namespace

const sats::Typespace& RawModuleDefTypespace() { return AllTypes().typespace; }
const AlgebraicType& RawModuleDefType() { return AllTypes().module_def; }
const AlgebraicType& RawModuleDefV10Type() { return AllTypes().v10; }
const AlgebraicType& RawModuleDefV9Type() { return AllTypes().v9; }
const AlgebraicType& RawTableDefV10Type() { return AllTypes().table_v10; }
const AlgebraicType& RawReducerDefV10Type() { return AllTypes().reducer_v10; }

Result<RawModuleDef> ReadRawModuleDefJson(std::string_view text) {
  auto json = sats::Json::Parse(text);
  if (!json.ok()) return NotAModuleDef(json.error().message());
  if (!json->is_object()) return NotAModuleDef("the top level is not a JSON object");
  if (json->members().size() == 1) {
    const std::string& key = json->members()[0].first;
    if (key == "V10") return Decode(RawModuleDefV10Type(), json->members()[0].second, 10);
    if (key == "V9") return Decode(RawModuleDefV9Type(), json->members()[0].second, 9);
    if (key == "V8BackCompat")
      return Error(ErrorCode::kUnsupported,
                   "this module definition is V8 (SpacetimeDB before 1.0), which is not supported; rebuild the module "
                   "with a current SDK");
  }
  if (json->Find("sections")) return Decode(RawModuleDefV10Type(), *json, 10);
  if (json->Find("typespace") && json->Find("tables")) return Decode(RawModuleDefV9Type(), *json, 9);
  return NotAModuleDef("expected {\"V10\": {...}}, {\"V9\": {...}} or a bare V10/V9 definition");
}

Result<RawModuleDef> ReadSchemaJson(std::string_view text, int version) {
  auto json = sats::Json::Parse(text);
  if (!json.ok()) return NotAModuleDef(json.error().message());
  return Decode(version == 9 ? RawModuleDefV9Type() : RawModuleDefV10Type(), *json, version == 9 ? 9 : 10);
}

std::string WriteRawModuleDefJson(const RawModuleDef& def) {
  const Types& types = AllTypes();
  sats::Bytes bytes = EncodeRawModuleDef(def);
  auto value = sats::bsatn::DecodeValue(types.module_def, bytes, &types.typespace);
  // Every encodable definition decodes with its own type; a failure here is a bug in the type tables.
  if (!value.ok()) return "{\"error\":" + sats::Json::String(value.error().message()).Dump() + "}";
  return sats::sats_json::ToTypedJson(types.module_def, *value, &types.typespace);
}

std::string WriteSchemaJson(const RawModuleDef& def) {
  const Types& types = AllTypes();
  sats::Bytes bytes;
  sats::bsatn::Writer w(bytes);
  const AlgebraicType* type = nullptr;
  if (const auto* v10 = std::get_if<RawModuleDefV10>(&def)) {
    EncodeRawModuleDefV10(*v10, w);
    type = &types.v10;
  } else {
    EncodeRawModuleDefV9(std::get<RawModuleDefV9>(def), w);
    type = &types.v9;
  }
  auto value = sats::bsatn::DecodeValue(*type, bytes, &types.typespace);
  if (!value.ok()) return "{\"error\":" + sats::Json::String(value.error().message()).Dump() + "}";
  return sats::sats_json::ToTypedJson(*type, *value, &types.typespace);
}

}  // namespace stdb::host
