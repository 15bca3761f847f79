// ModuleExtractor: the module definition of a compiled module (.wasm), obtained without a server the way the
// host does it — instantiate the module in the host's WebAssembly engine (V8) with an empty environment, run its
// initialisers and call `__describe_module__` (spec/module-abi.md §3). The result is the raw BSATN definition,
// decoded, and validated into a ModuleDef.
//
// Thread-safety: each call creates its own engine on the calling thread; calls on different threads are
// independent.
#pragma once

#include <string>

#include "host/module_def.h"
#include "host/raw_module_def.h"
#include "sats/bsatn.h"
#include "sats/result.h"

namespace stdb::cli {

struct ExtractedModule {
  host::RawModuleDef raw;
  host::ModuleDef def;
};

// Runs `__describe_module__` of `wasm` and returns its BSATN RawModuleDef. `source` names the module in errors.
Result<sats::Bytes> DescribeWasmModule(sats::ByteSpan wasm, const std::string& source);

// Reads and describes a .wasm file, then decodes and validates the definition.
Result<ExtractedModule> ExtractModuleFromWasmFile(const std::string& path);

// Decodes and validates a RawModuleDef; `source` names where it came from in errors.
Result<host::ModuleDef> ValidateModuleDef(const host::RawModuleDef& raw, const std::string& source);

}  // namespace stdb::cli
