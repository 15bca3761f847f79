// ModuleBuilder: the registrations of one module instance, turned into its RawModuleDef V10.
//
// The preinit functions the SDK macros generate (preinit.h) call into the one process-wide builder in the
// host's order; __describe_module__ then encodes the result, and __call_reducer__ dispatches on the reducer list
// the builder holds, so a reducer's id is its position in the definition (spec/module-abi.md §3.1). Each wasm
// instance runs the preinits once, so the builder is never shared between instances.
//
// Types: named types (structs, enums) are added to the typespace the first time their algebraic_type() is
// asked for, after the types they contain (so a nested struct gets the lower index), and are referred to by Ref;
// every named type also gets a RawTypeDef with custom_ordering = true. A recursive type cannot be registered
// this way and is reported as an error.
//
// Errors: a registration that cannot be honoured (an unknown field, two primary keys, a recursive type, ...)
// is recorded; __describe_module__ then emits, instead of the module, a definition whose only type is named
// `ERROR_<KIND>_<detail>` and points at a typespace index that does not exist, so that publishing fails with a
// message naming the problem, and logs the error (the same convention as the official SDK).
//
// Thread-safety: none; a module instance is single-threaded.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "spacetimedb/bsatn/traits.h"
#include "spacetimedb/internal/module_def.h"
#include "spacetimedb/internal/struct_fields.h"
#include "spacetimedb/outcome.h"

namespace SpacetimeDB {

struct ReducerContext;

// Column constraints requested by the FIELD_* macros, as bits: Indexed 1, AutoInc 2, Unique 4 (+Indexed),
// PrimaryKey 8 (+Unique).
enum class FieldConstraint : uint32_t {
  None = 0,
  Indexed = 0b0001,
  AutoInc = 0b0010,
  Unique = 0b0101,
  PrimaryKey = 0b1101,
  Identity = 0b0111,
  PrimaryKeyAuto = 0b1111,
};
constexpr FieldConstraint operator|(FieldConstraint a, FieldConstraint b) {
  return static_cast<FieldConstraint>(static_cast<uint32_t>(a) | static_cast<uint32_t>(b));
}
constexpr bool has_constraint(FieldConstraint field, FieldConstraint constraint) {
  return (static_cast<uint32_t>(field) & static_cast<uint32_t>(constraint)) == static_cast<uint32_t>(constraint);
}

}  // namespace SpacetimeDB

namespace SpacetimeDB::Internal {

// Decodes a reducer's arguments from the reader and runs it.
using ReducerHandler = std::function<ReducerResult(ReducerContext&, bsatn::Reader&)>;

class ModuleBuilder {
 public:
  static ModuleBuilder& instance();

  // Forgets every registration (preinit 01: static constructors must not leak state into the definition).
  void Clear();

  // --- types ---------------------------------------------------------------------------------------------
  // The Ref of the named type identified by `key`, registering it with `build()` on first use.
  bsatn::AlgebraicType RegisterNamedType(const void* key, std::string_view name, bsatn::AlgebraicType (*build)());
  // SPACETIMEDB_NAMESPACE: the scope of the type `type_name` (given before the type is registered).
  void SetTypeScope(std::string type_name, std::vector<std::string> scope);

  // --- tables --------------------------------------------------------------------------------------------
  void RegisterTable(std::string table_name, const bsatn::AlgebraicType& row_type, std::vector<std::string> columns,
                     bool is_public, bool is_event);
  void AddFieldConstraint(std::string_view table_name, std::string_view field_name, FieldConstraint constraint);
  void AddMultiColumnIndex(std::string_view table_name, std::string_view accessor_name,
                           const std::vector<std::string>& field_names);
  void AddColumnDefault(std::string_view table_name, std::string_view field_name, std::vector<uint8_t> value);
  void RegisterSchedule(std::string table_name, uint16_t schedule_at_column, std::string function_name);

  // --- reducers ------------------------------------------------------------------------------------------
  void RegisterReducer(std::string name, std::vector<bsatn::NamedType> params, ReducerHandler handler);
  void RegisterLifecycleReducer(Lifecycle lifecycle, std::string name, ReducerHandler handler);

  // --- module settings -----------------------------------------------------------------------------------
  void RegisterExplicitName(ExplicitNameKind kind, std::string source_name, std::string canonical_name);
  void SetCaseConversionPolicy(CaseConversionPolicy policy);
  void AddRowLevelSecurity(std::string sql);

  // Records a registration error; the first one wins. `kind` is an UPPER_SNAKE word, `detail` free text.
  void Fail(std::string_view kind, std::string_view detail);
  // Cross-checks registrations that can only be judged once all are in (preinit 99).
  void Validate();

  bool has_error() const { return error_.has_value(); }
  // "ERROR_<KIND>_<detail>" of the first error, or empty.
  std::string error_type_name() const;
  // The definition as registered (tables, reducers, ...), with lifecycle and scheduled functions made Private.
  RawModuleDef Build() const;
  // What __describe_module__ writes: EncodeModuleDef(Build()), or the error definition.
  std::vector<uint8_t> Describe() const;

  // --- runtime lookups -----------------------------------------------------------------------------------
  size_t reducer_count() const { return reducers_.size(); }
  const ReducerHandler* reducer_handler(uint32_t id) const;
  // The auto-increment columns of a table, in column order (empty if unknown).
  const std::vector<uint16_t>& SequenceColumns(std::string_view table_name) const;

 private:
  struct TypeEntry {
    const void* key;
    std::string name;
    std::optional<uint32_t> index;  // unset while the type is being built
  };
  struct TableEntry {
    RawTableDef def;
    std::vector<std::string> columns;
    std::vector<uint16_t> sequence_columns;
  };
  struct ReducerEntry {
    RawReducerDef def;
    ReducerHandler handler;
  };
  struct Error {
    std::string kind;
    std::string detail;
  };

  TableEntry* FindTable(std::string_view name);
  const TableEntry* FindTable(std::string_view name) const;
  std::optional<uint16_t> ColumnOf(const TableEntry& table, std::string_view field_name) const;
  bool IsFunctionRegistered(std::string_view name) const;

  std::vector<TypeEntry> type_entries_;
  std::map<std::string, std::vector<std::string>, std::less<>> type_scopes_;
  std::vector<bsatn::AlgebraicType> typespace_;
  std::vector<RawTypeDef> type_defs_;
  std::vector<TableEntry> tables_;
  std::vector<ReducerEntry> reducers_;
  std::vector<RawScheduleDef> schedules_;
  std::vector<RawLifecycleDef> lifecycle_;
  std::vector<RawExplicitName> explicit_names_;
  std::optional<CaseConversionPolicy> case_conversion_policy_;
  std::vector<std::string> row_level_security_;
  std::optional<Error> error_;
};

// --- helpers the macros expand to ----------------------------------------------------------------------------

// One address per C++ type, the registry's key (names alone could collide across namespaces).
template <typename T>
struct TypeKey {
  static constexpr char id = 0;
};

template <typename T>
bsatn::AlgebraicType RegisterNamedType(std::string_view name, bsatn::AlgebraicType (*build)()) {
  return ModuleBuilder::instance().RegisterNamedType(&TypeKey<T>::id, name, build);
}

template <typename Row>
void RegisterTable(std::string_view table_name, bool is_public, bool is_event) {
  static_assert(HasStructFields<Row>, "a table's row type must be declared with SPACETIMEDB_STRUCT");
  std::vector<std::string> columns(StructFields<Row>::names, StructFields<Row>::names + StructFields<Row>::count);
  ModuleBuilder::instance().RegisterTable(std::string(table_name), bsatn::algebraic_type_of<Row>(),
                                          std::move(columns), is_public, is_event);
}

// The source name of the btree index the FIELD_* macros declare on `columns`: "<table>_<columns>_idx_btree".
std::string IndexSourceName(std::string_view table, std::string_view columns);

// The parameter names of a reducer, from the stringified parameter list "uint32_t id, std::string name": the
// last identifier of each top-level comma-separated declaration (commas inside <>, (), [] or {} do not split).
std::vector<std::string> ParseParameterNames(std::string_view parameter_list);

template <typename... Args>
std::vector<bsatn::NamedType> ReducerParams(const std::vector<std::string>& names) {
  std::vector<bsatn::NamedType> params;
  size_t i = 0;
  [[maybe_unused]] auto add = [&](bsatn::AlgebraicType type) {
    std::string name = i < names.size() ? names[i] : "arg" + std::to_string(i);
    params.push_back(bsatn::NamedType{std::move(name), std::make_shared<const bsatn::AlgebraicType>(std::move(type))});
    ++i;
  };
  (add(bsatn::algebraic_type_of<std::decay_t<Args>>()), ...);
  return params;
}

template <typename Ctx, typename... Args>
ReducerHandler MakeReducerHandler(ReducerResult (*fn)(Ctx, Args...)) {
  static_assert(std::is_same_v<std::remove_cvref_t<Ctx>, ReducerContext>,
                "the first parameter of a reducer must be ReducerContext");
  return [fn](ReducerContext& ctx, bsatn::Reader& reader) -> ReducerResult {
    // A braced list evaluates left to right, which is the order of the arguments' BSATN.
    std::tuple<std::decay_t<Args>...> args{bsatn::deserialize<std::decay_t<Args>>(reader)...};
    if (!reader.ok() || !reader.is_eos()) return Err("failed to decode the reducer's arguments");
    return std::apply([&](auto&... unpacked) { return fn(ctx, std::move(unpacked)...); }, args);
  };
}

template <typename Ctx, typename... Args>
void RegisterReducer(std::string_view name, ReducerResult (*fn)(Ctx, Args...), std::string_view parameter_list) {
  ModuleBuilder::instance().RegisterReducer(std::string(name), ReducerParams<Args...>(ParseParameterNames(parameter_list)),
                                            MakeReducerHandler(fn));
}

template <typename Ctx>
void RegisterLifecycleReducer(Lifecycle lifecycle, std::string_view name, ReducerResult (*fn)(Ctx)) {
  ModuleBuilder::instance().RegisterLifecycleReducer(lifecycle, std::string(name), MakeReducerHandler(fn));
}

}  // namespace SpacetimeDB::Internal
