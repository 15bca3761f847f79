// `spacetime sql <db> <query>` and `spacetime sql <db> --interactive`: runs SQL on a database,
// POST /v1/database/{identity}/sql[?confirmed=bool] with the query as the body, and prints the result as psql-like
// tables (sql_output.h) or, with --format json, the server's JSON as is. A query the server rejects (400) is an
// error carrying the server's text.
//
// The interactive mode is a prompt ("🪐<db>>") with line editing and a history kept in ~/.stdb.history.txt;
// `.exit` or Ctrl-D leaves, `.clear` clears the screen, and every result is followed by row counts and timings.
//
// Thread-safety: runs on the caller's thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/command_context.h"
#include "sats/result.h"

namespace stdb::cli {

struct SqlOptions {
  std::vector<std::string> parts;  // [database] <query words...>
  bool interactive = false;
  std::optional<bool> confirmed;
  bool anonymous = false;
  std::string server;
  std::string format = "text";  // text | json
  bool yes = false;
};

Status RunSql(const SqlOptions& options, CommandContext& ctx);

}  // namespace stdb::cli
