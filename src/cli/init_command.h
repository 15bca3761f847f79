// `spacetime init --lang cpp <project dir>` (or --project-path <dir>): creates a C++ module by copying the C++
// SDK's module template (sdk/cpp/template: CMakeLists.txt, src/lib.cpp), found next to the executable
// (sdk_locator.h). The directory must not exist yet or be empty.
//
// Thread-safety: runs on the caller's thread.
#pragma once

#include <optional>
#include <string>

#include "cli/command_context.h"
#include "sats/result.h"

namespace stdb::cli {

struct InitOptions {
  std::optional<std::string> project_name;  // positional: the directory to create
  std::optional<std::string> project_path;  // --project-path
  std::string lang;
};

Status RunInit(const InitOptions& options, CommandContext& ctx);

}  // namespace stdb::cli
