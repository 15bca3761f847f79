// ModuleInstance: one instantiated module with its host environment, and the export protocol of
// spec/module-abi.md §3: loading (`_initialize`, every `__preinit__*` export in byte order, `__setup__`),
// `__describe_module__`, and `__call_reducer__` with the caller's identity, connection id, timestamp and BSATN
// arguments.
//
// A reducer call reports how it ended: committed-able success (return 0), a user error (1, with the message the
// module wrote to the error sink), another return code, a trap (the instance should then be replaced: its memory
// may be half-updated) or an interrupt by the time budget. The transaction itself is the caller's business
// (InstanceEnv::tx).
//
// Thread-safety: used only on the thread of the engine that created it.
#pragma once

#include <memory>
#include <string>

#include "host/instance_env.h"
#include "host/wasm_runtime.h"

namespace stdb::host {

struct ReducerCallArgs {
  sats::Identity sender;
  sats::ConnectionId connection_id;
  sats::Timestamp timestamp;
  sats::ByteSpan args;  // BSATN of the parameter product
};

struct ReducerCallOutcome {
  enum class Kind { kOk, kUserError, kBadReturnCode, kTrap, kInterrupted };
  Kind kind = Kind::kOk;
  std::string message;  // user error text, or the trap / interrupt description
  bool ok() const { return kind == Kind::kOk; }
};

class ModuleInstance {
 public:
  // Instantiates with the spacetime imports bound to `env` (which must outlive the instance) and checks the
  // required exports and their signatures.
  static Result<std::unique_ptr<ModuleInstance>> Create(WasmEngine& engine, const WasmModule& module,
                                                        InstanceEnv* env);

  // Runs `_initialize`, the `__preinit__*` exports in byte order, then `__setup__`.
  Status Initialize();
  // Calls `__describe_module__` and returns what it wrote (a BSATN RawModuleDef).
  Result<sats::Bytes> Describe();
  // Calls `__call_reducer__`.
  ReducerCallOutcome CallReducer(uint32_t reducer_id, const ReducerCallArgs& args);

  // True after a trap or interrupt: the owner should build a fresh instance before the next call.
  bool poisoned() const { return poisoned_; }
  InstanceEnv* env() { return env_; }

 private:
  ModuleInstance(std::unique_ptr<WasmInstance> instance, InstanceEnv* env) : instance_(std::move(instance)), env_(env) {}
  Status CallVoid(ExportHandle fn, std::string_view name);

  std::unique_ptr<WasmInstance> instance_;
  InstanceEnv* env_;
  ExportHandle call_reducer_;
  ExportHandle describe_;
  bool poisoned_ = false;
};

}  // namespace stdb::host
