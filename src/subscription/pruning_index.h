// PruningIndex: which subscribed queries a transaction's changes to one table can affect (spec/data-layer.md §5.4).
//
// Queries register the triggers of compiled_query.h. A query whose trigger for table t says "any row" is a
// candidate whenever t changes; a query with equalities is a candidate only when an inserted or deleted row of t
// holds one of its (column, value) pairs. The index maps (table, column, value bytes) to queries, so finding the
// candidates of a transaction costs one hash lookup per changed row and indexed column, whatever the number of
// queries: a query `WHERE id = 5` is not evaluated for a transaction that only touches id 7.
//
// Queries are named by small integer ids chosen by the caller.
//
// Thread-safety: not thread-safe; the subscription manager uses it on the database thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "datastore/tx_data.h"
#include "subscription/compiled_query.h"
#include "table/row_layout.h"

namespace stdb::subscription {

class PruningIndex {
 public:
  using QueryId = uint32_t;

  void Add(QueryId query, const std::vector<TableTrigger>& triggers);
  // `triggers` must be those given to Add.
  void Remove(QueryId query, const std::vector<TableTrigger>& triggers);

  // Calls visit(query) for the queries `changes` may affect; a query may be visited more than once. `layout` is
  // the table's row layout; without one (the table is gone) every query over the table is visited.
  template <typename Visit>
  void ForEachCandidate(const datastore::TableChanges& changes, const table::RowLayout* layout, Visit&& visit) const;

  // Number of tables with registered queries (for tests).
  size_t table_count() const { return tables_.size(); }

 private:
  struct ColumnArgs {
    table::ColId column = 0;
    absl::flat_hash_map<std::string, absl::flat_hash_set<QueryId>> by_value;
  };
  struct TableEntry {
    absl::flat_hash_set<QueryId> any_row;
    std::vector<ColumnArgs> columns;
  };
  absl::flat_hash_map<table::TableId, TableEntry> tables_;
};

template <typename Visit>
void PruningIndex::ForEachCandidate(const datastore::TableChanges& changes, const table::RowLayout* layout,
                                    Visit&& visit) const {
  auto it = tables_.find(changes.table_id);
  if (it == tables_.end()) return;
  const TableEntry& entry = it->second;
  for (QueryId q : entry.any_row) visit(q);
  for (const ColumnArgs& col : entry.columns) {
    if (!layout || col.column >= layout->column_count()) {
      for (const auto& [value, queries] : col.by_value)
        for (QueryId q : queries) visit(q);
      continue;
    }
    // Each distinct value once: a transaction may change many rows holding the same value.
    absl::flat_hash_set<std::string_view> seen;
    auto probe = [&](sats::ByteSpan row) {
      sats::ByteSpan bytes = layout->Column(row, col.column);
      std::string_view key(reinterpret_cast<const char*>(bytes.data()), bytes.size());
      if (!seen.insert(key).second) return;
      auto found = col.by_value.find(absl::string_view(key.data(), key.size()));
      if (found == col.by_value.end()) return;
      for (QueryId q : found->second) visit(q);
    };
    for (sats::ByteSpan row : changes.inserts) probe(row);
    for (sats::ByteSpan row : changes.deletes) probe(row);
  }
}

}  // namespace stdb::subscription
