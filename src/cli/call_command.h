// `spacetime call <db> <function> [json args...]`: calls a reducer or procedure over HTTP,
// POST /v1/database/{identity}/call/{function} with Content-Type: application/json and the JSON array of the
// arguments (call_arguments.h). The database's schema is read first to find the function and check the
// arguments against its parameter types; if the schema cannot be read the arguments are passed through. A
// procedure's return value is printed; a reducer prints nothing on success.
//
// Thread-safety: runs on the caller's thread.
#pragma once

#include <string>
#include <vector>

#include "cli/command_context.h"
#include "sats/result.h"

namespace stdb::cli {

struct CallOptions {
  std::string database;
  std::string function;
  std::vector<std::string> arguments;
  std::string server;
  bool anonymous = false;
  bool yes = false;
};

Status RunCall(const CallOptions& options, CommandContext& ctx);

}  // namespace stdb::cli
