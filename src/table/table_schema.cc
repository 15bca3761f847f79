#include "table/table_schema.h"

namespace stdb::table {

const char* IndexAlgorithmName(IndexAlgorithm a) {
  switch (a) {
    case IndexAlgorithm::kBTree: return "btree";
    case IndexAlgorithm::kHash: return "hash";
    case IndexAlgorithm::kDirect: return "direct";
  }
  return "?";
}

sats::ProductType TableSchema::RowType() const {
  sats::ProductType p;
  for (const auto& c : columns) p.elements.push_back({c.name, c.type});
  return p;
}

std::optional<ColId> TableSchema::ColumnByName(std::string_view name) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i].name == name) return ColId(i);
  return std::nullopt;
}

const IndexSchema* TableSchema::FindIndex(IndexId id) const {
  for (const auto& i : indexes)
    if (i.index_id == id) return &i;
  return nullptr;
}

const IndexSchema* TableSchema::FindIndexByName(std::string_view name) const {
  for (const auto& i : indexes)
    if (i.name == name) return &i;
  return nullptr;
}

const SequenceSchema* TableSchema::SequenceOnColumn(ColId col) const {
  for (const auto& s : sequences)
    if (s.column == col) return &s;
  return nullptr;
}

std::string TableSchema::ColumnList(const std::vector<ColId>& cols) const {
  std::string s;
  for (size_t i = 0; i < cols.size(); ++i) {
    if (i) s += ", ";
    s += cols[i] < columns.size() ? columns[cols[i]].name : "col_" + std::to_string(cols[i]);
  }
  return s;
}

}  // namespace stdb::table
