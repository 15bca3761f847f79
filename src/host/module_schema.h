// ModuleSchema: how a validated module definition becomes datastore schema.
//
// TableSchemaFor turns a TableDef into the table::TableSchema the datastore creates (canonical names, inlined
// column types, indexes with their uniqueness, constraints, sequences with their defaults, the schedule);
// CreateModuleTables creates every table of a module in an open transaction, sorted by name like the reference,
// with the accessor aliases (the module's source names) and the row-level-security rules.
//
// Thread-safety: pure functions over the given transaction.
#pragma once

#include "datastore/mut_tx.h"
#include "host/module_def.h"

namespace stdb::host {

table::TableSchema TableSchemaFor(const TableDef& def);

// Creates the tables of `module` (and their aliases and RLS rules) in `tx`.
Status CreateModuleTables(const ModuleDef& module, datastore::MutTx& tx);

// Records the table and index aliases of one table (source names that differ from canonical ones).
Status AddTableAliases(const TableDef& def, datastore::MutTx& tx);

}  // namespace stdb::host
