// PruningIndex: which subscribed queries a transaction's changes to one table can affect (spec/data-layer.md §5.4).
//
// Queries register the triggers of compiled_query.h. A query whose trigger for table t says "any row" is a
// candidate whenever t changes. A query with equalities is a candidate only when an inserted or deleted row of t
// holds one of its (column, value) pairs: the index maps (table, column, value bytes) to queries, so finding the
// candidates costs one hash lookup per changed row and indexed column, whatever the number of queries — a query
// `WHERE id = 5` is not evaluated for a transaction that only touches id 7. A query with a join trigger is a
// candidate when the row its changed row joins with (looked up through the other table's index in the state after
// the transaction) holds the value: one index probe per changed row and edge, then the same hash lookup.
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
#include "datastore/database_view.h"
#include "datastore/tx_data.h"
#include "subscription/compiled_query.h"
#include "table/table.h"

namespace stdb::subscription {

class PruningIndex {
 public:
  using QueryId = uint32_t;

  void Add(QueryId query, const std::vector<TableTrigger>& triggers);
  // `triggers` must be those given to Add.
  void Remove(QueryId query, const std::vector<TableTrigger>& triggers);

  // Calls visit(query) for the queries `changes` may affect; a query may be visited more than once. `view` is the
  // state after the transaction; without the changed table in it (it was dropped) every query over the table is
  // visited, and without the other table of a join trigger every query of that trigger.
  template <typename Visit>
  void ForEachCandidate(const datastore::TableChanges& changes, const datastore::DatabaseView& view,
                        Visit&& visit) const;

  // Number of tables with registered queries (for tests).
  size_t table_count() const { return tables_.size(); }

 private:
  using QueriesByValue = absl::flat_hash_map<std::string, absl::flat_hash_set<QueryId>>;
  struct ColumnArgs {
    table::ColId column = 0;
    QueriesByValue by_value;
  };
  struct JoinArgs {
    JoinTrigger edge;  // value unused
    QueriesByValue by_value;
  };
  struct TableEntry {
    absl::flat_hash_set<QueryId> any_row;
    std::vector<ColumnArgs> columns;
    std::vector<JoinArgs> joins;
    bool empty() const { return any_row.empty() && columns.empty() && joins.empty(); }
  };

  template <typename Visit>
  static void VisitValue(const QueriesByValue& map, sats::ByteSpan value, Visit& visit) {
    auto found = map.find(absl::string_view(reinterpret_cast<const char*>(value.data()), value.size()));
    if (found == map.end()) return;
    for (QueryId q : found->second) visit(q);
  }
  template <typename Visit>
  static void VisitAll(const QueriesByValue& map, Visit& visit) {
    for (const auto& [value, queries] : map)
      for (QueryId q : queries) visit(q);
  }

  absl::flat_hash_map<table::TableId, TableEntry> tables_;
};

template <typename Visit>
void PruningIndex::ForEachCandidate(const datastore::TableChanges& changes, const datastore::DatabaseView& view,
                                    Visit&& visit) const {
  auto it = tables_.find(changes.table_id);
  if (it == tables_.end()) return;
  const TableEntry& entry = it->second;
  for (QueryId q : entry.any_row) visit(q);
  if (entry.columns.empty() && entry.joins.empty()) return;
  const table::TableView* table = view.Table(changes.table_id);
  const table::RowLayout* layout = table ? table->layout.get() : nullptr;
  // Each distinct value once: a transaction may change many rows holding the same value.
  absl::flat_hash_set<std::string_view> seen;
  auto for_each_value = [&](table::ColId column, auto&& fn) {
    seen.clear();
    auto probe = [&](sats::ByteSpan row) {
      sats::ByteSpan bytes = layout->Column(row, column);
      if (seen.insert(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size())).second) fn(bytes);
    };
    for (sats::ByteSpan row : changes.inserts) probe(row);
    for (sats::ByteSpan row : changes.deletes) probe(row);
  };
  for (const ColumnArgs& col : entry.columns) {
    if (!layout || col.column >= layout->column_count()) {
      VisitAll(col.by_value, visit);
      continue;
    }
    for_each_value(col.column, [&](sats::ByteSpan value) { VisitValue(col.by_value, value, visit); });
  }
  for (const JoinArgs& join : entry.joins) {
    const JoinTrigger& e = join.edge;
    const table::TableView* other = view.Table(e.other_table);
    const table::TableIndex::View* index = other ? other->FindIndex(e.other_index.index_id) : nullptr;
    if (!layout || e.column >= layout->column_count() || !index ||
        e.other_column >= other->layout->column_count()) {
      VisitAll(join.by_value, visit);
      continue;
    }
    const bool point = e.other_index.columns.size() == 1;
    for_each_value(e.column, [&](sats::ByteSpan key_bytes) {
      table::IndexKey key;
      e.other_index.AppendColumn(0, key_bytes, key);
      auto partner = [&](table::RowId id) {
        VisitValue(join.by_value, other->layout->Column(other->rows.Get(id), e.other_column), visit);
        return true;
      };
      if (point) {
        table::TableIndex::ScanPoint(*index, key, partner);
      } else {
        table::KeyRange range;
        range.prefix = std::move(key.bytes);
        table::TableIndex::ScanRange(*index, range, partner);
      }
    });
  }
}

}  // namespace stdb::subscription
