// RawModuleDef V10: the module description __describe_module__ writes (spec/module-abi.md §5.1, §5.3).
//
// These structs hold only what this SDK emits; EncodeModuleDef writes them as BSATN `RawModuleDef::V10` (tag 2),
// a `Vec<RawModuleDefV10Section>` in this order, leaving out empty sections other than the typespace (§7.2):
//   0 Typespace, 1 Types, 2 Tables, 3 Reducers, 6 Schedules, 7 LifeCycleReducers, 9 CaseConversionPolicy (only
//   when set), 10 ExplicitNames, 8 RowLevelSecurity (last).
// Field layouts, in encoding order:
//   RawTypeDefV10        {source_name: {scope: Vec<String>, source_name: String}, ty: u32, custom_ordering: bool}
//   RawTableDefV10       {source_name, product_type_ref: u32, primary_key: Vec<u16>, indexes, constraints,
//                         sequences, table_type (1 = User), table_access (0 = Public, 1 = Private),
//                         default_values: Vec<{col_id: u16, value: Vec<u8>}>, is_event: bool}
//   RawIndexDefV10       {source_name: Option<String> (always Some), accessor_name: Option<String>,
//                         algorithm: tag 0 BTree {columns: Vec<u16>}}
//   RawConstraintDefV10  {source_name: None, data: tag 0 Unique {columns: Vec<u16>}}
//   RawSequenceDefV10    {source_name: None, column: u16, start/min_value/max_value: None, increment: i128}
//   RawReducerDefV10     {source_name, params: ProductType, visibility (0 Private, 1 ClientCallable),
//                         ok_return_type: Unit, err_return_type: String}
//   RawScheduleDefV10    {source_name: Some("<table>_sched"), table_name, schedule_at_col: u16, function_name}
//   RawLifeCycleReducerDefV10 {lifecycle_spec (0 Init, 1 OnConnect, 2 OnDisconnect), function_name}
//   ExplicitNames        {entries: Vec<tag 0 Table | 1 Function | 2 Index {source_name, canonical_name}>}
//
// Thread-safety: plain data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "spacetimedb/bsatn/algebraic_type.h"

namespace SpacetimeDB::Internal {

struct RawTypeDef {
  std::vector<std::string> scope;
  std::string source_name;
  uint32_t ty = 0;
  bool custom_ordering = true;
};

struct RawIndexDef {
  std::string source_name;
  std::string accessor_name;
  std::vector<uint16_t> columns;  // a btree over these columns, in this order
};

struct RawUniqueConstraintDef {
  std::vector<uint16_t> columns;
};

struct RawSequenceDef {
  uint16_t column = 0;
  int64_t increment = 1;
};

struct RawColumnDefault {
  uint16_t column = 0;
  std::vector<uint8_t> value;  // BSATN at the column's type
};

struct RawTableDef {
  std::string source_name;
  uint32_t product_type_ref = 0;
  std::vector<uint16_t> primary_key;
  std::vector<RawIndexDef> indexes;
  std::vector<RawUniqueConstraintDef> constraints;
  std::vector<RawSequenceDef> sequences;
  bool is_public = true;
  std::vector<RawColumnDefault> default_values;
  bool is_event = false;
};

struct RawReducerDef {
  std::string source_name;
  std::vector<bsatn::NamedType> params;
  bool client_callable = true;
};

struct RawScheduleDef {
  std::string source_name;
  std::string table_name;
  uint16_t schedule_at_column = 0;
  std::string function_name;
};

enum class Lifecycle : uint8_t { Init = 0, OnConnect = 1, OnDisconnect = 2 };

struct RawLifecycleDef {
  Lifecycle lifecycle = Lifecycle::Init;
  std::string function_name;
};

enum class ExplicitNameKind : uint8_t { Table = 0, Function = 1, Index = 2 };

struct RawExplicitName {
  ExplicitNameKind kind = ExplicitNameKind::Table;
  std::string source_name;
  std::string canonical_name;
};

}  // namespace SpacetimeDB::Internal

namespace SpacetimeDB {
// How the host derives canonical names from source names; the host's default when unset is SnakeCase.
enum class CaseConversionPolicy : uint8_t { None = 0, SnakeCase = 1 };
}  // namespace SpacetimeDB

namespace SpacetimeDB::Internal {

struct RawModuleDef {
  std::vector<bsatn::AlgebraicType> typespace;
  std::vector<RawTypeDef> types;
  std::vector<RawTableDef> tables;
  std::vector<RawReducerDef> reducers;
  std::vector<RawScheduleDef> schedules;
  std::vector<RawLifecycleDef> lifecycle_reducers;
  std::optional<CaseConversionPolicy> case_conversion_policy;
  std::vector<RawExplicitName> explicit_names;
  std::vector<std::string> row_level_security;
};

// The BSATN of RawModuleDef::V10(def).
std::vector<uint8_t> EncodeModuleDef(const RawModuleDef& def);

}  // namespace SpacetimeDB::Internal
