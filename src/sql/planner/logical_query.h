// LogicalQuery: a type-checked SELECT, before any choice of access paths — what the binder produces and the
// planner consumes, and the form in which subscriptions keep their queries.
//
// A query is a union (bag semantics) of fragments. A fragment is a conjunctive query: a list of relations (table
// references with their aliases) and a list of conditions that must all hold (join conditions and WHERE terms,
// split at the top-level ANDs). A plain SELECT has one fragment; row-level security may replace it by several,
// one per combination of rules (spec/data-layer.md §5.8). Expansion keeps the relations of the user's query at
// their positions (0..n-1) and appends the relations a rule brings in, so the output and any per-relation row
// list binding (subscription deltas) mean the same in every fragment.
//
// The output says what a result row is: the whole row of one relation (SELECT *, t.*, every subscription), a
// list of columns, or COUNT(*). LIMIT caps the number of result rows (after COUNT, like the reference).
//
// Thread-safety: plain values; a finished query is immutable and may be shared.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sats/algebraic_type.h"
#include "sql/binder/bound_expr.h"
#include "table/table_schema.h"

namespace stdb::sql {

struct Relation {
  std::shared_ptr<const table::TableSchema> schema;
  std::string alias;
  table::TableId table_id() const { return schema->table_id; }
};

struct QueryFragment {
  std::vector<Relation> relations;
  std::vector<BoundExprPtr> conjuncts;

  // "r.col" for messages and plan text.
  std::string ColumnName(uint32_t relation, table::ColId column) const;
  // The conjuncts as one condition, for display.
  std::string ConditionToString() const;
};

struct OutputColumn {
  uint32_t relation = 0;
  table::ColId column = 0;
  std::string name;
  sats::AlgebraicType type;
};

struct QueryOutput {
  enum class Kind { kRows, kColumns, kCount };
  Kind kind = Kind::kRows;
  uint32_t relation = 0;              // kRows
  std::vector<OutputColumn> columns;  // kColumns
  std::string count_alias;            // kCount
};

struct LogicalQuery {
  std::vector<QueryFragment> fragments;
  QueryOutput output;
  std::optional<uint64_t> limit;
  bool uses_sender = false;  // some condition reads :sender (the result depends on the caller)
  bool rls_applied = false;  // row-level security was expanded (compiled for a caller who is not the owner)

  // The type of a result row: the table's row type, the named columns, or (alias: U64).
  sats::ProductType ResultType() const;
  // For kRows: the table whose rows are returned.
  const table::TableSchema& ReturnTable() const;
  // A readable form: "SELECT r.* FROM t AS r JOIN s AS s WHERE (...) [UNION ALL ...] LIMIT n".
  std::string ToString() const;
};

}  // namespace stdb::sql
