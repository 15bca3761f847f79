#include "cli/module_build.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "cli/child_process.h"

namespace stdb::cli {

namespace fs = std::filesystem;

std::vector<std::string> CppModuleFlags(bool debug) {
  std::vector<std::string> flags = {"--target=wasm32-wasi", "-mexec-model=reactor", "-std=c++20", "-O2"};
  if (!debug) flags.push_back("-DNDEBUG");
  for (const char* f : {"-fno-exceptions", "-fno-rtti", "-ffunction-sections", "-fdata-sections", "-Wl,--gc-sections",
                        "-Wl,--strip-all", "-Wl,--stack-first", "-Wl,-z,stack-size=1048576"})
    flags.push_back(f);
  return flags;
}

Result<ModuleBuildPlan> PlanCppModuleBuild(const std::string& module_directory, const std::string& sdk_directory,
                                           bool debug) {
  std::error_code ec;
  fs::path dir(module_directory);
  if (!fs::exists(dir, ec))
    return Error(ErrorCode::kNotFound, "module directory " + module_directory +
                                           " does not exist — check --module-path, or create a module with `spacetime "
                                           "init --lang cpp <dir>`");
  if (!fs::is_directory(dir, ec))
    return Error(ErrorCode::kInvalidArgument, module_directory + " is not a directory; --module-path takes the module's "
                                                                 "directory (the one with src/)");
  std::vector<std::string> sources;
  if (fs::is_directory(dir / "src", ec)) {
    for (const auto& entry : fs::directory_iterator(dir / "src", ec))
      if (entry.is_regular_file() && entry.path().extension() == ".cpp")
        sources.push_back("src/" + entry.path().filename().string());
  }
  if (sources.empty())
    return Error(ErrorCode::kNotFound, "no C++ sources in " + (dir / "src").string() +
                                           " (expected src/*.cpp) — is this a C++ module directory? Create one with "
                                           "`spacetime init --lang cpp <dir>`");
  std::sort(sources.begin(), sources.end());
  ModuleBuildPlan plan;
  plan.module_directory = fs::absolute(dir).lexically_normal().string();
  plan.sdk_directory = fs::absolute(sdk_directory).lexically_normal().string();
  if (!plan.module_directory.empty() && plan.module_directory.back() == '/') plan.module_directory.pop_back();
  const char* compiler = std::getenv("SPACETIMEDB_CLANGXX");
  plan.argv.push_back(compiler && *compiler ? compiler : "clang++-19");
  for (auto& f : CppModuleFlags(debug)) plan.argv.push_back(std::move(f));
  plan.argv.push_back("-I" + plan.sdk_directory + "/include");
  for (auto& s : sources) plan.argv.push_back(std::move(s));
  plan.argv.push_back(plan.sdk_directory + "/src/unity/spacetimedb_sdk.cpp");
  plan.argv.push_back("-o");
  plan.argv.push_back("build/lib.wasm");
  plan.output = plan.module_directory + "/build/lib.wasm";
  return plan;
}

Result<std::string> RunModuleBuild(const ModuleBuildPlan& plan, std::ostream& out) {
  if (FindInPath(plan.argv[0]).empty())
    return Error(ErrorCode::kNotFound,
                 plan.argv[0] + " was not found in PATH; install the module toolchain (Debian: `sudo apt-get install "
                                "clang-19 lld-19 wasi-libc libc++-19-dev-wasm32 libc++abi-19-dev-wasm32 "
                                "libclang-rt-19-dev-wasm32`, which scripts/setup does) or set SPACETIMEDB_CLANGXX");
  std::error_code ec;
  fs::create_directories(fs::path(plan.module_directory) / "build", ec);
  if (ec)
    return Error(ErrorCode::kIo, "cannot create " + plan.module_directory + "/build: " + ec.message() +
                                     " — check the directory's permissions");
  out << "Building C++ module in " << plan.module_directory << "\n"
      << "  (cd " << ShellQuote({plan.module_directory}) << " && SPACETIMEDB_CPP_SDK=" << ShellQuote({plan.sdk_directory})
      << " " << ShellQuote(plan.argv) << ")\n"
      << std::flush;
  ChildProcessSpec spec;
  spec.argv = plan.argv;
  spec.working_directory = plan.module_directory;
  spec.extra_environment = {{"SPACETIMEDB_CPP_SDK", plan.sdk_directory}};
  STDB_ASSIGN_OR_RETURN(int status, RunChildProcess(spec));
  if (status != 0)
    return Error(ErrorCode::kInvalidArgument, "the module did not compile (" + plan.argv[0] + " exited with status " +
                                                  std::to_string(status) + "); fix the errors shown above and build again");
  return plan.output;
}

}  // namespace stdb::cli
