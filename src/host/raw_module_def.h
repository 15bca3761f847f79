// RawModuleDef: the module definition exactly as a module's `__describe_module__` writes it, as typed C++ values,
// with its BSATN decoding and encoding (spec/module-abi.md §5.1-§5.4).
//
// Nothing here is validated beyond the wire shape; module_def.h turns a RawModuleDef into a checked ModuleDef.
// Encoding exists so tests (and tools) can build definitions and round-trip them byte for byte.
//
// Wire layout (BSATN; structs are their fields in the order written below, enums are a u8 tag then the payload):
//   RawModuleDef          sum: 0 V8BackCompat (not supported), 1 V9(RawModuleDefV9), 2 V10(RawModuleDefV10)
//   RawModuleDefV10       Vec<Section>; Section tag 0 Typespace, 1 Types, 2 Tables, 3 Reducers, 4 Procedures,
//                         5 Views, 6 Schedules, 7 LifeCycleReducers, 8 RowLevelSecurity, 9 CaseConversionPolicy,
//                         10 ExplicitNames, 11 HttpHandlers, 12 HttpRoutes, 13 ViewPrimaryKeys, 14 Submodules
//   RawModuleDefV9        typespace, tables, reducers, types, misc_exports, row_level_security
//   ColList               Vec<u16>;  Option<T>: 0 Some(T), 1 None;  i128 as 16 bytes little-endian
// Sections keep their order and duplicates so that re-encoding reproduces the input; readers use the first
// section of each kind (RawModuleDefV10::Find).
//
// Thread-safety: plain values; the functions are reentrant.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sats/algebraic_type.h"
#include "sats/bsatn.h"
#include "sats/result.h"
#include "sats/wide_int.h"

namespace stdb::host {

using ColList = std::vector<uint16_t>;
using sats::i128;

// --- Enums shared by V9 and V10 -------------------------------------------------------------------------------
enum class TableType : uint8_t { kSystem = 0, kUser = 1 };
enum class TableAccess : uint8_t { kPublic = 0, kPrivate = 1 };
enum class FunctionVisibility : uint8_t { kPrivate = 0, kClientCallable = 1 };
enum class Lifecycle : uint8_t { kInit = 0, kOnConnect = 1, kOnDisconnect = 2 };
inline constexpr int kLifecycleCount = 3;
enum class CaseConversionPolicy : uint8_t { kNone = 0, kSnakeCase = 1 };

// "Init", "OnConnect", "OnDisconnect" (the reference's variant names, used in messages).
const char* LifecycleName(Lifecycle lifecycle);

// --- Pieces shared by V9 and V10 (identical wire shapes) -------------------------------------------------------
struct RawIndexAlgorithm {
  enum class Kind : uint8_t { kBTree = 0, kHash = 1, kDirect = 2 };
  Kind kind = Kind::kBTree;
  // BTree/Hash: the key columns. Direct: exactly one column (its wire payload is a single u16).
  ColList columns;

  static RawIndexAlgorithm BTree(ColList cols) { return {Kind::kBTree, std::move(cols)}; }
  static RawIndexAlgorithm Hash(ColList cols) { return {Kind::kHash, std::move(cols)}; }
  static RawIndexAlgorithm Direct(uint16_t col) { return {Kind::kDirect, {col}}; }
  bool operator==(const RawIndexAlgorithm&) const = default;
};

// V9 `name` / V10 `source_name`.
struct RawIndexDef {
  std::optional<std::string> name;
  std::optional<std::string> accessor_name;
  RawIndexAlgorithm algorithm;
  bool operator==(const RawIndexDef&) const = default;
};

// RawConstraintDefV9/V10 { name, data: RawConstraintDataV9 }. The data sum has one variant, 0 Unique{columns}.
struct RawConstraintDef {
  std::optional<std::string> name;
  ColList unique_columns;
  bool operator==(const RawConstraintDef&) const = default;
};

struct RawSequenceDef {
  std::optional<std::string> name;
  uint16_t column = 0;
  std::optional<i128> start;
  std::optional<i128> min_value;
  std::optional<i128> max_value;
  i128 increment = 1;
  bool operator==(const RawSequenceDef&) const = default;
};

// RawTypeDefV9 { name: {scope, name}, ty, custom_ordering } and RawTypeDefV10 { source_name: {scope, source_name},
// ty, custom_ordering } have the same layout.
struct RawTypeDef {
  std::vector<std::string> scope;
  std::string name;
  uint32_t ty = 0;
  bool custom_ordering = false;
  bool operator==(const RawTypeDef&) const = default;
};

struct RawRowLevelSecurityDef {
  std::string sql;
  bool operator==(const RawRowLevelSecurityDef&) const = default;
};

// --- V10 ------------------------------------------------------------------------------------------------------
struct RawColumnDefaultValueV10 {
  uint16_t col_id = 0;
  std::vector<uint8_t> value;  // BSATN of the value at the column's type
  bool operator==(const RawColumnDefaultValueV10&) const = default;
};

struct RawTableDefV10 {
  std::string source_name;
  uint32_t product_type_ref = 0;
  ColList primary_key;
  std::vector<RawIndexDef> indexes;
  std::vector<RawConstraintDef> constraints;
  std::vector<RawSequenceDef> sequences;
  TableType table_type = TableType::kUser;
  TableAccess table_access = TableAccess::kPublic;
  std::vector<RawColumnDefaultValueV10> default_values;
  bool is_event = false;
  bool operator==(const RawTableDefV10&) const = default;
};

struct RawReducerDefV10 {
  std::string source_name;
  sats::ProductType params;
  FunctionVisibility visibility = FunctionVisibility::kClientCallable;
  sats::AlgebraicType ok_return_type = sats::AlgebraicType::Unit();
  sats::AlgebraicType err_return_type = sats::AlgebraicType::String();
  bool operator==(const RawReducerDefV10&) const = default;
};

struct RawProcedureDefV10 {
  std::string source_name;
  sats::ProductType params;
  sats::AlgebraicType return_type;
  FunctionVisibility visibility = FunctionVisibility::kClientCallable;
  bool operator==(const RawProcedureDefV10&) const = default;
};

struct RawViewDefV10 {
  std::string source_name;
  uint32_t index = 0;
  bool is_public = true;
  bool is_anonymous = false;
  sats::ProductType params;
  sats::AlgebraicType return_type;
  bool operator==(const RawViewDefV10&) const = default;
};

struct RawScheduleDefV10 {
  std::optional<std::string> source_name;
  std::string table_name;
  uint16_t schedule_at_col = 0;
  std::string function_name;
  bool operator==(const RawScheduleDefV10&) const = default;
};

struct RawLifecycleReducerDefV10 {
  Lifecycle lifecycle = Lifecycle::kInit;
  std::string function_name;
  bool operator==(const RawLifecycleReducerDefV10&) const = default;
};

struct NameMapping {
  std::string source_name;
  std::string canonical_name;
  bool operator==(const NameMapping&) const = default;
};

struct ExplicitNameEntry {
  enum class Kind : uint8_t { kTable = 0, kFunction = 1, kIndex = 2 };
  Kind kind = Kind::kTable;
  NameMapping mapping;
  bool operator==(const ExplicitNameEntry&) const = default;
};

struct ExplicitNames {
  std::vector<ExplicitNameEntry> entries;
  bool operator==(const ExplicitNames&) const = default;
};

// spec/module-abi.md §4.5 HttpMethod: tags 0..8 are Get..Patch, 9 Extension(String).
struct HttpMethod {
  enum class Kind : uint8_t {
    kGet = 0, kHead, kPost, kPut, kDelete, kConnect, kOptions, kTrace, kPatch, kExtension,
  };
  Kind kind = Kind::kGet;
  std::string extension;  // only for kExtension
  std::string ToString() const;
  bool operator==(const HttpMethod&) const = default;
};

struct RawHttpHandlerDefV10 {
  std::string source_name;
  bool operator==(const RawHttpHandlerDefV10&) const = default;
};

struct RawHttpRouteDefV10 {
  std::string handler_function;
  std::optional<HttpMethod> method;  // MethodOrAny: nullopt is Any (tag 0), a value is Method (tag 1)
  std::string path;
  bool operator==(const RawHttpRouteDefV10&) const = default;
};

struct RawViewPrimaryKeyDefV10 {
  std::string view_source_name;
  std::vector<std::string> columns;
  bool operator==(const RawViewPrimaryKeyDefV10&) const = default;
};

struct RawModuleDefV10Section;
struct RawSubmoduleV10;

struct RawModuleDefV10 {
  enum class SectionKind : uint8_t {
    kTypespace = 0, kTypes, kTables, kReducers, kProcedures, kViews, kSchedules, kLifecycleReducers,
    kRowLevelSecurity, kCaseConversionPolicy, kExplicitNames, kHttpHandlers, kHttpRoutes, kViewPrimaryKeys,
    kSubmodules,
  };

  std::vector<RawModuleDefV10Section> sections;

  // The first section of each kind (later duplicates are ignored, as the reference does), or null.
  const sats::Typespace* typespace() const;
  const std::vector<RawTypeDef>* types() const;
  const std::vector<RawTableDefV10>* tables() const;
  const std::vector<RawReducerDefV10>* reducers() const;
  const std::vector<RawProcedureDefV10>* procedures() const;
  const std::vector<RawViewDefV10>* views() const;
  const std::vector<RawScheduleDefV10>* schedules() const;
  const std::vector<RawLifecycleReducerDefV10>* lifecycle_reducers() const;
  const std::vector<RawRowLevelSecurityDef>* row_level_security() const;
  std::optional<CaseConversionPolicy> case_conversion_policy() const;  // nullopt when absent
  const ExplicitNames* explicit_names() const;
  const std::vector<RawHttpHandlerDefV10>* http_handlers() const;
  const std::vector<RawHttpRouteDefV10>* http_routes() const;
  const std::vector<RawViewPrimaryKeyDefV10>* view_primary_keys() const;
  const std::vector<RawSubmoduleV10>* submodules() const;

  bool operator==(const RawModuleDefV10& other) const;
};

struct RawSubmoduleV10 {
  std::string namespace_name;
  RawModuleDefV10 module;
  bool operator==(const RawSubmoduleV10& other) const;
};

// One section; the variant index is the wire tag (RawModuleDefV10::SectionKind).
struct RawModuleDefV10Section {
  using Payload = std::variant<sats::Typespace, std::vector<RawTypeDef>, std::vector<RawTableDefV10>,
                               std::vector<RawReducerDefV10>, std::vector<RawProcedureDefV10>,
                               std::vector<RawViewDefV10>, std::vector<RawScheduleDefV10>,
                               std::vector<RawLifecycleReducerDefV10>, std::vector<RawRowLevelSecurityDef>,
                               CaseConversionPolicy, ExplicitNames, std::vector<RawHttpHandlerDefV10>,
                               std::vector<RawHttpRouteDefV10>, std::vector<RawViewPrimaryKeyDefV10>,
                               std::vector<RawSubmoduleV10>>;
  Payload payload;

  RawModuleDefV10::SectionKind kind() const { return static_cast<RawModuleDefV10::SectionKind>(payload.index()); }
  bool operator==(const RawModuleDefV10Section& other) const;
};

// --- V9 -------------------------------------------------------------------------------------------------------
struct RawScheduleDefV9 {
  std::optional<std::string> name;
  std::string reducer_name;  // may name a procedure
  uint16_t scheduled_at_column = 0;
  bool operator==(const RawScheduleDefV9&) const = default;
};

struct RawTableDefV9 {
  std::string name;
  uint32_t product_type_ref = 0;
  ColList primary_key;
  std::vector<RawIndexDef> indexes;
  std::vector<RawConstraintDef> constraints;
  std::vector<RawSequenceDef> sequences;
  std::optional<RawScheduleDefV9> schedule;
  TableType table_type = TableType::kUser;
  TableAccess table_access = TableAccess::kPublic;
  bool operator==(const RawTableDefV9&) const = default;
};

struct RawReducerDefV9 {
  std::string name;
  sats::ProductType params;
  std::optional<Lifecycle> lifecycle;
  bool operator==(const RawReducerDefV9&) const = default;
};

struct RawColumnDefaultValueV9 {
  std::string table;
  uint16_t col_id = 0;
  std::vector<uint8_t> value;
  bool operator==(const RawColumnDefaultValueV9&) const = default;
};

struct RawProcedureDefV9 {
  std::string name;
  sats::ProductType params;
  sats::AlgebraicType return_type;
  bool operator==(const RawProcedureDefV9&) const = default;
};

struct RawViewDefV9 {
  std::string name;
  uint32_t index = 0;
  bool is_public = true;
  bool is_anonymous = false;
  sats::ProductType params;
  sats::AlgebraicType return_type;
  bool operator==(const RawViewDefV9&) const = default;
};

// RawMiscModuleExportV9: 0 ColumnDefaultValue, 1 Procedure, 2 View (variant index = wire tag).
using RawMiscModuleExportV9 = std::variant<RawColumnDefaultValueV9, RawProcedureDefV9, RawViewDefV9>;

struct RawModuleDefV9 {
  sats::Typespace typespace;
  std::vector<RawTableDefV9> tables;
  std::vector<RawReducerDefV9> reducers;
  std::vector<RawTypeDef> types;
  std::vector<RawMiscModuleExportV9> misc_exports;
  std::vector<RawRowLevelSecurityDef> row_level_security;
  bool operator==(const RawModuleDefV9&) const = default;
};

// --- Top level ------------------------------------------------------------------------------------------------
// RawModuleDef: variant index 0 is V9 (wire tag 1), index 1 is V10 (wire tag 2). V8 (tag 0) predates 1.0 and is
// rejected with a clear error.
using RawModuleDef = std::variant<RawModuleDefV9, RawModuleDefV10>;

// How deeply submodules may nest; hostile input must not be able to exhaust the stack.
inline constexpr int kMaxSubmoduleDepth = 8;

// Decodes a whole `__describe_module__` buffer; truncation, bad tags, invalid UTF-8 and trailing bytes are errors
// (ErrorCode::kDecode) that say what was being read and where.
Result<RawModuleDef> DecodeRawModuleDef(sats::ByteSpan bytes);
Result<RawModuleDefV10> DecodeRawModuleDefV10(sats::ByteSpan bytes);  // the V10 payload alone, no version tag
Result<RawModuleDefV9> DecodeRawModuleDefV9(sats::ByteSpan bytes);    // the V9 payload alone, no version tag

// Encodes with the version tag; Encode(Decode(b)) == b for every accepted b.
sats::Bytes EncodeRawModuleDef(const RawModuleDef& def);
void EncodeRawModuleDefV10(const RawModuleDefV10& def, sats::bsatn::Writer& w);  // no version tag
void EncodeRawModuleDefV9(const RawModuleDefV9& def, sats::bsatn::Writer& w);    // no version tag

}  // namespace stdb::host
