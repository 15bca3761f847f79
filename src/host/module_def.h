// ModuleDef: a validated, version-independent module definition — what the rest of the server uses to create
// tables, indexes, constraints, sequences and schedules, to dispatch reducers, run lifecycle hooks, apply
// row-level security and plan migrations (spec/module-abi.md §5-§6, spec/data-layer.md §2.3-§2.5).
//
// A ModuleDef is built only by ModuleDef::FromRaw / FromBsatn, which apply every validation rule of the reference
// (crates/schema/src/def/validate/v9.rs, v10.rs) and report *all* violations at once, one per line, each naming
// the offending table, column, index, reducer or type. Naming follows the reference exactly:
//   - V10: the case-conversion policy (default SnakeCase when the section is absent) snake_cases table, function
//     and column names, camelCases sum variant names and PascalCases type names, unless an ExplicitNames entry
//     gives the canonical name; the source names remain as aliases (accessor names).
//   - V9: names as written; every reducer is client-callable.
//   - Generated names are never case-converted: index `{table}_{cols}_idx_{btree|hash|direct}`, unique constraint
//     `{table}_{cols}_key`, sequence `{table}_{col}_seq`, schedule `{table}_sched`, built from canonical names.
//     In V10 an index's canonical name is the generated one (or its explicit name) and its source name, which the
//     SDKs set to their own `{table}_{col}_idx_btree`, is an alias accepted by FindIndex.
//
// Ids: reducer, procedure, view and HTTP handler ids are positions in the definition's lists, never names.
//
// Row-level security rules are kept as SQL text; checking them needs the SQL engine and happens when the database
// is initialised.
//
// Thread-safety: immutable once built; any number of threads may read one ModuleDef concurrently.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "host/raw_module_def.h"
#include "sats/algebraic_type.h"
#include "sats/algebraic_value.h"
#include "sats/result.h"

namespace stdb::host {

enum class RawModuleDefVersion : uint8_t { kV9OrEarlier, kV10 };

struct ColumnDef {
  std::string name;           // canonical (case-converted in V10)
  std::string accessor_name;  // as the module wrote it
  uint16_t position = 0;
  // The element type as declared; Refs point into ModuleDef::typespace().
  sats::AlgebraicType declared_type;
  // The same type with every Ref inlined: what st_column stores and what rows are encoded with.
  sats::AlgebraicType type;
  std::optional<sats::AlgebraicValue> default_value;
  bool operator==(const ColumnDef&) const = default;
};

enum class IndexAlgorithmKind : uint8_t { kBTree, kHash, kDirect };
const char* IndexAlgorithmName(IndexAlgorithmKind kind);  // "btree", "hash", "direct"

struct IndexDef {
  std::string name;         // canonical: generated or explicit
  std::string source_name;  // alias (V10: the SDK's name; V9: equal to name)
  std::optional<std::string> accessor_name;
  IndexAlgorithmKind algorithm = IndexAlgorithmKind::kBTree;
  std::vector<uint16_t> columns;  // key columns in key order (one for Direct)
  bool is_unique = false;         // a unique constraint exists on exactly these columns
  bool operator==(const IndexDef&) const = default;
};

struct UniqueConstraintDef {
  std::string name;
  std::vector<uint16_t> columns;  // a set: sorted, no duplicates
  bool operator==(const UniqueConstraintDef&) const = default;
};

struct SequenceDef {
  // Defaults applied when the module leaves a bound out (spec/data-layer.md §2.4).
  static constexpr sats::i128 kDefaultStart = 1;
  static constexpr sats::i128 kDefaultMin = 1;
  static constexpr sats::i128 kDefaultMax = static_cast<sats::i128>(~static_cast<sats::u128>(0) >> 1);

  std::string name;
  uint16_t column = 0;
  std::optional<sats::i128> start;  // as declared; migrations compare declared values
  std::optional<sats::i128> min_value;
  std::optional<sats::i128> max_value;
  sats::i128 increment = 1;

  sats::i128 effective_start() const { return start.value_or(kDefaultStart); }
  sats::i128 effective_min() const { return min_value.value_or(kDefaultMin); }
  sats::i128 effective_max() const { return max_value.value_or(kDefaultMax); }
  bool operator==(const SequenceDef&) const = default;
};

enum class FunctionKind : uint8_t { kReducer, kProcedure };

struct ScheduleDef {
  std::string name;           // `{table}_sched` in V10
  uint16_t at_column = 0;     // the ScheduleAt column
  uint16_t id_column = 0;     // the u64 primary key (scheduled_id)
  std::string function_name;  // canonical name of the reducer or procedure
  FunctionKind function_kind = FunctionKind::kReducer;
  bool operator==(const ScheduleDef&) const = default;
};

struct TableDef {
  std::string name;           // canonical
  std::string accessor_name;  // as the module wrote it
  uint32_t product_type_ref = 0;
  std::vector<ColumnDef> columns;
  std::optional<uint16_t> primary_key;
  std::vector<IndexDef> indexes;
  std::vector<UniqueConstraintDef> constraints;
  std::vector<SequenceDef> sequences;
  std::optional<ScheduleDef> schedule;
  TableType table_type = TableType::kUser;
  TableAccess table_access = TableAccess::kPublic;
  bool is_event = false;

  // The row type with canonical column names and inlined column types.
  sats::ProductType RowType() const;
  // Column by canonical name or accessor alias.
  const ColumnDef* FindColumn(std::string_view name) const;
  bool operator==(const TableDef&) const = default;
};

struct ReducerDef {
  std::string name;           // canonical; what clients call
  std::string accessor_name;  // as the module wrote it
  sats::ProductType params;   // as declared (Refs into the typespace)
  FunctionVisibility visibility = FunctionVisibility::kClientCallable;
  std::optional<Lifecycle> lifecycle;
  bool operator==(const ReducerDef&) const = default;
};

struct ProcedureDef {
  std::string name;
  std::string accessor_name;
  sats::ProductType params;
  sats::AlgebraicType return_type;
  FunctionVisibility visibility = FunctionVisibility::kClientCallable;
  bool operator==(const ProcedureDef&) const = default;
};

struct ViewDef {
  std::string name;
  std::string accessor_name;
  uint32_t index = 0;  // the module's own function index, passed back to __call_view__
  bool is_public = true;
  bool is_anonymous = false;
  sats::ProductType params;
  sats::AlgebraicType return_type;
  uint32_t product_type_ref = 0;  // the row type T of Vec<T>, Option<T> or Query<T>
  bool is_query = false;          // a query-builder view ({__query__: T}) rather than a procedural one
  std::vector<ColumnDef> columns;
  std::optional<uint16_t> primary_key;
  bool operator==(const ViewDef&) const = default;
};

struct HttpHandlerDef {
  std::string name;
  std::string accessor_name;
  bool operator==(const HttpHandlerDef&) const = default;
};

struct HttpRouteDef {
  std::string handler_name;          // canonical
  std::optional<HttpMethod> method;  // nullopt: any method
  std::string path;
  bool operator==(const HttpRouteDef&) const = default;
};

struct TypeDef {
  std::vector<std::string> scope;  // canonical (PascalCase in V10)
  std::string name;                // canonical (PascalCase in V10)
  std::string source_name;         // as the module wrote it
  uint32_t ty = 0;
  bool custom_ordering = false;
  std::string QualifiedName() const;  // "Scope::Name"
  bool operator==(const TypeDef&) const = default;
};

struct SubmoduleDef;

class ModuleDef {
 public:
  // Decodes (DecodeRawModuleDef) and validates a `__describe_module__` buffer.
  static Result<ModuleDef> FromBsatn(sats::ByteSpan bytes);
  // Validates a decoded definition. On failure the error (kInvalidArgument) lists every problem, one per line.
  static Result<ModuleDef> FromRaw(const RawModuleDef& raw);
  static Result<ModuleDef> FromRaw(const RawModuleDefV10& raw);
  static Result<ModuleDef> FromRaw(const RawModuleDefV9& raw);

  RawModuleDefVersion version() const { return version_; }
  // The typespace with V10 case conversion applied (column and variant names canonical).
  const sats::Typespace& typespace() const { return typespace_; }

  const std::vector<TableDef>& tables() const { return tables_; }
  const std::vector<ReducerDef>& reducers() const { return reducers_; }
  const std::vector<ProcedureDef>& procedures() const { return procedures_; }
  const std::vector<ViewDef>& views() const { return views_; }
  const std::vector<HttpHandlerDef>& http_handlers() const { return http_handlers_; }
  const std::vector<HttpRouteDef>& http_routes() const { return http_routes_; }
  const std::vector<TypeDef>& types() const { return types_; }
  const std::vector<std::string>& row_level_security() const { return row_level_security_; }
  const std::vector<SubmoduleDef>& submodules() const { return submodules_; }

  // Table by canonical name or accessor alias.
  const TableDef* FindTable(std::string_view name) const;
  // Index (with its table) by canonical name or source-name alias.
  struct IndexRef {
    const TableDef* table;
    const IndexDef* index;
  };
  std::optional<IndexRef> FindIndex(std::string_view name) const;
  // Function ids by canonical name, falling back to the accessor alias.
  std::optional<uint32_t> FindReducer(std::string_view name) const;
  std::optional<uint32_t> FindProcedure(std::string_view name) const;
  std::optional<uint32_t> FindView(std::string_view name) const;
  std::optional<uint32_t> FindHttpHandler(std::string_view name) const;
  // The reducer registered for a lifecycle event, if any.
  std::optional<uint32_t> LifecycleReducer(Lifecycle lifecycle) const {
    return lifecycle_reducers_[static_cast<size_t>(lifecycle)];
  }
  // The named type definition for a typespace ref, if the module declared one.
  const TypeDef* FindTypeDef(uint32_t ref) const;

 private:
  friend class ModuleDefBuilder;
  void BuildLookups();

  RawModuleDefVersion version_ = RawModuleDefVersion::kV10;
  sats::Typespace typespace_;
  std::vector<TableDef> tables_;
  std::vector<ReducerDef> reducers_;
  std::vector<ProcedureDef> procedures_;
  std::vector<ViewDef> views_;
  std::vector<HttpHandlerDef> http_handlers_;
  std::vector<HttpRouteDef> http_routes_;
  std::vector<TypeDef> types_;
  std::vector<std::string> row_level_security_;
  std::vector<SubmoduleDef> submodules_;
  std::array<std::optional<uint32_t>, kLifecycleCount> lifecycle_reducers_;

  std::unordered_map<std::string, uint32_t> table_by_name_;
  std::unordered_map<std::string, std::pair<uint32_t, uint32_t>> index_by_name_;
  std::unordered_map<std::string, uint32_t> reducer_by_name_, procedure_by_name_, view_by_name_, handler_by_name_;
  std::unordered_map<uint32_t, uint32_t> type_by_ref_;
};

// A nested module (V10 Submodules section). Validated on its own; its names are not merged into the parent's
// lookups (the C++ SDK never emits submodules, and the runtime does not serve them yet).
struct SubmoduleDef {
  std::string namespace_name;
  ModuleDef module;
};

}  // namespace stdb::host
