#include "cli/build_command.h"

#include "cli/command_support.h"
#include "cli/module_build.h"
#include "cli/sdk_locator.h"

namespace stdb::cli {

Result<std::string> BuildModule(const std::string& module_directory, bool debug, CommandContext& ctx) {
  STDB_ASSIGN_OR_RETURN(std::string sdk, FindCppSdk(ctx.executable_path));
  STDB_ASSIGN_OR_RETURN(ModuleBuildPlan plan, PlanCppModuleBuild(module_directory, sdk, debug));
  STDB_ASSIGN_OR_RETURN(std::string wasm, RunModuleBuild(plan, *ctx.out));
  *ctx.out << "Build finished successfully.\n";
  return wasm;
}

Status RunBuild(const BuildOptions& options, CommandContext& ctx) {
  std::string dir = options.module_path ? *options.module_path : DefaultModuleDirectory();
  STDB_ASSIGN_OR_RETURN(std::string wasm, BuildModule(dir, options.debug, ctx));
  *ctx.out << "Module written to " << wasm << "\n";
  return OkStatus();
}

}  // namespace stdb::cli
