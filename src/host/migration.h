// Automatic migration: what a module update may change in the stored schema, and how (spec/module-abi.md §6.9).
//
// PlanAutoMigration diffs the running module's definition against the new one (tables matched by canonical name)
// and either lists the steps or explains every incompatible change at once. Allowed: adding tables; removing a
// table (only if it is empty when the migration runs); appending columns that have default values; adding,
// removing or changing indexes, unique constraints, sequences and schedules; changing access and the primary key;
// accessor aliases; row-level security rules. Refused ("requires a manual migration"): removing or reordering
// columns, changing a column's type, adding a column without a default, changing a table's type or event flag.
// Some steps break clients (their cached rows no longer match: removed tables, new columns, changed RLS); the
// plan says so, and the caller decides whether that is acceptable.
//
// ApplyAutoMigration performs a plan inside a transaction; any failure (e.g. a new unique constraint that
// existing rows violate) is returned and the caller rolls back, leaving the old module in charge.
//
// Thread-safety: pure functions over the given transaction.
#pragma once

#include <string>
#include <vector>

#include "datastore/mut_tx.h"
#include "host/module_def.h"

namespace stdb::host {

struct MigrationStep {
  enum class Kind {
    kAddTable,
    kRemoveTable,
    kAddColumns,
    kRemoveIndex,
    kAddIndex,
    kRemoveSequence,
    kAddSequence,
    kChangeSchedule,
    kChangeAccess,
    kChangePrimaryKey,
    kUpdateAliases,
    kReplaceRowLevelSecurity,
  };
  Kind kind;
  std::string table;   // canonical table name (empty for module-wide steps)
  std::string object;  // index / sequence name, or a description
  std::string Describe() const;
};

struct MigrationPlan {
  std::vector<MigrationStep> steps;
  bool breaks_clients = false;
  bool empty() const { return steps.empty(); }
  // One line per step.
  std::string Describe() const;
};

Result<MigrationPlan> PlanAutoMigration(const ModuleDef& old_def, const ModuleDef& new_def);
Status ApplyAutoMigration(const MigrationPlan& plan, const ModuleDef& old_def, const ModuleDef& new_def,
                          datastore::MutTx& tx);

}  // namespace stdb::host
