#include "cli/module_extractor.h"

#include <fstream>
#include <iterator>

#include "host/instance_env.h"
#include "host/module_instance.h"
#include "host/module_logs.h"
#include "host/wasm_runtime.h"

namespace stdb::cli {

Result<sats::Bytes> DescribeWasmModule(sats::ByteSpan wasm, const std::string& source) {
  auto fail = [&](const Error& e) {
    return Error(e.code(), "could not read the module definition of " + source + ": " + e.message() +
                               " — is it a SpacetimeDB module built with `spacetime build`?");
  };
  host::EngineOptions options;
  options.call_budget = std::chrono::milliseconds(30'000);
  auto engine = host::CreateWasmEngine(options);
  if (!engine.ok()) return fail(engine.error());
  auto module = (*engine)->Compile(wasm);
  if (!module.ok()) return fail(module.error());
  host::ModuleLogs logs;
  host::InstanceEnv env;
  env.logs = &logs;
  env.function_name = "__describe_module__";
  auto instance = host::ModuleInstance::Create(**engine, **module, &env);
  if (!instance.ok()) return fail(instance.error());
  Status initialized = (*instance)->Initialize();
  if (!initialized.ok()) return fail(initialized.error());
  auto described = (*instance)->Describe();
  if (!described.ok()) return fail(described.error());
  return std::move(described).value();
}

Result<host::ModuleDef> ValidateModuleDef(const host::RawModuleDef& raw, const std::string& source) {
  auto def = std::visit([](const auto& d) { return host::ModuleDef::FromRaw(d); }, raw);
  if (!def.ok())
    return Error(def.error().code(), "the module definition of " + source + " is invalid:\n" + def.error().message() +
                                          "\nFix the module and build it again");
  return std::move(def).value();
}

Result<ExtractedModule> ExtractModuleFromWasmFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Error(ErrorCode::kNotFound, "cannot open module file " + path +
                                           " — check the path, or build the module first with `spacetime build`");
  sats::Bytes wasm((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  STDB_ASSIGN_OR_RETURN(sats::Bytes described, DescribeWasmModule(wasm, path));
  auto raw = host::DecodeRawModuleDef(described);
  if (!raw.ok())
    return Error(raw.error().code(), "the module definition written by " + path + " cannot be decoded: " +
                                         raw.error().message() + " — rebuild it with a current SDK");
  STDB_ASSIGN_OR_RETURN(host::ModuleDef def, ValidateModuleDef(*raw, path));
  return ExtractedModule{std::move(*raw), std::move(def)};
}

}  // namespace stdb::cli
