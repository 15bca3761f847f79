#include "subscription/pruning_index.h"

#include <algorithm>

namespace stdb::subscription {

namespace {

std::string Key(const sats::Bytes& value) { return std::string(value.begin(), value.end()); }

}  // namespace

void PruningIndex::Add(QueryId query, const std::vector<TableTrigger>& triggers) {
  for (const TableTrigger& t : triggers) {
    TableEntry& entry = tables_[t.table_id];
    if (t.any_row) {
      entry.any_row.insert(query);
      continue;
    }
    for (const auto& [column, value] : t.equalities) {
      auto col = std::find_if(entry.columns.begin(), entry.columns.end(),
                              [&](const ColumnArgs& c) { return c.column == column; });
      if (col == entry.columns.end()) {
        entry.columns.push_back(ColumnArgs{column, {}});
        col = entry.columns.end() - 1;
      }
      col->by_value[Key(value)].insert(query);
    }
  }
}

void PruningIndex::Remove(QueryId query, const std::vector<TableTrigger>& triggers) {
  for (const TableTrigger& t : triggers) {
    auto it = tables_.find(t.table_id);
    if (it == tables_.end()) continue;
    TableEntry& entry = it->second;
    if (t.any_row) {
      entry.any_row.erase(query);
    } else {
      for (const auto& [column, value] : t.equalities) {
        auto col = std::find_if(entry.columns.begin(), entry.columns.end(),
                                [&](const ColumnArgs& c) { return c.column == column; });
        if (col == entry.columns.end()) continue;
        auto v = col->by_value.find(Key(value));
        if (v == col->by_value.end()) continue;
        v->second.erase(query);
        if (v->second.empty()) col->by_value.erase(v);
        if (col->by_value.empty()) entry.columns.erase(col);
      }
    }
    if (entry.any_row.empty() && entry.columns.empty()) tables_.erase(it);
  }
}

}  // namespace stdb::subscription
