// TableSchema: the definition of one table (columns, indexes, unique constraints, sequences, schedule, access),
// the in-memory form of its rows in st_table, st_column, st_index, st_constraint, st_sequence and st_scheduled
// (spec/data-layer.md §2.5).
//
// Thread-safety: plain values. Tables share schemas as std::shared_ptr<const TableSchema>; a schema change makes
// a new object, so readers holding the old one are never disturbed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sats/algebraic_type.h"
#include "sats/wide_int.h"

namespace stdb::table {

using TableId = uint32_t;
using IndexId = uint32_t;
using ConstraintId = uint32_t;
using SequenceId = uint32_t;
using ColId = uint16_t;

enum class IndexAlgorithm : uint8_t { kBTree, kHash, kDirect };
const char* IndexAlgorithmName(IndexAlgorithm a);  // "btree", "hash", "direct"

struct ColumnSchema {
  std::string name;
  sats::AlgebraicType type;  // no Refs
  bool operator==(const ColumnSchema&) const = default;
};

struct IndexSchema {
  IndexId index_id = 0;
  std::string name;
  IndexAlgorithm algorithm = IndexAlgorithm::kBTree;
  std::vector<ColId> columns;
  bool unique = false;  // a unique constraint exists on exactly these columns
  bool operator==(const IndexSchema&) const = default;
};

struct ConstraintSchema {
  ConstraintId constraint_id = 0;
  std::string name;
  std::vector<ColId> columns;  // unique constraint
  bool operator==(const ConstraintSchema&) const = default;
};

struct SequenceSchema {
  SequenceId sequence_id = 0;
  std::string name;
  ColId column = 0;
  sats::i128 increment = 1;
  sats::i128 start = 1;
  sats::i128 min_value = 1;
  sats::i128 max_value = ~sats::u128(0) >> 1;  // i128::MAX
  bool operator==(const SequenceSchema&) const = default;
};

struct ScheduleSchema {
  uint32_t schedule_id = 0;
  std::string name;
  std::string reducer_name;
  ColId at_column = 0;
  bool operator==(const ScheduleSchema&) const = default;
};

struct TableSchema {
  TableId table_id = 0;
  std::string name;
  bool is_system = false;
  bool is_public = true;
  bool is_event = false;
  std::optional<ColId> primary_key;
  std::vector<ColumnSchema> columns;
  std::vector<IndexSchema> indexes;
  std::vector<ConstraintSchema> constraints;
  std::vector<SequenceSchema> sequences;
  std::optional<ScheduleSchema> schedule;

  sats::ProductType RowType() const;
  std::optional<ColId> ColumnByName(std::string_view name) const;
  const IndexSchema* FindIndex(IndexId id) const;
  const IndexSchema* FindIndexByName(std::string_view name) const;
  const SequenceSchema* SequenceOnColumn(ColId col) const;
  // Column names joined with ", " for messages: "(id, name)".
  std::string ColumnList(const std::vector<ColId>& cols) const;
  bool operator==(const TableSchema&) const = default;
};

}  // namespace stdb::table
