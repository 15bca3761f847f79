// The V8 backend of WasmRuntime (V8 10.2 from Debian's libnode; spec/wasm-runtime.md).
//
// How the interface maps onto V8:
//   - InitializeV8Runtime creates the process's V8 platform once, sets --wasm-max-mem-pages from
//     RuntimeOptions::max_memory_bytes, and optionally enables the wasm trap handler. V8 cannot be torn
//     down and set up again, so the platform lives until the process exits.
//   - Each engine owns one isolate and one context. Modules are compiled with WasmModuleObject::Compile;
//     instances are made with the JavaScript WebAssembly.Instance constructor (10.2 has no C++ call for
//     it), given an import object whose functions are C++ trampolines. i64 crosses as BigInt, the others
//     as Number.
//   - Runaway calls: one watchdog thread per process watches every engine's running call. Once a call has
//     run for its budget (timed from the watchdog tick that first saw it, so it stops between budget and
//     budget + 5 ms), the watchdog calls Isolate::RequestInterrupt; the interrupt callback runs on the
//     engine thread and terminates execution only if the same call (by id) is still running, so a late
//     interrupt cannot hit the next call. Termination is cancelled once the top-level call has left V8.
//     Starting a call costs one atomic store and no clock read; the watchdog parks after a second without
//     calls and the next call wakes it.
//   - An engine's thread stays entered in its isolate between calls (entering costs a mutex inside V8); it
//     leaves when the thread switches to another engine, destroys the engine, or exits.
//   - Termination takes effect at wasm loop back-edges and function entries; a host import that blocks is
//     not interrupted (host functions must bound their own work).
//
// Only v8_runtime.cc includes V8's headers.
//
// Thread-safety: as WasmRuntime (wasm_runtime.h): engines are confined to their creating thread, except
// InterruptCall() and stats(); initialisation and engine creation are thread-safe.
#pragma once

#include <memory>
#include <string>

#include "host/wasm_runtime.h"
#include "sats/result.h"

namespace stdb::host {

Status InitializeV8Runtime(const RuntimeOptions& options);

Result<std::unique_ptr<WasmEngine>> CreateV8Engine(const EngineOptions& options);

// "10.2.154.26-node.37".
std::string V8Version();

}  // namespace stdb::host
