#include "sql/execution/operator/join/physical_index_join.h"

namespace stdb::sql {

bool PhysicalIndexJoin::Execute(ExecutionContext& ctx, Tuple& tuple, TupleSink& sink) const {
  const table::TableView* table = ctx.Table(index_.table_id, index_.table_name);
  if (!table) return false;
  const table::TableIndex::View* index = ctx.Index(*table, index_.index_id, index_.index_name);
  if (!index) return false;
  table::IndexKey prefix;
  for (size_t i = 0; i < constant_prefix_.size(); ++i)
    index_.AppendColumn(i, constant_prefix_[i].Get(ctx.params()), prefix);
  const size_t key_col = constant_prefix_.size();
  const bool point = is_point();
  uint64_t scanned = 0;
  table::KeyRange range;
  auto probe = MakeSink([&](const Tuple& t) {
    bool go_on = true;
    auto emit = [&](table::RowId id) {
      ++scanned;
      tuple.rows[right_relation_] = table->rows.Get(id);
      go_on = sink.Push(tuple);
      return go_on;
    };
    if (point) {
      table::IndexKey key = prefix;
      index_.AppendColumn(key_col, left_key_.Read(t), key);
      table::TableIndex::ScanPoint(*index, key, emit);
    } else {
      table::IndexKey key = prefix;
      index_.AppendColumn(key_col, left_key_.Read(t), key);
      range.prefix = std::move(key.bytes);
      table::TableIndex::ScanRange(*index, range, emit);
    }
    return go_on;
  });
  bool finished = left_->Execute(ctx, tuple, probe);
  ctx.rows_scanned += scanned;
  return finished;
}

void PhysicalIndexJoin::Explain(std::string& out, int depth) const {
  std::string key;
  for (const auto& c : constant_prefix_) key += c.text + ", ";
  key += left_key_name_;
  Line(out, depth, "IndexJoin " + right_alias_ + " via " + description_ + " key: " + key +
                       (index_.unique && is_point() ? " (unique)" : ""));
  left_->Explain(out, depth + 1);
}

uint64_t PhysicalIndexJoin::MatchesPerProbe(EstimationContext& ctx) const {
  return ctx.RowsPerKey(index_.table_id, index_.index_id, index_.unique && is_point());
}

uint64_t PhysicalIndexJoin::EstimateRows(EstimationContext& ctx) const {
  return SaturatingMul(left_->EstimateRows(ctx), MatchesPerProbe(ctx));
}

uint64_t PhysicalIndexJoin::EstimateRowsScanned(EstimationContext& ctx) const {
  return SaturatingAdd(left_->EstimateRowsScanned(ctx), SaturatingMul(left_->EstimateRows(ctx), MatchesPerProbe(ctx)));
}

}  // namespace stdb::sql
