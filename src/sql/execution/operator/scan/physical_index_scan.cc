#include "sql/execution/operator/scan/physical_index_scan.h"

namespace stdb::sql {

bool PhysicalIndexScan::Execute(ExecutionContext& ctx, Tuple& tuple, TupleSink& sink) const {
  const table::TableView* table = ctx.Table(index_.table_id, index_.table_name);
  if (!table) return false;
  const table::TableIndex::View* index = ctx.Index(*table, index_.index_id, index_.index_name);
  if (!index) return false;
  const QueryParameters& params = ctx.params();
  bool go_on = true;
  uint64_t scanned = 0;
  auto emit = [&](table::RowId id) {
    ++scanned;
    tuple.rows[relation_] = table->rows.Get(id);
    go_on = sink.Push(tuple);
    return go_on;
  };
  if (is_point()) {
    table::IndexKey key;
    for (size_t i = 0; i < equal_.size(); ++i) index_.AppendColumn(i, equal_[i].Get(params), key);
    table::TableIndex::ScanPoint(*index, key, emit);
  } else {
    table::KeyRange range;
    table::IndexKey prefix;
    for (size_t i = 0; i < equal_.size(); ++i) index_.AppendColumn(i, equal_[i].Get(params), prefix);
    range.prefix = std::move(prefix.bytes);
    size_t col = equal_.size();
    auto bound = [&](const std::optional<IndexBound>& b, table::KeyBound& out) {
      if (!b) return;
      out.kind = b->inclusive ? table::KeyBound::Kind::kIncluded : table::KeyBound::Kind::kExcluded;
      index_.AppendColumn(col, b->value.Get(params), out.key);
    };
    bound(lower_, range.lower);
    bound(upper_, range.upper);
    table::TableIndex::ScanRange(*index, range, emit);
  }
  ctx.rows_scanned += scanned;
  return go_on;
}

void PhysicalIndexScan::Explain(std::string& out, int depth) const {
  std::string text = is_point() ? "IndexPointScan " : "IndexRangeScan ";
  text += description_;
  if (alias_ != index_.table_name) text += " AS " + alias_;
  text += " key: ";
  for (size_t i = 0; i < equal_.size(); ++i) text += (i ? ", " : "") + equal_[i].text;
  if (lower_) text += std::string(equal_.empty() ? "" : ", ") + (lower_->inclusive ? "[" : "(") + lower_->value.text;
  else if (upper_) text += std::string(equal_.empty() ? "" : ", ") + "(-inf";
  if (lower_ || upper_)
    text += " .. " + (upper_ ? upper_->value.text + (upper_->inclusive ? "]" : ")") : std::string("+inf)"));
  Line(out, depth, text);
}

uint64_t PhysicalIndexScan::EstimateRows(EstimationContext& ctx) const {
  // As the reference: a point lookup returns rows/distinct keys; anything else is estimated as the whole table.
  uint64_t rows = ctx.TableRows(index_.table_id);
  if (!is_point()) return rows;
  if (index_.unique) return std::min<uint64_t>(rows, 1);
  return std::min(rows, ctx.RowsPerKey(index_.table_id, index_.index_id, false));
}

}  // namespace stdb::sql
