// TypeScriptCodegen: client bindings for the official TypeScript SDK (npm `spacetimedb`), in the layout and shape
// of the reference's `spacetime generate --lang typescript` (crates/codegen/src/typescript.rs;
// spec/client-protocol.md §11.4), so that the SDK uses them as is:
//
//   index.ts                 DbConnection / DbConnectionBuilder / SubscriptionBuilder, tablesSchema (one
//                            __table({name: '<wire name>', indexes, constraints}, <Row>) per table and view),
//                            reducersSchema, proceduresSchema, REMOTE_MODULE with versionInfo.cliVersion, the
//                            `tables` query builder, `reducers`, `procedures` and the context types
//   <table>_table.ts         export default __t.row({ camelCaseColumn: __t.u32().primaryKey().name("column"), ... })
//   <reducer>_reducer.ts     export default { param: __t.string(), ... }
//   <procedure>_procedure.ts export const params = {...}; export const returnType = ...
//   types.ts                 every named type: __t.object("Name", {...}) / __t.enum("Name", {...})
//   types/reducers.ts, types/procedures.ts   Infer<> aliases of parameters and results
//
// Only three things matter on the wire — each table's wire name, each column's type in order, each reducer's wire
// name and parameter types in order — but the rest follows the reference text too, so generated code diffs
// cleanly against the reference's. Private tables and functions are skipped unless `include_private`. Lifecycle
// reducers are never callable and are skipped. Submodules are not generated (the C++ SDK never emits them).
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "host/module_def.h"
#include "sats/result.h"

namespace stdb::cli {

struct GeneratedFile {
  std::string path;  // relative, '/'-separated
  std::string contents;
};

struct TypeScriptOptions {
  bool include_private = false;
};

Result<std::vector<GeneratedFile>> GenerateTypeScript(const host::ModuleDef& module, const TypeScriptOptions& options);

// Canonical names of the private tables, sorted (reported as skipped when include_private is off).
std::vector<std::string> PrivateTableNames(const host::ModuleDef& module);

}  // namespace stdb::cli
