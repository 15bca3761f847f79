// `spacetime build [-p <module dir>] [-d]`: compiles a C++ module to build/lib.wasm with the SDK's documented
// command (module_build.h). Also the first step of `publish` and `generate` when they are given a module directory.
//
// Thread-safety: runs on the caller's thread.
#pragma once

#include <optional>
#include <string>

#include "cli/command_context.h"
#include "sats/result.h"

namespace stdb::cli {

struct BuildOptions {
  std::optional<std::string> module_path;  // default: ./spacetimedb, else .
  bool debug = false;
};

Status RunBuild(const BuildOptions& options, CommandContext& ctx);

// Builds the module in `module_directory` and returns the path of its .wasm.
Result<std::string> BuildModule(const std::string& module_directory, bool debug, CommandContext& ctx);

}  // namespace stdb::cli
