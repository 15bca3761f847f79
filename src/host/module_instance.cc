#include "host/module_instance.h"

#include <algorithm>
#include <cstring>

#include "host/spacetime_imports.h"

namespace stdb::host {

namespace {

constexpr ValueType I32 = ValueType::kI32;
constexpr ValueType I64 = ValueType::kI64;

Status CheckExport(const WasmModuleInfo& info, const std::string& name, const FunctionType& type, bool required) {
  const ExportDescriptor* e = info.FindExport(name);
  if (!e) {
    if (!required) return OkStatus();
    return Error(ErrorCode::kInvalidArgument, "the module does not export the required function " + name);
  }
  if (e->kind != ExternKind::kFunction || e->type != type)
    return Error(ErrorCode::kInvalidArgument, "the module's export " + name + " has type " + e->type.ToString() +
                                                  " but must be " + type.ToString());
  return OkStatus();
}

std::string CallFailure(const CallResult& r) {
  return std::string(CallErrorKindName(r.error_kind())) + ": " + r.error().message();
}

}  // namespace

Result<std::unique_ptr<ModuleInstance>> ModuleInstance::Create(WasmEngine& engine, const WasmModule& module,
                                                               InstanceEnv* env) {
  const WasmModuleInfo& info = module.info();
  auto abi = CheckModuleImports(info);
  if (!abi.ok()) return std::move(abi).error();
  bool has_memory = false;
  for (const auto& e : info.exports) has_memory = has_memory || (e.name == "memory" && e.kind == ExternKind::kMemory);
  if (!has_memory) return Error(ErrorCode::kInvalidArgument, "there should be a memory export called \"memory\"");
  STDB_RETURN_IF_ERROR(CheckExport(info, "__describe_module__", FunctionType{{I32}, {}}, true));
  STDB_RETURN_IF_ERROR(CheckExport(info, "__call_reducer__",
                                   FunctionType{{I32, I64, I64, I64, I64, I64, I64, I64, I32, I32}, {I32}}, true));
  STDB_RETURN_IF_ERROR(CheckExport(info, "__setup__", FunctionType{{I32}, {I32}}, false));
  STDB_RETURN_IF_ERROR(CheckExport(info, "_initialize", FunctionType{{}, {}}, false));
  for (const auto& e : info.exports)
    if (e.name.rfind("__preinit__", 0) == 0) STDB_RETURN_IF_ERROR(CheckExport(info, e.name, FunctionType{{}, {}}, true));

  auto imports = SpacetimeImports(env);
  STDB_ASSIGN_OR_RETURN(auto instance, engine.Instantiate(module, imports));
  std::unique_ptr<ModuleInstance> m(new ModuleInstance(std::move(instance), env));
  STDB_ASSIGN_OR_RETURN(m->call_reducer_, m->instance_->FindFunction("__call_reducer__"));
  STDB_ASSIGN_OR_RETURN(m->describe_, m->instance_->FindFunction("__describe_module__"));
  return m;
}

Status ModuleInstance::CallVoid(ExportHandle fn, std::string_view name) {
  CallResult r = instance_->Call(fn, {});
  env_->ResetCallHandles();
  if (!r.ok()) {
    poisoned_ = true;
    return Error(ErrorCode::kInvalidArgument, std::string(name) + " failed: " + CallFailure(r));
  }
  return OkStatus();
}

Status ModuleInstance::Initialize() {
  const WasmModuleInfo& info = instance_->info();
  if (info.FindExport("_initialize")) {
    STDB_ASSIGN_OR_RETURN(auto fn, instance_->FindFunction("_initialize"));
    STDB_RETURN_IF_ERROR(CallVoid(fn, "_initialize"));
  }
  std::vector<std::string> preinits;
  for (const auto& e : info.exports)
    if (e.name.rfind("__preinit__", 0) == 0) preinits.push_back(e.name);
  std::sort(preinits.begin(), preinits.end());  // byte order, like Rust's string order
  for (const auto& name : preinits) {
    STDB_ASSIGN_OR_RETURN(auto fn, instance_->FindFunction(name));
    STDB_RETURN_IF_ERROR(CallVoid(fn, name));
  }
  if (info.FindExport("__setup__")) {
    STDB_ASSIGN_OR_RETURN(auto fn, instance_->FindFunction("__setup__"));
    uint32_t sink = env_->NewSink();
    CallResult r = instance_->Call(fn, {WasmValue::I32(int32_t(sink))});
    sats::Bytes message = env_->TakeSink(sink);
    env_->ResetCallHandles();
    if (!r.ok()) {
      poisoned_ = true;
      return Error(ErrorCode::kInvalidArgument, "__setup__ failed: " + CallFailure(r));
    }
    if (r.value().i32() != 0)
      return Error(ErrorCode::kInvalidArgument,
                   "setup function returned an error: " + std::string(message.begin(), message.end()));
  }
  return OkStatus();
}

Result<sats::Bytes> ModuleInstance::Describe() {
  uint32_t sink = env_->NewSink();
  CallResult r = instance_->Call(describe_, {WasmValue::I32(int32_t(sink))});
  sats::Bytes out = env_->TakeSink(sink);
  env_->ResetCallHandles();
  if (!r.ok()) {
    poisoned_ = true;
    return Error(ErrorCode::kInvalidArgument, "__describe_module__ failed: " + CallFailure(r));
  }
  return out;
}

ReducerCallOutcome ModuleInstance::CallReducer(uint32_t reducer_id, const ReducerCallArgs& args) {
  uint64_t s[4];
  std::memcpy(s, args.sender.le_bytes().data(), 32);
  sats::u128 conn = args.connection_id.value();
  uint32_t args_source = env_->AddSource(sats::Bytes(args.args.begin(), args.args.end()));
  uint32_t err_sink = env_->NewSink();
  env_->call_timestamp = args.timestamp;
  WasmValue argv[10] = {WasmValue::I32(int32_t(reducer_id)),
                        WasmValue::I64(int64_t(s[0])),
                        WasmValue::I64(int64_t(s[1])),
                        WasmValue::I64(int64_t(s[2])),
                        WasmValue::I64(int64_t(s[3])),
                        WasmValue::I64(int64_t(uint64_t(conn))),
                        WasmValue::I64(int64_t(uint64_t(conn >> 64))),
                        WasmValue::I64(args.timestamp.micros_since_epoch()),
                        WasmValue::I32(int32_t(args_source)),
                        WasmValue::I32(int32_t(err_sink))};
  CallResult r = instance_->Call(call_reducer_, std::span<const WasmValue>(argv, 10));
  sats::Bytes err = env_->TakeSink(err_sink);
  env_->ResetCallHandles();
  ReducerCallOutcome out;
  if (!r.ok()) {
    poisoned_ = true;
    out.kind = r.error_kind() == CallErrorKind::kInterrupted ? ReducerCallOutcome::Kind::kInterrupted
                                                              : ReducerCallOutcome::Kind::kTrap;
    out.message = CallFailure(r);
    return out;
  }
  int32_t code = r.value().i32();
  if (code == 0) return out;
  if (code == 1) {
    out.kind = ReducerCallOutcome::Kind::kUserError;
    out.message.assign(err.begin(), err.end());
    return out;
  }
  out.kind = ReducerCallOutcome::Kind::kBadReturnCode;
  out.message = "The instance encountered a fatal error.";
  return out;
}

}  // namespace stdb::host
