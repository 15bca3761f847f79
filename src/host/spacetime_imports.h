// The host side of the spacetime_10.0 .. spacetime_10.5 ABI: every import a module may link against
// (spec/module-abi.md §2), implemented over an InstanceEnv.
//
// Each function follows the reference exactly: errno values for expected outcomes (§1.3), traps for misuse —
// a NULL pointer (even with length 0), a range outside linear memory, invalid UTF-8 in a name — and for host
// errors the reference does not map to an errno. Every function is registered only under the module name of the
// minor version that introduced it, so an import under the wrong version is refused at instantiation.
// Procedure imports (10.3) link, and answer as the reference does inside a reducer (a transaction is always
// open); the asynchronous ones trap with a message saying they are not available, and log it.
//
// Thread-safety: the imports run on the instance's thread and touch only its InstanceEnv.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "host/instance_env.h"
#include "host/wasm_runtime.h"

namespace stdb::host {

// All spacetime imports, bound to `env`.
std::vector<HostImport> SpacetimeImports(InstanceEnv* env);

// The ABI version a module requires, from its function imports (§1.1): every `spacetime_<major>.<minor>` import
// must parse and share major 10 with minor <= 5; a module without any such import, or importing anything else
// (WASI, env), is refused with a message naming the import.
struct AbiVersion {
  uint32_t major = 0;
  uint32_t minor = 0;
};
Result<AbiVersion> CheckModuleImports(const WasmModuleInfo& info);

}  // namespace stdb::host
