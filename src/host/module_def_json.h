// Module definitions as SATS-JSON: how the /schema route serves them, how `spacetime describe --json` prints
// them, and the `--module-def <file.json>` input of `spacetime generate` (the reference's `extract-schema`
// output).
//
// Rather than a hand-written JSON reader per struct, the RawModuleDef structs are described once as SATS types
// (field names and order exactly as the reference's `RawModuleDefV9`/`RawModuleDefV10`, AlgebraicType itself as a
// recursive sum in a small typespace). Reading is then SATS-JSON -> AlgebraicValue -> BSATN ->
// DecodeRawModuleDef, and writing the reverse, so the JSON and the BSATN decoder can never disagree.
//
//   RawModuleDef JSON   {"V10": {"sections": [{"Typespace": {"types": [...]}}, {"Tables": [...]}, ...]}}
//                       {"V9": {"typespace": ..., "tables": [...], "reducers": [...], "types": [...],
//                               "misc_exports": [...], "row_level_security": [...]}}
// The readers also accept a bare RawModuleDefV10 / RawModuleDefV9 object (what /schema?version=N returns).
//
// Thread-safety: pure functions; the type tables are built once, thread-safely.
#pragma once

#include <string>
#include <string_view>

#include "host/raw_module_def.h"
#include "sats/algebraic_type.h"
#include "sats/result.h"

namespace stdb::host {

// The typespace the types below refer into (AlgebraicType, ProductType, ... RawModuleDefV10).
const sats::Typespace& RawModuleDefTypespace();
const sats::AlgebraicType& RawModuleDefType();     // sum V8BackCompat | V9 | V10
const sats::AlgebraicType& RawModuleDefV10Type();
const sats::AlgebraicType& RawModuleDefV9Type();
const sats::AlgebraicType& RawTableDefV10Type();
const sats::AlgebraicType& RawReducerDefV10Type();

// Reads a RawModuleDef (wrapped in {"V9": ...} / {"V10": ...}, or bare).
Result<RawModuleDef> ReadRawModuleDefJson(std::string_view json);
// Reads the body of /schema?version=`version`.
Result<RawModuleDef> ReadSchemaJson(std::string_view json, int version);

// The wrapped typed SATS-JSON of a definition (as `spacetime extract-schema` prints it).
std::string WriteRawModuleDefJson(const RawModuleDef& def);
// The bare RawModuleDefV10 / RawModuleDefV9 object, as /schema?version=10 / 9 serves it (ReadSchemaJson's input).
std::string WriteSchemaJson(const RawModuleDef& def);

}  // namespace stdb::host
