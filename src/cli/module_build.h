// ModuleBuild: `spacetime build` for C++ modules — the C++ SDK's documented one-invocation command
// (sdk/cpp/README.md, "build-command"), run in the module directory:
//
//   mkdir -p build && clang++-19 --target=wasm32-wasi -mexec-model=reactor -std=c++20 -O2 -DNDEBUG
//     -fno-exceptions -fno-rtti -ffunction-sections -fdata-sections -Wl,--gc-sections -Wl,--strip-all
//     -Wl,--stack-first -Wl,-z,stack-size=1048576 -I"$SPACETIMEDB_CPP_SDK/include" src/*.cpp "$SPACETIMEDB_CPP_SDK/src/unity/spacetimedb_sdk.cpp"
//     -o build/lib.wasm
//
// A debug build drops -DNDEBUG (LOG_DEBUG and assert stay in), as the README says. The command is printed before it
// runs, with SPACETIMEDB_CPP_SDK set in its environment; compiler messages go straight to the terminal. The
// compiler is clang++-19 from PATH, or $SPACETIMEDB_CLANGXX.
//
// Thread-safety: reentrant.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "sats/result.h"

namespace stdb::cli {

struct ModuleBuildPlan {
  std::string module_directory;  // where the command runs
  std::string sdk_directory;
  std::vector<std::string> argv;   // the compiler invocation (paths relative to module_directory)
  std::string output;              // absolute path of build/lib.wasm
};

// Checks that `module_directory` holds src/*.cpp and lays out the command.
Result<ModuleBuildPlan> PlanCppModuleBuild(const std::string& module_directory, const std::string& sdk_directory,
                                           bool debug);

// Prints the command to `out` and runs it; returns the path of the built module.
Result<std::string> RunModuleBuild(const ModuleBuildPlan& plan, std::ostream& out);

// The flags of the documented command (everything between the compiler and the first source file).
std::vector<std::string> CppModuleFlags(bool debug);

}  // namespace stdb::cli
