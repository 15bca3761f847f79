// `spacetime describe --json <db> [table <name> | reducer <name>]` (also `--table <name>` / `--reducer <name>`):
// prints a database's module definition, GET /v1/database/{identity}/schema?version=10 (falling back to 9), as
// pretty JSON — the whole RawModuleDef, or one table's or reducer's raw definition found by canonical or accessor
// name. Like the reference, only JSON output exists, so --json is required.
//
// Thread-safety: runs on the caller's thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/command_context.h"
#include "sats/result.h"

namespace stdb::cli {

struct DescribeOptions {
  std::vector<std::string> parts;  // <database> [entity_type entity_name]
  bool json = false;
  std::optional<std::string> table;
  std::optional<std::string> reducer;
  bool anonymous = false;
  std::string server;
  bool yes = false;
};

Status RunDescribe(const DescribeOptions& options, CommandContext& ctx);

}  // namespace stdb::cli
