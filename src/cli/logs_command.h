// `spacetime logs <db> [-n N] [-f] [--level L [--level-exact]] [--format text|json]`: prints a database's module
// log, GET /v1/database/{identity}/logs?num_lines=N&follow=bool (owner only). With -f the response never ends and
// lines are printed as they arrive (and -n defaults to 10). JSON format prints the server's records as they are.
//
// Thread-safety: runs on the caller's thread.
#pragma once

#include <optional>
#include <string>

#include "cli/command_context.h"
#include "sats/result.h"

namespace stdb::cli {

struct LogsOptions {
  std::string database;
  std::string server;
  std::optional<uint32_t> num_lines;
  bool follow = false;
  std::string format = "text";  // text | json
  std::optional<std::string> level;
  bool level_exact = false;
  bool yes = false;
};

Status RunLogs(const LogsOptions& options, CommandContext& ctx);

}  // namespace stdb::cli
