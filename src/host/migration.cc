#include "host/migration.h"

#include <map>
#include <set>

#include "host/module_schema.h"

namespace stdb::host {

namespace {

using K = MigrationStep::Kind;

bool SameIndex(const IndexDef& a, const IndexDef& b) {
  return a.algorithm == b.algorithm && a.columns == b.columns && a.is_unique == b.is_unique;
}

bool SameSequence(const SequenceDef& a, const SequenceDef& b) {
  return a.column == b.column && a.increment == b.increment && a.effective_start() == b.effective_start() &&
         a.effective_min() == b.effective_min() && a.effective_max() == b.effective_max();
}

table::SequenceSchema SequenceSchemaFor(const SequenceDef& q) {
  table::SequenceSchema s;
  s.name = q.name;
  s.column = q.column;
  s.increment = q.increment;
  s.start = q.effective_start();
  s.min_value = q.effective_min();
  s.max_value = q.effective_max();
  return s;
}

}  // namespace

std::string MigrationStep::Describe() const {
  switch (kind) {
    case K::kAddTable: return "add table " + table;
    case K::kRemoveTable: return "remove table " + table;
    case K::kAddColumns: return "add columns to " + table + ": " + object;
    case K::kRemoveIndex: return "remove index " + object + " of " + table;
    case K::kAddIndex: return "add index " + object + " to " + table;
    case K::kRemoveSequence: return "remove sequence " + object + " of " + table;
    case K::kAddSequence: return "add sequence " + object + " to " + table;
    case K::kChangeSchedule: return "change the schedule of " + table;
    case K::kChangeAccess: return "change the access of " + table + " to " + object;
    case K::kChangePrimaryKey: return "change the primary key of " + table;
    case K::kUpdateAliases: return "update accessor names of " + table;
    case K::kReplaceRowLevelSecurity: return "replace row-level security rules";
  }
  return "?";
}

std::string MigrationPlan::Describe() const {
  std::string s;
  for (const auto& step : steps) s += "- " + step.Describe() + "\n";
  return s;
}

Result<MigrationPlan> PlanAutoMigration(const ModuleDef& old_def, const ModuleDef& new_def) {
  MigrationPlan plan;
  std::vector<std::string> problems;
  std::map<std::string, const TableDef*> old_tables, new_tables;
  for (const auto& t : old_def.tables()) old_tables[t.name] = &t;
  for (const auto& t : new_def.tables()) new_tables[t.name] = &t;

  for (const auto& [name, t] : old_tables) {
    if (!new_tables.count(name)) {
      plan.steps.push_back({K::kRemoveTable, name, ""});
      plan.breaks_clients = true;
    }
  }
  for (const auto& [name, nt] : new_tables) {
    auto it = old_tables.find(name);
    if (it == old_tables.end()) {
      plan.steps.push_back({K::kAddTable, name, ""});
      continue;
    }
    const TableDef& ot = *it->second;
    if (ot.table_type != nt->table_type) problems.push_back("table " + name + ": changing a table's type requires a manual migration");
    if (ot.is_event != nt->is_event) problems.push_back("table " + name + ": changing whether it is an event table requires a manual migration");
    // Columns: the old ones must stay, unchanged and in order; new ones may follow, with defaults.
    bool columns_ok = nt->columns.size() >= ot.columns.size();
    for (size_t i = 0; i < ot.columns.size(); ++i) {
      if (i >= nt->columns.size()) {
        problems.push_back("table " + name + ": removing column " + ot.columns[i].name + " requires a manual migration");
        columns_ok = false;
        continue;
      }
      if (ot.columns[i].name != nt->columns[i].name) {
        problems.push_back("table " + name + ": column " + std::to_string(i) + " changed from " + ot.columns[i].name + " to " +
                           nt->columns[i].name + "; renaming, removing or reordering columns requires a manual migration");
        columns_ok = false;
      } else if (!(ot.columns[i].type == nt->columns[i].type)) {
        problems.push_back("table " + name + ": changing the type of column " + ot.columns[i].name + " from " +
                           ot.columns[i].type.ToString() + " to " + nt->columns[i].type.ToString() +
                           " requires a manual migration");
        columns_ok = false;
      }
    }
    if (columns_ok && nt->columns.size() > ot.columns.size()) {
      std::string added;
      for (size_t i = ot.columns.size(); i < nt->columns.size(); ++i) {
        if (!nt->columns[i].default_value)
          problems.push_back("table " + name + ": new column " + nt->columns[i].name +
                             " has no default value; adding it requires a manual migration");
        added += (added.empty() ? "" : ", ") + nt->columns[i].name;
      }
      plan.steps.push_back({K::kAddColumns, name, added});
      plan.breaks_clients = true;
    }
    std::map<std::string, const IndexDef*> old_idx, new_idx;
    for (const auto& i : ot.indexes) old_idx[i.name] = &i;
    for (const auto& i : nt->indexes) new_idx[i.name] = &i;
    for (const auto& [iname, oi] : old_idx) {
      auto n = new_idx.find(iname);
      if (n == new_idx.end() || !SameIndex(*oi, *n->second)) plan.steps.push_back({K::kRemoveIndex, name, iname});
      else if (oi->accessor_name != n->second->accessor_name)
        problems.push_back("table " + name + ": changing the accessor name of index " + iname + " is not allowed");
    }
    for (const auto& [iname, ni] : new_idx) {
      auto o = old_idx.find(iname);
      if (o == old_idx.end() || !SameIndex(*o->second, *ni)) plan.steps.push_back({K::kAddIndex, name, iname});
    }
    std::map<std::string, const SequenceDef*> old_seq, new_seq;
    for (const auto& q : ot.sequences) old_seq[q.name] = &q;
    for (const auto& q : nt->sequences) new_seq[q.name] = &q;
    for (const auto& [qname, oq] : old_seq) {
      auto n = new_seq.find(qname);
      if (n == new_seq.end() || !SameSequence(*oq, *n->second)) plan.steps.push_back({K::kRemoveSequence, name, qname});
    }
    for (const auto& [qname, nq] : new_seq) {
      auto o = old_seq.find(qname);
      if (o == old_seq.end() || !SameSequence(*o->second, *nq)) plan.steps.push_back({K::kAddSequence, name, qname});
    }
    if (!(ot.schedule == nt->schedule)) plan.steps.push_back({K::kChangeSchedule, name, ""});
    if (ot.table_access != nt->table_access)
      plan.steps.push_back({K::kChangeAccess, name, nt->table_access == TableAccess::kPublic ? "public" : "private"});
    if (ot.primary_key != nt->primary_key) plan.steps.push_back({K::kChangePrimaryKey, name, ""});
    if (ot.accessor_name != nt->accessor_name) plan.steps.push_back({K::kUpdateAliases, name, ""});
  }
  if (old_def.row_level_security() != new_def.row_level_security()) {
    plan.steps.push_back({K::kReplaceRowLevelSecurity, "", ""});
    plan.breaks_clients = true;
  }
  if (!problems.empty()) {
    std::string message = "the update is not compatible with the running module:";
    for (const auto& p : problems) message += "\n- " + p;
    return Error(ErrorCode::kInvalidArgument, message);
  }
  // Removals before additions, like the reference.
  std::stable_sort(plan.steps.begin(), plan.steps.end(), [](const MigrationStep& a, const MigrationStep& b) {
    auto rank = [](K k) {
      switch (k) {
        case K::kRemoveTable: case K::kRemoveIndex: case K::kRemoveSequence: return 0;
        case K::kAddColumns: return 1;
        default: return 2;
      }
    };
    return rank(a.kind) < rank(b.kind);
  });
  return plan;
}

Status ApplyAutoMigration(const MigrationPlan& plan, const ModuleDef& old_def, const ModuleDef& new_def,
                          datastore::MutTx& tx) {
  auto table_id = [&](const std::string& name) { return tx.TableIdFromName(name); };
  for (const auto& step : plan.steps) {
    const TableDef* nt = step.table.empty() ? nullptr : new_def.FindTable(step.table);
    switch (step.kind) {
      case K::kRemoveTable: {
        STDB_ASSIGN_OR_RETURN(auto id, table_id(step.table));
        if (tx.RowCount(id) != 0)
          return Error(ErrorCode::kInvalidArgument, "table " + step.table + " has " + std::to_string(tx.RowCount(id)) +
                                                        " rows; removing a non-empty table requires deleting the data");
        STDB_RETURN_IF_ERROR(tx.DropTable(id));
        break;
      }
      case K::kAddTable: {
        auto id = tx.CreateTable(TableSchemaFor(*nt));
        if (!id.ok()) return std::move(id).error().Prefix("adding table " + step.table);
        STDB_RETURN_IF_ERROR(AddTableAliases(*nt, tx));
        break;
      }
      case K::kAddColumns: {
        STDB_ASSIGN_OR_RETURN(auto id, table_id(step.table));
        const TableDef* ot = old_def.FindTable(step.table);
        std::vector<table::ColumnSchema> columns;
        std::vector<sats::Bytes> defaults;
        for (size_t i = ot->columns.size(); i < nt->columns.size(); ++i) {
          columns.push_back({nt->columns[i].name, nt->columns[i].type});
          defaults.push_back(sats::bsatn::EncodeValue(*nt->columns[i].default_value));
        }
        auto rebuilt = tx.AddColumns(id, columns, defaults);
        if (!rebuilt.ok()) return std::move(rebuilt).error().Prefix("adding columns to " + step.table);
        break;
      }
      case K::kRemoveIndex: {
        STDB_ASSIGN_OR_RETURN(auto id, table_id(step.table));
        const table::IndexSchema* index = tx.Schema(id)->FindIndexByName(step.object);
        if (index) STDB_RETURN_IF_ERROR(tx.DropIndex(id, index->index_id));
        break;
      }
      case K::kAddIndex: {
        STDB_ASSIGN_OR_RETURN(auto id, table_id(step.table));
        for (const auto& i : nt->indexes) {
          if (i.name != step.object) continue;
          table::IndexAlgorithm algo = i.algorithm == IndexAlgorithmKind::kHash     ? table::IndexAlgorithm::kHash
                                       : i.algorithm == IndexAlgorithmKind::kDirect ? table::IndexAlgorithm::kDirect
                                                                                    : table::IndexAlgorithm::kBTree;
          std::string constraint;
          for (const auto& c : nt->constraints)
            if (c.columns == i.columns) constraint = c.name;
          auto created = tx.CreateIndex(id, {0, i.name, algo, i.columns, i.is_unique}, constraint);
          if (!created.ok()) return std::move(created).error().Prefix("adding index " + i.name);
          if (!i.source_name.empty() && i.source_name != i.name) STDB_RETURN_IF_ERROR(tx.AddIndexAlias(i.name, i.source_name));
        }
        break;
      }
      case K::kRemoveSequence: {
        STDB_ASSIGN_OR_RETURN(auto id, table_id(step.table));
        for (const auto& q : tx.Schema(id)->sequences)
          if (q.name == step.object) STDB_RETURN_IF_ERROR(tx.DropSequence(id, q.sequence_id));
        break;
      }
      case K::kAddSequence: {
        STDB_ASSIGN_OR_RETURN(auto id, table_id(step.table));
        for (const auto& q : nt->sequences) {
          if (q.name != step.object) continue;
          auto created = tx.CreateSequence(id, SequenceSchemaFor(q));
          if (!created.ok()) return std::move(created).error().Prefix("adding sequence " + q.name);
        }
        break;
      }
      case K::kChangeSchedule: {
        STDB_ASSIGN_OR_RETURN(auto id, table_id(step.table));
        std::optional<table::ScheduleSchema> schedule;
        if (nt->schedule) schedule = table::ScheduleSchema{0, nt->schedule->name, nt->schedule->function_name, nt->schedule->at_column};
        STDB_RETURN_IF_ERROR(tx.SetSchedule(id, schedule));
        break;
      }
      case K::kChangeAccess: {
        STDB_ASSIGN_OR_RETURN(auto id, table_id(step.table));
        STDB_RETURN_IF_ERROR(tx.SetAccess(id, nt->table_access == TableAccess::kPublic));
        break;
      }
      case K::kChangePrimaryKey: {
        STDB_ASSIGN_OR_RETURN(auto id, table_id(step.table));
        STDB_RETURN_IF_ERROR(tx.SetPrimaryKey(id, nt->primary_key));
        break;
      }
      case K::kUpdateAliases:
        if (nt->accessor_name != nt->name) STDB_RETURN_IF_ERROR(tx.AddTableAlias(nt->name, nt->accessor_name));
        break;
      case K::kReplaceRowLevelSecurity: {
        std::vector<std::pair<table::TableId, std::string>> rules;
        for (const auto& sql : new_def.row_level_security()) rules.emplace_back(0, sql);
        STDB_RETURN_IF_ERROR(tx.ReplaceRowLevelSecurity(rules));
        break;
      }
    }
  }
  return OkStatus();
}

}  // namespace stdb::host
