#include "subscription/pruning_index.h"

#include <algorithm>

namespace stdb::subscription {

namespace {

std::string Key(const sats::Bytes& value) { return std::string(value.begin(), value.end()); }

void Erase(absl::flat_hash_map<std::string, absl::flat_hash_set<uint32_t>>& map, const sats::Bytes& value,
           uint32_t query) {
  auto v = map.find(Key(value));
  if (v == map.end()) return;
  v->second.erase(query);
  if (v->second.empty()) map.erase(v);
}

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
    for (const JoinTrigger& j : t.joins) {
      auto join = std::find_if(entry.joins.begin(), entry.joins.end(),
                               [&](const JoinArgs& a) { return a.edge.SameEdge(j); });
      if (join == entry.joins.end()) {
        JoinArgs args{j, {}};
        args.edge.value.clear();
        entry.joins.push_back(std::move(args));
        join = entry.joins.end() - 1;
      }
      join->by_value[Key(j.value)].insert(query);
    }
  }
}

void PruningIndex::Remove(QueryId query, const std::vector<TableTrigger>& triggers) {
  for (const TableTrigger& t : triggers) {
    auto it = tables_.find(t.table_id);
    if (it == tables_.end()) continue;
    TableEntry& entry = it->second;
    if (t.any_row) entry.any_row.erase(query);
    for (const auto& [column, value] : t.equalities) {
      auto col = std::find_if(entry.columns.begin(), entry.columns.end(),
                              [&](const ColumnArgs& c) { return c.column == column; });
      if (col == entry.columns.end()) continue;
      Erase(col->by_value, value, query);
      if (col->by_value.empty()) entry.columns.erase(col);
    }
    for (const JoinTrigger& j : t.joins) {
      auto join = std::find_if(entry.joins.begin(), entry.joins.end(),
                               [&](const JoinArgs& a) { return a.edge.SameEdge(j); });
      if (join == entry.joins.end()) continue;
      Erase(join->by_value, j.value, query);
      if (join->by_value.empty()) entry.joins.erase(join);
    }
    if (entry.empty()) tables_.erase(it);
  }
}

}  // namespace stdb::subscription
