#include "host/module_schema.h"

#include <algorithm>

namespace stdb::host {

table::TableSchema TableSchemaFor(const TableDef& def) {
  table::TableSchema s;
  s.name = def.name;
  s.is_system = def.table_type == TableType::kSystem;
  s.is_public = def.table_access == TableAccess::kPublic;
  s.is_event = def.is_event;
  s.primary_key = def.primary_key;
  for (const auto& c : def.columns) s.columns.push_back({c.name, c.type});
  for (const auto& i : def.indexes) {
    table::IndexAlgorithm algo = i.algorithm == IndexAlgorithmKind::kHash     ? table::IndexAlgorithm::kHash
                                 : i.algorithm == IndexAlgorithmKind::kDirect ? table::IndexAlgorithm::kDirect
                                                                              : table::IndexAlgorithm::kBTree;
    s.indexes.push_back({0, i.name, algo, i.columns, i.is_unique});
  }
  for (const auto& c : def.constraints) s.constraints.push_back({0, c.name, c.columns});
  for (const auto& q : def.sequences) {
    table::SequenceSchema seq;
    seq.name = q.name;
    seq.column = q.column;
    seq.increment = q.increment;
    seq.start = q.effective_start();
    seq.min_value = q.effective_min();
    seq.max_value = q.effective_max();
    s.sequences.push_back(seq);
  }
  if (def.schedule) s.schedule = table::ScheduleSchema{0, def.schedule->name, def.schedule->function_name, def.schedule->at_column};
  return s;
}

Status AddTableAliases(const TableDef& def, datastore::MutTx& tx) {
  if (def.accessor_name != def.name) STDB_RETURN_IF_ERROR(tx.AddTableAlias(def.name, def.accessor_name));
  for (const auto& i : def.indexes)
    if (!i.source_name.empty() && i.source_name != i.name) STDB_RETURN_IF_ERROR(tx.AddIndexAlias(i.name, i.source_name));
  return OkStatus();
}

Status CreateModuleTables(const ModuleDef& module, datastore::MutTx& tx) {
  std::vector<const TableDef*> tables;
  for (const auto& t : module.tables()) tables.push_back(&t);
  std::sort(tables.begin(), tables.end(), [](const TableDef* a, const TableDef* b) { return a->name < b->name; });
  for (const TableDef* t : tables) {
    auto id = tx.CreateTable(TableSchemaFor(*t));
    if (!id.ok()) return std::move(id).error().Prefix("creating table '" + t->name + "'");
    STDB_RETURN_IF_ERROR(AddTableAliases(*t, tx));
  }
  for (const auto& sql : module.row_level_security()) {
    // The rule's table is resolved when the SQL engine checks it; st_row_level_security keys rules by SQL text.
    auto r = tx.Insert(datastore::kStRowLevelSecurity, datastore::StRowLevelSecurityRow{0, sql}.Encode());
    if (!r.ok()) return std::move(r).error().Prefix("recording row-level security rule");
  }
  return OkStatus();
}

}  // namespace stdb::host
