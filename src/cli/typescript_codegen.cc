#include "cli/typescript_codegen.h"

#include <algorithm>
#include <set>
#include <string_view>

#include "cli/type_for_generate.h"
#include "cli/version.h"
#include "host/case_conversion.h"
#include "sats/json.h"

namespace stdb::cli {

namespace {

using host::ToCamelCase;
using host::ToPascalCase;
using host::ToSnakeCase;
using Member = std::pair<std::string, TypeUse>;

// Indents every non-empty line by two spaces per level, like the reference's CodeIndenter. Newline() ends a line
// without marking the next one for indentation (the reference's `newline`).
class CodeWriter {
 public:
  void Indent() { ++level_; }
  void Dedent() { --level_; }
  void Write(std::string_view s) {
    if (s.empty()) return;
    size_t start = 0;
    bool first = true;
    while (start < s.size()) {
      size_t nl = s.find('\n', start);
      std::string_view piece = s.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl + 1 - start);
      bool indent = !first || needs_indent_;
      if (first) needs_indent_ = false;
      if (indent && piece != "\n") out_.append(static_cast<size_t>(level_) * 2, ' ');
      out_ += piece;
      start += piece.size();
      first = false;
    }
    needs_indent_ = s.back() == '\n';
  }
  void Line(std::string_view s = {}) {
    Write(s);
    Write("\n");
  }
  void Newline() { out_ += '\n'; }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
  int level_ = 0;
  bool needs_indent_ = true;
};

std::string JsonString(std::string_view s) {
  std::string out;
  sats::AppendJsonString(out, s);
  return out;
}

std::string PrimitiveBuilder(sats::TypeTag tag) {
  switch (tag) {
    case sats::TypeTag::kBool: return "__t.bool()";
    case sats::TypeTag::kI8: return "__t.i8()";
    case sats::TypeTag::kU8: return "__t.u8()";
    case sats::TypeTag::kI16: return "__t.i16()";
    case sats::TypeTag::kU16: return "__t.u16()";
    case sats::TypeTag::kI32: return "__t.i32()";
    case sats::TypeTag::kU32: return "__t.u32()";
    case sats::TypeTag::kI64: return "__t.i64()";
    case sats::TypeTag::kU64: return "__t.u64()";
    case sats::TypeTag::kI128: return "__t.i128()";
    case sats::TypeTag::kU128: return "__t.u128()";
    case sats::TypeTag::kI256: return "__t.i256()";
    case sats::TypeTag::kU256: return "__t.u256()";
    case sats::TypeTag::kF32: return "__t.f32()";
    case sats::TypeTag::kF64: return "__t.f64()";
    default: return "__t.unit()";
  }
}

class Generator {
 public:
  Generator(const host::ModuleDef& module, const TypespaceForGenerate& ts, const TypeScriptOptions& options)
      : module_(module), ts_(ts), options_(options) {}

  Result<std::vector<GeneratedFile>> Run();

 private:
  struct TableLike {
    std::string name;           // wire name
    std::string accessor_name;  // as the module wrote it
    std::vector<Member> members;
    std::optional<uint16_t> primary_key;
    const std::vector<host::ColumnDef>* columns = nullptr;
    const host::TableDef* table = nullptr;  // null for views
  };

  std::string Builder(const TypeUse& use) const;
  void FileComment(CodeWriter& out) const;
  void Header(CodeWriter& out, bool include_version, bool type_builder_only) const;
  void Imports(CodeWriter& out, const std::vector<const TypeUse*>& uses) const;
  void Fields(CodeWriter& out, const std::vector<Member>& members, std::optional<uint16_t> primary_key,
              bool convert_case, const std::vector<host::ColumnDef>* columns) const;
  Result<std::vector<Member>> Members(const sats::ProductType& product, const std::string& what) const;
  Result<std::vector<Member>> RowMembers(uint32_t type_ref, const std::string& what) const;

  GeneratedFile TableFile(const TableLike& table) const;
  GeneratedFile ReducerFile(const host::ReducerDef& reducer, const std::vector<Member>& params) const;
  GeneratedFile ProcedureFile(const host::ProcedureDef& procedure, const std::vector<Member>& params,
                              const TypeUse& returns) const;
  GeneratedFile TypesFile() const;
  GeneratedFile ReducerTypesFile() const;
  GeneratedFile ProcedureTypesFile() const;
  GeneratedFile IndexFile() const;
  void TableOptions(CodeWriter& out, const TableLike& t) const;

  bool Visible(const host::TableDef& t) const {
    return options_.include_private || t.table_access == host::TableAccess::kPublic;
  }

  const host::ModuleDef& module_;
  const TypespaceForGenerate& ts_;
  const TypeScriptOptions& options_;

  std::vector<TableLike> tables_;  // visible tables sorted by name
  std::vector<TableLike> views_;   // sorted by name
  std::vector<const host::ReducerDef*> reducers_;      // iter_reducers
  std::vector<const host::ProcedureDef*> procedures_;  // sorted by name
};

std::string Generator::Builder(const TypeUse& use) const {
  using K = TypeUse::Kind;
  switch (use.kind) {
    case K::kUnit: return "__t.unit()";
    case K::kNever: return "__t.never()";
    case K::kIdentity: return "__t.identity()";
    case K::kConnectionId: return "__t.connectionId()";
    case K::kTimestamp: return "__t.timestamp()";
    case K::kTimeDuration: return "__t.timeDuration()";
    case K::kScheduleAt: return "__t.scheduleAt()";
    case K::kUuid: return "__t.uuid()";
    case K::kOption: return "__t.option(" + Builder(use.args[0]) + ")";
    case K::kResult: return "__t.result(" + Builder(use.args[0]) + ", " + Builder(use.args[1]) + ")";
    case K::kPrimitive: return PrimitiveBuilder(use.primitive);
    case K::kString: return "__t.string()";
    case K::kArray:
      if (use.args[0].kind == K::kPrimitive && use.args[0].primitive == sats::TypeTag::kU8) return "__t.byteArray()";
      return "__t.array(" + Builder(use.args[0]) + ")";
    case K::kRef: return ts_.TypeName(use.ref);
  }
  return "__t.unit()";
}

void Generator::FileComment(CodeWriter& out) const {
  out.Line("// THIS FILE IS AUTOMATICALLY GENERATED BY SPACETIMEDB. EDITS TO THIS FILE");
  out.Line("// WILL NOT BE SAVED. MODIFY TABLES IN YOUR MODULE SOURCE CODE INSTEAD.");
  out.Line();
}

void Generator::Header(CodeWriter& out, bool include_version, bool type_builder_only) const {
  FileComment(out);
  if (include_version) {
    out.Line(std::string("// This was generated using spacetimedb cli version ") + kCliVersion + " (" +
             kCliImplementation + ").");
    out.Line();
  }
  out.Line("/* eslint-disable */");
  out.Line("/* tslint:disable */");
  std::vector<std::string> names;
  if (type_builder_only) {
    names = {"TypeBuilder as __TypeBuilder", "type AlgebraicTypeType as __AlgebraicTypeType", "type Infer as __Infer",
             "t as __t"};
  } else {
    names = {"TypeBuilder as __TypeBuilder",
             "type AlgebraicTypeType as __AlgebraicTypeType",
             "Uuid as __Uuid",
             "DbConnectionBuilder as __DbConnectionBuilder",
             "convertToAccessorMap as __convertToAccessorMap",
             "makeQueryBuilder as __makeQueryBuilder",
             "type QueryBuilder as __QueryBuilder",
             "type EventContextInterface as __EventContextInterface",
             "type ReducerEventContextInterface as __ReducerEventContextInterface",
             "type SubscriptionEventContextInterface as __SubscriptionEventContextInterface",
             "type SubscriptionHandleImpl as __SubscriptionHandleImpl",
             "type ErrorContextInterface as __ErrorContextInterface",
             "type RemoteModule as __RemoteModule",
             "SubscriptionBuilderImpl as __SubscriptionBuilderImpl",
             "DbConnectionImpl as __DbConnectionImpl",
             "type Event as __Event",
             "schema as __schema",
             "table as __table",
             "type Infer as __Infer",
             "reducers as __reducers",
             "reducerSchema as __reducerSchema",
             "procedures as __procedures",
             "procedureSchema as __procedureSchema",
             "type DbConnectionConfig as __DbConnectionConfig",
             "t as __t"};
  }
  std::sort(names.begin(), names.end());
  out.Line("import {");
  out.Indent();
  for (const auto& n : names) out.Line(n + ",");
  out.Dedent();
  out.Line("} from \"spacetimedb\";");
}

void Generator::Imports(CodeWriter& out, const std::vector<const TypeUse*>& uses) const {
  std::vector<uint32_t> refs;
  for (const TypeUse* use : uses) use->CollectRefs(refs);
  std::sort(refs.begin(), refs.end());
  refs.erase(std::unique(refs.begin(), refs.end()), refs.end());
  if (refs.empty()) return;
  out.Line("import {");
  out.Indent();
  for (uint32_t ref : refs) out.Line(ts_.TypeName(ref) + ",");
  out.Dedent();
  out.Line("} from \"./types\";");
  out.Newline();
}

void Generator::Fields(CodeWriter& out, const std::vector<Member>& members, std::optional<uint16_t> primary_key,
                       bool convert_case, const std::vector<host::ColumnDef>* columns) const {
  for (size_t i = 0; i < members.size(); ++i) {
    const auto& [ident, use] = members[i];
    std::string name = convert_case ? ToCamelCase(ident) : ident;
    bool is_primary_key = primary_key && *primary_key == i;
    std::optional<std::string> original_name;
    if (columns && convert_case && i < columns->size() && (*columns)[i].name != name) original_name = (*columns)[i].name;
    bool getter = use.ContainsRef();
    if (getter) {
      out.Line("get " + name + "() {");
      out.Indent();
      out.Write("return ");
    } else {
      out.Write(name + ": ");
    }
    out.Write(Builder(use));
    if (is_primary_key) out.Write(".primaryKey()");
    if (original_name) out.Write(".name(\"" + *original_name + "\")");
    if (getter) {
      out.Line(";");
      out.Dedent();
      out.Line("},");
    } else {
      out.Line(",");
    }
  }
}

Result<std::vector<Member>> Generator::Members(const sats::ProductType& product, const std::string& what) const {
  std::vector<Member> members;
  for (size_t i = 0; i < product.elements.size(); ++i) {
    const auto& element = product.elements[i];
    auto use = ts_.Use(element.type);
    if (!use.ok())
      return Error(ErrorCode::kInvalidArgument, "cannot generate " + what + ", element " +
                                                    (element.name ? *element.name : std::to_string(i)) + ": " +
                                                    use.error().message());
    members.emplace_back(element.name ? *element.name : "arg" + std::to_string(i), std::move(*use));
  }
  return members;
}

Result<std::vector<Member>> Generator::RowMembers(uint32_t type_ref, const std::string& what) const {
  if (const TypeDefinition* def = ts_.Definition(type_ref)) {
    if (def->kind != TypeDefinition::Kind::kProduct)
      return Error(ErrorCode::kInvalidArgument, "cannot generate " + what + ": its row type is not a struct");
    return def->members;
  }
  const auto& types = module_.typespace().types;
  if (type_ref >= types.size() || !types[type_ref].IsProduct())
    return Error(ErrorCode::kInvalidArgument, "cannot generate " + what + ": its row type is not a struct");
  return Members(types[type_ref].product(), what);
}

GeneratedFile Generator::TableFile(const TableLike& table) const {
  CodeWriter out;
  Header(out, false, true);
  std::vector<const TypeUse*> uses;
  for (const auto& m : table.members) uses.push_back(&m.second);
  Imports(out, uses);
  out.Line();
  out.Line("export default __t.row({");
  out.Indent();
  Fields(out, table.members, table.primary_key, true, table.columns);
  out.Dedent();
  out.Line("});");
  return {ToSnakeCase(table.accessor_name) + "_table.ts", out.Take()};
}

GeneratedFile Generator::ReducerFile(const host::ReducerDef& reducer, const std::vector<Member>& params) const {
  CodeWriter out;
  Header(out, false, true);
  out.Newline();
  std::vector<const TypeUse*> uses;
  for (const auto& m : params) uses.push_back(&m.second);
  Imports(out, uses);
  out.Write("export default {");
  if (params.empty()) {
    out.Line("};");
  } else {
    out.Line();
    out.Indent();
    Fields(out, params, std::nullopt, true, nullptr);
    out.Dedent();
    out.Line("};");
  }
  return {ToSnakeCase(reducer.accessor_name) + "_reducer.ts", out.Take()};
}

GeneratedFile Generator::ProcedureFile(const host::ProcedureDef& procedure, const std::vector<Member>& params,
                                       const TypeUse& returns) const {
  CodeWriter out;
  Header(out, false, true);
  out.Newline();
  std::vector<const TypeUse*> uses;
  for (const auto& m : params) uses.push_back(&m.second);
  uses.push_back(&returns);
  Imports(out, uses);
  out.Line("export const params = {");
  out.Indent();
  Fields(out, params, std::nullopt, true, nullptr);
  out.Dedent();
  out.Line("};");
  out.Write("export const returnType = " + Builder(returns));
  return {ToSnakeCase(procedure.accessor_name) + "_procedure.ts", out.Take()};
}

GeneratedFile Generator::TypesFile() const {
  CodeWriter out;
  Header(out, false, true);
  out.Newline();
  std::set<std::string> reducer_type_names;
  for (const auto& r : module_.reducers()) reducer_type_names.insert(ToPascalCase(r.accessor_name));
  std::vector<const host::TypeDef*> types;
  for (const auto& t : module_.types()) types.push_back(&t);
  std::sort(types.begin(), types.end(), [](const host::TypeDef* a, const host::TypeDef* b) {
    if (a->scope != b->scope) return a->scope < b->scope;
    return a->source_name < b->source_name;
  });
  for (const host::TypeDef* type : types) {
    std::string name = ts_.TypeName(type->ty);
    if (reducer_type_names.count(name)) continue;
    const TypeDefinition* def = ts_.Definition(type->ty);
    if (!def) continue;
    if (def->kind == TypeDefinition::Kind::kProduct) {
      out.Write("export const " + name + " = __t.object(\"" + name + "\", {");
      if (def->members.empty()) {
        out.Line("});");
      } else {
        out.Line();
        out.Indent();
        Fields(out, def->members, std::nullopt, true, nullptr);
        out.Dedent();
        out.Line("});");
      }
    } else {
      out.Line("// The tagged union or sum type for the algebraic type `" + name + "`.");
      out.Write("export const " + name);
      if (name == "AlgebraicType") out.Write(": __TypeBuilder<__AlgebraicTypeType, __AlgebraicTypeType>");
      out.Line(" = __t.enum(\"" + name + "\", {");
      std::vector<Member> variants;
      for (const auto& [variant, use] : def->members) variants.emplace_back(ToPascalCase(variant), use);
      out.Indent();
      Fields(out, variants, std::nullopt, false, nullptr);
      out.Dedent();
      out.Line("});");
    }
    out.Line("export type " + name + " = __Infer<typeof " + name + ">;");
    out.Newline();
  }
  return {"types.ts", out.Take()};
}

GeneratedFile Generator::ReducerTypesFile() const {
  CodeWriter out;
  FileComment(out);
  out.Line("/* eslint-disable */");
  out.Line("/* tslint:disable */");
  out.Line("import { type Infer as __Infer } from \"spacetimedb\";");
  out.Line();
  out.Line("// Import all reducer arg schemas");
  for (const auto* r : reducers_)
    out.Line("import " + ToPascalCase(r->accessor_name) + "Reducer from \"../" + ToSnakeCase(r->accessor_name) +
             "_reducer\";");
  out.Line();
  for (const auto* r : reducers_)
    out.Line("export type " + ToPascalCase(r->accessor_name) + "Params = __Infer<typeof " +
             ToPascalCase(r->accessor_name) + "Reducer>;");
  out.Newline();
  return {"types/reducers.ts", out.Take()};
}

GeneratedFile Generator::ProcedureTypesFile() const {
  CodeWriter out;
  FileComment(out);
  out.Line("/* eslint-disable */");
  out.Line("/* tslint:disable */");
  out.Line("import { type Infer as __Infer } from \"spacetimedb\";");
  out.Line();
  out.Line("// Import all procedure arg schemas");
  for (const auto* p : procedures_)
    out.Line("import * as " + ToPascalCase(p->accessor_name) + "Procedure from \"../" +
             ToSnakeCase(p->accessor_name) + "_procedure\";");
  out.Line();
  for (const auto* p : procedures_) {
    std::string pascal = ToPascalCase(p->accessor_name);
    out.Line("export type " + pascal + "Args = __Infer<typeof " + pascal + "Procedure.params>;");
    out.Line("export type " + pascal + "Result = __Infer<typeof " + pascal + "Procedure.returnType>;");
  }
  out.Newline();
  return {"types/procedures.ts", out.Take()};
}

void Generator::TableOptions(CodeWriter& out, const TableLike& t) const {
  out.Line("name: '" + t.name + "',");
  out.Line("indexes: [");
  out.Indent();
  if (t.table) {
    std::vector<const host::IndexDef*> indexes;
    for (const auto& index : t.table->indexes) indexes.push_back(&index);
    std::sort(indexes.begin(), indexes.end(),
              [](const host::IndexDef* a, const host::IndexDef* b) { return a->name < b->name; });
    for (const host::IndexDef* index : indexes) {
      if (!index->accessor_name) continue;  // generated by the system
      out.Line("{ accessor: '" + *index->accessor_name + "', name: '" + index->name +
               "', algorithm: 'btree', columns: [");
      out.Indent();
      for (uint16_t col : index->columns)
        if (col < t.members.size()) out.Line("'" + ToCamelCase(t.members[col].first) + "',");
      out.Dedent();
      out.Line("] },");
    }
  }
  out.Dedent();
  out.Line("],");
  out.Line("constraints: [");
  out.Indent();
  if (t.table) {
    std::vector<const host::UniqueConstraintDef*> constraints;
    for (const auto& c : t.table->constraints) constraints.push_back(&c);
    std::sort(constraints.begin(), constraints.end(),
              [](const host::UniqueConstraintDef* a, const host::UniqueConstraintDef* b) { return a->name < b->name; });
    for (const auto* c : constraints) {
      std::string columns;
      for (uint16_t col : c->columns) {
        if (col >= t.members.size()) continue;
        if (!columns.empty()) columns += ", ";
        columns += "'" + ToCamelCase(t.members[col].first) + "'";
      }
      out.Line("{ name: '" + c->name + "', constraint: 'unique', columns: [" + columns + "] },");
    }
  }
  out.Dedent();
  out.Line("],");
  if (t.table && t.table->is_event) out.Line("event: true,");
}

GeneratedFile Generator::IndexFile() const {
  CodeWriter out;
  Header(out, true, false);
  out.Line();
  out.Line("// Import all reducer arg schemas");
  for (const auto* r : reducers_) {
    if (r->lifecycle) continue;
    out.Line("import " + ToPascalCase(r->accessor_name) + "Reducer from \"./" + ToSnakeCase(r->accessor_name) +
             "_reducer\";");
  }
  out.Line();
  out.Line("// Import all procedure arg schemas");
  for (const auto* p : procedures_)
    out.Line("import * as " + ToPascalCase(p->accessor_name) + "Procedure from \"./" + ToSnakeCase(p->accessor_name) +
             "_procedure\";");
  out.Line();
  out.Line("// Import all table schema definitions");
  std::vector<const TableLike*> by_accessor;
  for (const auto& t : tables_) by_accessor.push_back(&t);
  for (const auto& v : views_) by_accessor.push_back(&v);
  std::stable_sort(by_accessor.begin(), by_accessor.end(),
                   [](const TableLike* a, const TableLike* b) { return a->accessor_name < b->accessor_name; });
  for (const TableLike* t : by_accessor)
    out.Line("import " + ToPascalCase(t->accessor_name) + "Row from \"./" + ToSnakeCase(t->accessor_name) +
             "_table\";");
  out.Line();
  out.Line("/** Type-only namespace exports for generated type groups. */");
  out.Line();
  out.Line("/** The schema information for all tables in this module. This is defined the same was as the tables "
           "would have been defined in the server. */");
  out.Line("const tablesSchema = __schema({");
  out.Indent();
  std::vector<std::pair<std::string, std::string>> aliases;
  std::set<std::string> accessors;
  for (const auto* list : {&tables_, &views_}) {
    for (const auto& t : *list) {
      std::string accessor = ToCamelCase(t.accessor_name);
      accessors.insert(accessor);
      if (t.accessor_name != accessor) aliases.emplace_back(t.accessor_name, accessor);
      out.Line(accessor + ": __table({");
      out.Indent();
      TableOptions(out, t);
      out.Dedent();
      out.Line("}, " + ToPascalCase(t.accessor_name) + "Row),");
    }
  }
  out.Dedent();
  out.Line("});");
  out.Line();
  out.Line("/** The schema information for all reducers in this module. This is defined the same way as the reducers "
           "would have been defined in the server, except the body of the reducer is omitted in code generation. */");
  out.Line("const reducersSchema = __reducers(");
  out.Indent();
  for (const auto* r : reducers_) {
    if (r->lifecycle) continue;
    out.Line("__reducerSchema(\"" + r->name + "\", " + ToPascalCase(r->accessor_name) + "Reducer),");
  }
  out.Dedent();
  out.Line(");");
  out.Line();
  out.Line("/** The schema information for all procedures in this module. This is defined the same way as the "
           "procedures would have been defined in the server. */");
  out.Line("const proceduresSchema = __procedures(");
  out.Indent();
  for (const auto* p : procedures_) {
    std::string type = ToPascalCase(p->accessor_name) + "Procedure";
    out.Line("__procedureSchema(\"" + p->name + "\", " + type + ".params, " + type + ".returnType),");
  }
  out.Dedent();
  out.Line(");");

  aliases.erase(std::remove_if(aliases.begin(), aliases.end(),
                               [&](const auto& a) { return accessors.count(a.first) > 0; }),
                aliases.end());
  bool has_aliases = !aliases.empty();
  auto deprecated = [](const std::string& target) {
    return "/** @deprecated Use `" + target + "` instead. This alias will be removed in the next major version. */";
  };
  if (has_aliases) {
    out.Line();
    out.Line("type __SchemaWithTableAccessorAliases = Omit<typeof tablesSchema.schemaType, \"tables\"> & {");
    out.Indent();
    out.Line("tables: typeof tablesSchema.schemaType.tables & {");
    out.Indent();
    for (const auto& [old_name, target] : aliases) {
      out.Line(deprecated(target));
      out.Line("readonly " + JsonString(old_name) + ": Omit<typeof tablesSchema.schemaType.tables[" +
               JsonString(target) + "], \"accessorName\"> & { readonly accessorName: " + JsonString(old_name) + " };");
    }
    out.Dedent();
    out.Line("};");
    out.Dedent();
    out.Line("};");
  }

  out.Line();
  out.Line("/** The remote SpacetimeDB module schema, both runtime and type information. */");
  out.Line("const REMOTE_MODULE = {");
  out.Indent();
  out.Line("versionInfo: {");
  out.Indent();
  out.Line(std::string("cliVersion: \"") + kCliVersion + "\" as const,");
  out.Dedent();
  out.Line("},");
  out.Line(has_aliases ? "tables: tablesSchema.schemaType.tables as __SchemaWithTableAccessorAliases[\"tables\"],"
                       : "tables: tablesSchema.schemaType.tables,");
  out.Line("reducers: reducersSchema.reducersType.reducers,");
  out.Line("...proceduresSchema,");
  out.Dedent();
  out.Line("} satisfies __RemoteModule<");
  out.Indent();
  out.Line(has_aliases ? "__SchemaWithTableAccessorAliases," : "typeof tablesSchema.schemaType,");
  out.Line("typeof reducersSchema.reducersType,");
  out.Line("typeof proceduresSchema");
  out.Dedent();
  out.Line(">;");

  if (has_aliases) {
    out.Line();
    out.Line("const tableAccessorAliases = {");
    out.Indent();
    for (const auto& [old_name, target] : aliases) out.Line(JsonString(old_name) + ": " + JsonString(target) + ",");
    out.Dedent();
    out.Line("} as const;");
    out.Line();
    out.Line("function __withTableAccessorAliases<T extends object>(target: T, freeze = false): T {");
    out.Indent();
    out.Line("const out = Object.create(Object.getPrototypeOf(target)) as T & Record<string, unknown>;");
    out.Line("Object.defineProperties(out, Object.getOwnPropertyDescriptors(target));");
    out.Line("for (const [deprecatedAccessor, targetAccessor] of Object.entries(tableAccessorAliases)) {");
    out.Indent();
    out.Line("if (deprecatedAccessor in out) {");
    out.Indent();
    out.Line("continue;");
    out.Dedent();
    out.Line("}");
    out.Line("Object.defineProperty(out, deprecatedAccessor, {");
    out.Indent();
    out.Line("enumerable: true,");
    out.Line("configurable: false,");
    out.Line("get: () => out[targetAccessor],");
    out.Dedent();
    out.Line("});");
    out.Dedent();
    out.Line("}");
    out.Line("return freeze ? Object.freeze(out) : out;");
    out.Dedent();
    out.Line("}");
    out.Line();
    out.Line("type __DbViewBase = __DbConnectionImpl<typeof REMOTE_MODULE>[\"db\"];");
    out.Line("export type DbView = __DbViewBase & {");
    out.Indent();
    for (const auto& [old_name, target] : aliases) {
      out.Line(deprecated(target));
      out.Line("readonly " + JsonString(old_name) + ": __DbViewBase[" + JsonString(target) + "];");
    }
    out.Dedent();
    out.Line("};");
    out.Line();
    out.Line("type __TablesBase = __QueryBuilder<typeof tablesSchema.schemaType>;");
    out.Line("export type Tables = __TablesBase & {");
    out.Indent();
    for (const auto& [old_name, target] : aliases) {
      out.Line(deprecated(target));
      out.Line("readonly " + JsonString(old_name) + ": __TablesBase[" + JsonString(target) + "];");
    }
    out.Dedent();
    out.Line("};");
  }

  out.Line();
  out.Line("/** The tables available in this remote SpacetimeDB module. Each table reference doubles as a query "
           "builder. */");
  if (has_aliases) {
    out.Line("const tablesBase: __TablesBase = __makeQueryBuilder(tablesSchema.schemaType);");
    out.Line("export const tables: Tables = __withTableAccessorAliases(tablesBase, true) as Tables;");
  } else {
    out.Line("export const tables: __QueryBuilder<typeof tablesSchema.schemaType> = "
             "__makeQueryBuilder(tablesSchema.schemaType);");
  }
  out.Line();
  out.Line("/** The reducers available in this remote SpacetimeDB module. */");
  out.Line("export const reducers = __convertToAccessorMap(reducersSchema.reducersType.reducers);");
  out.Line();
  out.Line("/** The procedures available in this remote SpacetimeDB module. */");
  out.Line("export const procedures = __convertToAccessorMap(proceduresSchema.procedures);");
  out.Line();

  auto context = [&](const char* doc, const char* name, const char* iface) {
    out.Line(std::string("/** ") + doc + " */");
    if (has_aliases) {
      out.Line(std::string("export type ") + name + " = Omit<" + iface + "<typeof REMOTE_MODULE>, \"db\"> & { db: DbView };");
    } else {
      out.Line(std::string("export type ") + name + " = " + iface + "<typeof REMOTE_MODULE>;");
    }
  };
  context("The context type returned in callbacks for all possible events.", "EventContext", "__EventContextInterface");
  context("The context type returned in callbacks for reducer events.", "ReducerEventContext",
          "__ReducerEventContextInterface");
  context("The context type returned in callbacks for subscription events.", "SubscriptionEventContext",
          "__SubscriptionEventContextInterface");
  context("The context type returned in callbacks for error events.", "ErrorContext", "__ErrorContextInterface");
  out.Line("/** The subscription handle type to manage active subscriptions created from a {@link "
           "SubscriptionBuilder}. */");
  out.Line("export type SubscriptionHandle = __SubscriptionHandleImpl<typeof REMOTE_MODULE>;");
  out.Line();
  out.Line("/** Builder class to configure a new subscription to the remote SpacetimeDB instance. */");
  out.Line("export class SubscriptionBuilder extends __SubscriptionBuilderImpl<typeof REMOTE_MODULE> {}");
  out.Line();
  out.Line("/** Builder class to configure a new database connection to the remote SpacetimeDB instance. */");
  out.Line("export class DbConnectionBuilder extends __DbConnectionBuilder<DbConnection> {}");
  out.Line();
  out.Line("/** The typed database connection to manage connections to the remote SpacetimeDB instance. This class "
           "has type information specific to the generated module. */");
  out.Line("export class DbConnection extends __DbConnectionImpl<typeof REMOTE_MODULE> {");
  out.Indent();
  if (has_aliases) {
    out.Line("declare db: DbView;");
    out.Line();
    out.Line("constructor(config: __DbConnectionConfig<typeof REMOTE_MODULE>) {");
    out.Indent();
    out.Line("super(config);");
    out.Line("this.db = __withTableAccessorAliases(this.db) as DbView;");
    out.Dedent();
    out.Line("}");
    out.Line();
  }
  out.Line("/** Creates a new {@link DbConnectionBuilder} to configure and connect to the remote SpacetimeDB "
           "instance. */");
  out.Line("static builder = (): DbConnectionBuilder => {");
  out.Indent();
  out.Line("return new DbConnectionBuilder(REMOTE_MODULE, (config: __DbConnectionConfig<typeof REMOTE_MODULE>) => "
           "new DbConnection(config));");
  out.Dedent();
  out.Line("};");
  out.Line();
  out.Line("/** Creates a new {@link SubscriptionBuilder} to configure a subscription to the remote SpacetimeDB "
           "instance. */");
  out.Line("override subscriptionBuilder = (): SubscriptionBuilder => {");
  out.Indent();
  out.Line("return new SubscriptionBuilder(this);");
  out.Dedent();
  out.Line("};");
  out.Dedent();
  out.Line("}");
  out.Newline();
  return {"index.ts", out.Take()};
}

Result<std::vector<GeneratedFile>> Generator::Run() {
  for (const auto& table : module_.tables()) {
    if (!Visible(table)) continue;
    TableLike t;
    t.name = table.name;
    t.accessor_name = table.accessor_name;
    STDB_ASSIGN_OR_RETURN(t.members, RowMembers(table.product_type_ref, "table `" + table.name + "`"));
    t.primary_key = table.primary_key;
    t.columns = &table.columns;
    t.table = &table;
    tables_.push_back(std::move(t));
  }
  std::stable_sort(tables_.begin(), tables_.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  for (const auto& view : module_.views()) {
    TableLike v;
    v.name = view.name;
    v.accessor_name = view.accessor_name;
    STDB_ASSIGN_OR_RETURN(v.members, RowMembers(view.product_type_ref, "view `" + view.name + "`"));
    v.primary_key = view.primary_key;
    v.columns = &view.columns;
    views_.push_back(std::move(v));
  }
  std::stable_sort(views_.begin(), views_.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  for (const auto& reducer : module_.reducers()) {
    if (reducer.lifecycle == host::Lifecycle::kInit) continue;
    if (!options_.include_private && reducer.visibility == host::FunctionVisibility::kPrivate) continue;
    reducers_.push_back(&reducer);
  }
  for (const auto& procedure : module_.procedures()) {
    if (!options_.include_private && procedure.visibility == host::FunctionVisibility::kPrivate) continue;
    procedures_.push_back(&procedure);
  }
  std::stable_sort(procedures_.begin(), procedures_.end(),
                   [](const auto* a, const auto* b) { return a->name < b->name; });

  std::vector<GeneratedFile> files;
  for (const auto& t : tables_) files.push_back(TableFile(t));
  for (const auto& v : views_) files.push_back(TableFile(v));
  for (const auto* r : reducers_) {
    STDB_ASSIGN_OR_RETURN(auto params, Members(r->params, "the parameters of reducer `" + r->name + "`"));
    files.push_back(ReducerFile(*r, params));
  }
  for (const auto* p : procedures_) {
    STDB_ASSIGN_OR_RETURN(auto params, Members(p->params, "the parameters of procedure `" + p->name + "`"));
    auto returns = ts_.Use(p->return_type);
    if (!returns.ok())
      return Error(ErrorCode::kInvalidArgument,
                   "cannot generate the return type of procedure `" + p->name + "`: " + returns.error().message());
    files.push_back(ProcedureFile(*p, params, *returns));
  }
  files.push_back(IndexFile());
  files.push_back(ReducerTypesFile());
  files.push_back(ProcedureTypesFile());
  files.push_back(TypesFile());
  return files;
}

}  // namespace

Result<std::vector<GeneratedFile>> GenerateTypeScript(const host::ModuleDef& module, const TypeScriptOptions& options) {
  STDB_ASSIGN_OR_RETURN(TypespaceForGenerate ts, TypespaceForGenerate::Build(module));
  Generator generator(module, ts, options);
  return generator.Run();
}

std::vector<std::string> PrivateTableNames(const host::ModuleDef& module) {
  std::vector<std::string> names;
  for (const auto& t : module.tables())
    if (t.table_access == host::TableAccess::kPrivate) names.push_back(t.name);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace stdb::cli
