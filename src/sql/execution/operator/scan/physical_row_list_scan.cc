#include "sql/execution/operator/scan/physical_row_list_scan.h"

namespace stdb::sql {

bool PhysicalRowListScan::Execute(ExecutionContext& ctx, Tuple& tuple, TupleSink& sink) const {
  const datastore::RowList* rows = ctx.RowList(relation_);
  if (!rows)
    return ctx.Fail(Error(ErrorCode::kInvalidArgument,
                          "the plan reads relation `" + alias_ + "` from a row list, but none was bound"));
  for (sats::ByteSpan row : *rows) {
    ++ctx.rows_scanned;
    tuple.rows[relation_] = row;
    if (!sink.Push(tuple)) return false;
  }
  return true;
}

void PhysicalRowListScan::Explain(std::string& out, int depth) const {
  Line(out, depth, "RowListScan " + alias_);
}

uint64_t PhysicalRowListScan::EstimateRows(EstimationContext& ctx) const {
  const datastore::RowList* rows = ctx.RowList(relation_);
  return rows ? rows->size() : 0;
}

}  // namespace stdb::sql
