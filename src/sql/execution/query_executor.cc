#include "sql/execution/query_executor.h"

#include "datastore/system_tables.h"

namespace stdb::sql {

Result<ExecutionStats> ExecutePlan(const PhysicalPlan& plan, const datastore::DatabaseView& view,
                                   const QueryParameters& params,
                                   const std::vector<const datastore::RowList*>& row_lists,
                                   const std::function<bool(sats::ByteSpan)>& on_row) {
  ExecutionContext ctx(view, params, row_lists);
  ExecutionStats stats;
  Tuple tuple;
  tuple.rows.resize(plan.tuple_width);
  auto sink = MakeSink([&](const Tuple& t) {
    ++stats.rows_returned;
    return on_row(t.output);
  });
  plan.root->Execute(ctx, tuple, sink);
  if (!ctx.status().ok()) return ctx.status().error();
  stats.rows_scanned = ctx.rows_scanned;
  return stats;
}

Result<std::optional<uint64_t>> ReadRowLimit(const datastore::DatabaseView& view) {
  const table::TableView* st_var = view.Table(datastore::kStVar);
  std::optional<uint64_t> limit;
  if (!st_var) return limit;
  Status status;
  st_var->rows.ForEach([&](table::RowId, sats::ByteSpan bytes) {
    if (!status.ok() || limit) return;
    auto row = datastore::StVarRow::Decode(bytes);
    if (!row.ok()) {
      status = std::move(row).error();
      return;
    }
    if (row->name != "row_limit") return;
    // The value is an StVarValue sum; any non-negative integer variant is accepted.
    const sats::AlgebraicValue& v = row->value.AsSum().payload ? *row->value.AsSum().payload : row->value;
    sats::i128 n;
    if (v.ToInt128(&n) && n >= 0) limit = n > sats::i128(UINT64_MAX) ? UINT64_MAX : uint64_t(n);
    else if (v.is<sats::u128>()) limit = v.as<sats::u128>() > UINT64_MAX ? UINT64_MAX : uint64_t(v.as<sats::u128>());
  });
  if (!status.ok()) return std::move(status).error();
  return limit;
}

Status CheckRowLimit(const PhysicalPlan& plan, const datastore::DatabaseView& view, uint64_t limit,
                     const std::vector<const datastore::RowList*>& row_lists) {
  EstimationContext ctx(view, row_lists);
  uint64_t estimate = plan.root->EstimateRowsScanned(ctx);
  if (estimate > limit)
    return Error(ErrorCode::kResourceExhausted, "Estimated cardinality (" + std::to_string(estimate) +
                                                    " rows) exceeds limit (" + std::to_string(limit) + " rows)");
  return OkStatus();
}

}  // namespace stdb::sql
