#include "sql/planner/logical_query.h"

namespace stdb::sql {

std::string QueryFragment::ColumnName(uint32_t relation, table::ColId column) const {
  if (relation >= relations.size()) return "?#" + std::to_string(relation);
  const Relation& r = relations[relation];
  std::string col = column < r.schema->columns.size() ? r.schema->columns[column].name : "#" + std::to_string(column);
  return r.alias + "." + col;
}

std::string QueryFragment::ConditionToString() const {
  auto namer = [this](uint32_t rel, table::ColId col) { return ColumnName(rel, col); };
  if (conjuncts.empty()) return "true";
  std::string out;
  for (size_t i = 0; i < conjuncts.size(); ++i) {
    if (i) out += " AND ";
    out += conjuncts[i]->ToString(namer);
  }
  return out;
}

sats::ProductType LogicalQuery::ResultType() const {
  switch (output.kind) {
    case QueryOutput::Kind::kRows: return ReturnTable().RowType();
    case QueryOutput::Kind::kColumns: {
      sats::ProductType type;
      for (const auto& c : output.columns) type.elements.push_back({c.name, c.type});
      return type;
    }
    case QueryOutput::Kind::kCount: {
      sats::ProductType type;
      type.elements.push_back({output.count_alias, sats::AlgebraicType::U64()});
      return type;
    }
  }
  return {};
}

const table::TableSchema& LogicalQuery::ReturnTable() const {
  return *fragments.front().relations[output.relation].schema;
}

std::string LogicalQuery::ToString() const {
  std::string out;
  for (size_t f = 0; f < fragments.size(); ++f) {
    const QueryFragment& frag = fragments[f];
    if (f) out += " UNION ALL ";
    out += "SELECT ";
    switch (output.kind) {
      case QueryOutput::Kind::kRows: out += frag.relations[output.relation].alias + ".*"; break;
      case QueryOutput::Kind::kCount: out += "COUNT(*) AS " + output.count_alias; break;
      case QueryOutput::Kind::kColumns:
        for (size_t i = 0; i < output.columns.size(); ++i) {
          if (i) out += ", ";
          out += frag.ColumnName(output.columns[i].relation, output.columns[i].column) + " AS " +
                 output.columns[i].name;
        }
        break;
    }
    out += " FROM ";
    for (size_t r = 0; r < frag.relations.size(); ++r) {
      if (r) out += " JOIN ";
      out += frag.relations[r].schema->name + " AS " + frag.relations[r].alias;
    }
    if (!frag.conjuncts.empty()) out += " WHERE " + frag.ConditionToString();
  }
  if (limit) out += " LIMIT " + std::to_string(*limit);
  return out;
}

}  // namespace stdb::sql
