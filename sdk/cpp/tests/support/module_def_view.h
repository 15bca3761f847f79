// Test support: decodes the RawModuleDef an SDK module describes, with the server's generic SATS library
// (src/sats) and a SATS type of RawModuleDef written from spec/module-abi.md §5 — independently of the SDK's own
// encoder — into plain structs tests can assert on.
//
// Only the V10 sections the C++ SDK can emit have a schema here; Procedures, Views, HTTP and Submodules are
// declared as the empty sum, so a definition that contains them fails to decode.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sats/algebraic_type.h"
#include "sats/bsatn.h"
#include "sats/result.h"

namespace stdb::sdk_test {

struct TypeDefView {
  std::vector<std::string> scope;
  std::string name;
  uint32_t ty = 0;
  bool custom_ordering = false;
};

struct IndexView {
  std::optional<std::string> source_name;
  std::optional<std::string> accessor_name;
  uint8_t algorithm = 0;  // 0 BTree, 1 Hash, 2 Direct
  std::vector<uint16_t> columns;
};

struct ConstraintView {
  std::optional<std::string> source_name;
  std::vector<uint16_t> unique_columns;
};

struct SequenceView {
  std::optional<std::string> source_name;
  uint16_t column = 0;
  std::optional<sats::i128> start, min_value, max_value;
  sats::i128 increment = 0;
};

struct ColumnDefaultView {
  uint16_t column = 0;
  std::vector<uint8_t> value;
};

struct TableView {
  std::string name;
  uint32_t type_ref = 0;
  std::vector<uint16_t> primary_key;
  std::vector<IndexView> indexes;
  std::vector<ConstraintView> constraints;
  std::vector<SequenceView> sequences;
  uint8_t table_type = 0;    // 0 System, 1 User
  uint8_t table_access = 0;  // 0 Public, 1 Private
  std::vector<ColumnDefaultView> defaults;
  bool is_event = false;
};

struct ReducerView {
  std::string name;
  sats::ProductType params;
  uint8_t visibility = 0;  // 0 Private, 1 ClientCallable
  sats::AlgebraicType ok_return_type;
  sats::AlgebraicType err_return_type;
};

struct ScheduleView {
  std::optional<std::string> source_name;
  std::string table;
  uint16_t schedule_at_column = 0;
  std::string function;
};

struct LifecycleView {
  uint8_t kind = 0;  // 0 Init, 1 OnConnect, 2 OnDisconnect
  std::string function;
};

struct ExplicitNameView {
  uint8_t kind = 0;  // 0 Table, 1 Function, 2 Index
  std::string source_name;
  std::string canonical_name;
};

struct ModuleDefView {
  std::vector<uint8_t> section_tags;  // in encoding order
  sats::Typespace typespace;
  std::vector<TypeDefView> types;
  std::vector<TableView> tables;
  std::vector<ReducerView> reducers;
  std::vector<ScheduleView> schedules;
  std::vector<LifecycleView> lifecycle;
  std::optional<uint8_t> case_conversion_policy;
  std::vector<ExplicitNameView> explicit_names;
  std::vector<std::string> row_level_security;

  const TableView* table(std::string_view name) const;
  const ReducerView* reducer(std::string_view name) const;
  // The reducer's id (its position), or -1.
  int reducer_id(std::string_view name) const;
  const TypeDefView* type(std::string_view name) const;
  // The resolved product type of a table's rows.
  const sats::ProductType& row_type(const TableView& table) const;
  std::vector<std::string> table_names() const;
  std::vector<std::string> reducer_names() const;
  std::vector<std::string> column_names(const TableView& table) const;
};

// The SATS type of RawModuleDef (as far as this SDK emits it), and the typespace its AlgebraicType refs use.
sats::AlgebraicType RawModuleDefType();
sats::Typespace RawModuleDefMetaTypespace();

// Decodes a whole buffer as RawModuleDef::V10 (other versions are an error).
Result<ModuleDefView> DecodeModuleDef(sats::ByteSpan bytes);

}  // namespace stdb::sdk_test
