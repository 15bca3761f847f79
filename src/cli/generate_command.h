// `spacetime generate --lang typescript --out-dir <dir> [-p <module dir> | -b <file.wasm> | --module-def [file]]`
// and `spacetime extract-schema <file.wasm>`.
//
// generate writes client bindings (typescript_codegen.h) for a module, whose definition comes from building the
// module directory (default ./spacetimedb or .), from a prebuilt .wasm (both read with the host's WebAssembly
// engine, module_extractor.h), or from a RawModuleDef JSON file (stdin when no file is given). Files whose content
// is unchanged are not rewritten; generated files left over from an earlier run (they start with the "THIS FILE
// IS AUTOMATICALLY GENERATED" header) are removed.
//
// extract-schema prints the RawModuleDef JSON of a .wasm — the same interface as the reference's
// `spacetimedb-standalone extract-schema`, so `SPACETIMEDB_SCHEMA_EXTRACTOR` of the official CLI can point at it.
//
// Thread-safety: runs on the caller's thread.
#pragma once

#include <optional>
#include <string>

#include "cli/command_context.h"
#include "sats/result.h"

namespace stdb::cli {

struct GenerateOptions {
  std::string lang;
  std::optional<std::string> out_dir;
  std::optional<std::string> module_path;  // -p
  std::optional<std::string> bin_path;     // -b
  bool use_module_def = false;             // --module-def given
  std::string module_def_file;             // its value; empty: stdin
  bool include_private = false;
  bool yes = false;
};

struct ExtractSchemaOptions {
  std::string wasm_file;
};

Status RunGenerate(const GenerateOptions& options, CommandContext& ctx);
Status RunExtractSchema(const ExtractSchemaOptions& options, CommandContext& ctx);

}  // namespace stdb::cli
