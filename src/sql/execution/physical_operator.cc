#include "sql/execution/physical_operator.h"

#include "table/table_index.h"

namespace stdb::sql {

uint64_t EstimationContext::TableRows(table::TableId table) const {
  const table::TableView* t = view_.Table(table);
  return t ? t->rows.row_count() : 0;
}

uint64_t EstimationContext::RowsPerKey(table::TableId table, table::IndexId index, bool unique) {
  if (unique) return 1;
  auto key = std::make_pair(table, index);
  if (auto it = rows_per_key_.find(key); it != rows_per_key_.end()) return it->second;
  // The reference divides the row count by the number of distinct keys, which it maintains; we do not, so count
  // distinct keys among the first kSample entries of the index and extrapolate from their average run length.
  constexpr size_t kSample = 4096;
  uint64_t estimate = 1;
  const table::TableView* t = view_.Table(table);
  const table::TableIndex::View* ix = t ? t->FindIndex(index) : nullptr;
  if (ix && ix->size() > 0) {
    size_t seen = 0, distinct = 0;
    if (ix->shape == table::KeyShape::kU64) {
      uint64_t last = 0;
      for (auto c = table::U64Tree::Begin(ix->u64); c.Valid() && seen < kSample; c.Next(), ++seen) {
        if (seen == 0 || c.key() != last) ++distinct;
        last = c.key();
      }
    } else {
      std::string last;
      for (auto c = table::BytesTree::Begin(ix->bytes); c.Valid() && seen < kSample; c.Next(), ++seen) {
        if (seen == 0 || c.key() != last) ++distinct;
        last = c.key();
      }
    }
    estimate = std::max<uint64_t>(1, (seen + distinct - 1) / std::max<size_t>(1, distinct));
  }
  rows_per_key_[key] = estimate;
  return estimate;
}

}  // namespace stdb::sql
