// Query execution: running a physical plan against a database view and collecting its result rows, and the row
// limit check that precedes it for callers other than the owner (spec/data-layer.md §4.4).
//
// Result rows are BSATN, in the plan's result type: whole table rows are copied straight from storage, column
// lists are the columns' bytes concatenated, COUNT(*) is one U64.
//
// Thread-safety: ExecutePlan may run concurrently on any threads that may read the view.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "datastore/database_view.h"
#include "datastore/tx_data.h"
#include "sats/result.h"
#include "sql/execution/execution_context.h"
#include "sql/planner/planner.h"

namespace stdb::sql {

struct ExecutionStats {
  uint64_t rows_scanned = 0;
  uint64_t rows_returned = 0;
};

// Runs `plan`, calling `on_row` with each result row (valid only during the call; return false to stop).
// `row_lists[r]`, when set, supplies the rows of relation r for plans made with PlanOptions::row_list_relations.
Result<ExecutionStats> ExecutePlan(const PhysicalPlan& plan, const datastore::DatabaseView& view,
                                   const QueryParameters& params,
                                   const std::vector<const datastore::RowList*>& row_lists,
                                   const std::function<bool(sats::ByteSpan)>& on_row);

// The value of `row_limit` in st_var, if set.
Result<std::optional<uint64_t>> ReadRowLimit(const datastore::DatabaseView& view);

// Fails with "Estimated cardinality (N rows) exceeds limit (M rows)" when the plan's estimated rows scanned exceed
// `limit`.
Status CheckRowLimit(const PhysicalPlan& plan, const datastore::DatabaseView& view, uint64_t limit,
                     const std::vector<const datastore::RowList*>& row_lists = {});

}  // namespace stdb::sql
