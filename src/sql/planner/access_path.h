// AccessPath: how the rows of one relation are read — a table scan, or an index scan chosen from the conditions
// that involve only that relation.
//
// Index selection goes beyond the reference, which only uses indexes for equalities: equalities fix a prefix of a
// B-tree index's columns and comparisons (<, <=, >, >=) on the next column bound a range, so `a = 1 AND b > 5`
// over an index on (a, b) is one range scan. Hash indexes answer only when every column is fixed by an equality.
// Among usable indexes the best is, in order: a unique index fixed on all columns, more fixed columns, then a
// bounded range. The conditions an index scan enforces are "consumed" and need no filter; several bounds on the
// same column collapse to the tightest.
//
// IndexForJoin finds an index through which a join can probe a relation: one whose leading columns are fixed by
// equalities with constants and whose next column is the join column.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <vector>

#include "sql/binder/bound_expr.h"
#include "table/table_schema.h"

namespace stdb::sql {

// A condition `column op value` on one relation, where value is a literal or :sender (normalised so the column
// is on the left).
struct SargableTerm {
  size_t conjunct = 0;  // index into the fragment's conjuncts
  table::ColId column = 0;
  CompareOp op = CompareOp::kEq;
  Operand value;
};

// The sargable form of `expr` for relation `relation`, if it has one.
std::optional<SargableTerm> AsSargable(const BoundExpr& expr, uint32_t relation, size_t conjunct);

struct AccessPath {
  const table::IndexSchema* index = nullptr;  // null: table scan
  std::vector<Operand> equal;                 // values of the index's first equal.size() columns
  std::optional<Operand> lower, upper;        // bounds on the next column
  bool lower_inclusive = true, upper_inclusive = true;
  std::vector<size_t> consumed;               // conjuncts the scan enforces

  bool is_point() const { return index && equal.size() == index->columns.size(); }
  bool is_unique_point() const { return is_point() && index->unique; }
};

AccessPath ChooseAccessPath(const table::TableSchema& table, const std::vector<SargableTerm>& terms);

struct JoinProbe {
  const table::IndexSchema* index = nullptr;
  std::vector<Operand> constant_prefix;  // values of the index columns before the join column
  std::vector<size_t> consumed;          // the equality conjuncts folded into the prefix
  bool is_point() const { return constant_prefix.size() + 1 == index->columns.size(); }
  bool is_unique() const { return is_point() && index->unique; }
};

std::optional<JoinProbe> IndexForJoin(const table::TableSchema& table, table::ColId join_column,
                                      const std::vector<SargableTerm>& terms);

}  // namespace stdb::sql
