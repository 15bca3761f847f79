// DML execution: INSERT, UPDATE and DELETE on the writer's transaction, with the reference's semantics
// (spec/data-layer.md §4.2):
//   INSERT  inserts each row; an auto-increment column given 0 takes the sequence's next value; a row identical
//           to one already present is a silent no-op and is not counted;
//   DELETE  finds the matching rows, then deletes each by value;
//   UPDATE  finds the matching rows, deletes them all, then inserts copies with the assigned columns changed
//           (so a changed row is counted once in rows_updated, and unique constraints are checked against the
//           final state).
// A statement that fails part-way (e.g. a unique constraint violation) leaves the transaction as it was before
// the statement.
//
// Thread-safety: the database thread, with the one open MutTx.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "datastore/mut_tx.h"
#include "sats/algebraic_value.h"
#include "sats/result.h"
#include "sql/execution/execution_context.h"
#include "sql/planner/planner.h"

namespace stdb::sql {

struct DmlStats {
  uint64_t rows_inserted = 0;
  uint64_t rows_deleted = 0;
  uint64_t rows_updated = 0;
};

Result<DmlStats> ExecuteInsert(datastore::MutTx& tx, table::TableId table, const std::vector<sats::ProductValue>& rows);
// `target` yields whole rows of `table`.
Result<DmlStats> ExecuteDelete(datastore::MutTx& tx, table::TableId table, const PhysicalPlan& target,
                               const QueryParameters& params);
Result<DmlStats> ExecuteUpdate(datastore::MutTx& tx, const table::TableSchema& table, const PhysicalPlan& target,
                               const std::vector<std::pair<table::ColId, sats::AlgebraicValue>>& assignments,
                               const QueryParameters& params);

}  // namespace stdb::sql
