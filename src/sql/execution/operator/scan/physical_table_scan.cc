#include "sql/execution/operator/scan/physical_table_scan.h"

namespace stdb::sql {

bool PhysicalTableScan::Execute(ExecutionContext& ctx, Tuple& tuple, TupleSink& sink) const {
  const table::TableView* table = ctx.Table(table_, table_name_);
  if (!table) return false;
  // Scan in chunks so a sink that stops (LIMIT) ends the scan instead of waiting for the table's end.
  constexpr size_t kChunk = 1024;
  bool go_on = true;
  uint64_t scanned = 0;
  table::RowId next = 0;
  while (go_on && next != table::kNoRow) {
    next = table->rows.ForEachFrom(next, kChunk, [&](table::RowId, sats::ByteSpan row) {
      if (!go_on) return;
      ++scanned;
      tuple.rows[relation_] = row;
      go_on = sink.Push(tuple);
    });
  }
  ctx.rows_scanned += scanned;
  return go_on;
}

void PhysicalTableScan::Explain(std::string& out, int depth) const {
  Line(out, depth, "TableScan " + table_name_ + (alias_ != table_name_ ? " AS " + alias_ : ""));
}

}  // namespace stdb::sql
