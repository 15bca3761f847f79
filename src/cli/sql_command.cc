#include "cli/sql_command.h"

#include <chrono>
#include <cstdlib>

#include "cli/command_support.h"
#include "cli/line_reader.h"
#include "cli/sql_output.h"

namespace stdb::cli {

namespace {

// Runs one statement and prints its result; `with_stats` adds the REPL's statistics lines.
Status RunStatement(const ServerApi& api, const sats::Identity& identity, const std::string& query,
                    const SqlOptions& options, bool with_stats, CommandContext& ctx) {
  std::string path = DatabasePath(identity) + "/sql";
  if (options.confirmed) path += std::string("?confirmed=") + (*options.confirmed ? "true" : "false");
  auto started = std::chrono::steady_clock::now();
  STDB_ASSIGN_OR_RETURN(HttpResponse response, api.Send("POST", path, query));
  auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
  if (!response.ok()) {
    std::string text = response.body;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    if (response.status == 400) return Error(ErrorCode::kInvalidArgument, "SQL error: " + text);
    return ResponseError(response, "running SQL on database `" + options.parts.front() + "`");
  }
  if (options.format == "json") {
    *ctx.out << response.body << "\n";
    return OkStatus();
  }
  STDB_ASSIGN_OR_RETURN(std::vector<SqlStatementResult> results, ParseSqlResponse(response.body));
  std::optional<uint64_t> roundtrip;
  if (with_stats) roundtrip = static_cast<uint64_t>(elapsed.count());
  *ctx.out << FormatSqlResults(results, roundtrip) << "\n";
  return OkStatus();
}

}  // namespace

Status RunSql(const SqlOptions& options, CommandContext& ctx) {
  if (options.format != "text" && options.format != "json")
    return Error(ErrorCode::kInvalidArgument, "--format " + options.format + " is not known; use text or json");
  if (options.interactive) {
    if (options.parts.size() != 1)
      return Error(ErrorCode::kInvalidArgument,
                   options.parts.empty() ? "name the database: spacetime sql <database> --interactive"
                                         : "too many arguments for interactive mode; usage: spacetime sql <database> "
                                           "--interactive");
  } else if (options.parts.size() < 2) {
    return Error(ErrorCode::kInvalidArgument,
                 options.parts.empty() ? "name the database and the query: spacetime sql <database> \"SELECT * FROM t\""
                                       : "no query given; usage: spacetime sql " + options.parts[0] +
                                             " \"SELECT * FROM t\" (or --interactive for a prompt)");
  }
  const std::string& database = options.parts[0];
  STDB_ASSIGN_OR_RETURN(ServerApi api, ConnectToServer(ctx, options.server, options.anonymous));
  STDB_ASSIGN_OR_RETURN(sats::Identity identity, api.ResolveDatabase(database));

  if (!options.interactive) {
    std::string query;
    for (size_t i = 1; i < options.parts.size(); ++i) query += (i > 1 ? " " : "") + options.parts[i];
    return RunStatement(api, identity, query, options, false, ctx);
  }

  const char* home = std::getenv("HOME");
  std::string history = std::string(home && *home ? home : "/tmp") + "/.stdb.history.txt";
  LineReader reader(*ctx.in, *ctx.out, ctx.stdin_is_tty, ctx.stdin_is_tty ? history : "");
  *ctx.out << "┌──────────────────────────────────────────────────────────┐\n"
              "│ .exit: Exit the REPL                                     │\n"
              "│ .clear: Clear the Screen                                 │\n"
              "└──────────────────────────────────────────────────────────┘\n";
  std::string prompt = "🪐" + database + ">";
  if (ctx.stdout_is_tty) prompt = "\001\x1b[32m\002" + prompt + "\001\x1b[0m\002";
  while (true) {
    auto line = reader.ReadLine(prompt);
    if (!line) {
      *ctx.out << "\n" << (ctx.stdout_is_tty ? "\x1b[31mAborted!\x1b[0m" : "Aborted!") << "\n";
      break;
    }
    if (*line == ".exit") break;
    if (*line == ".clear") {
      reader.ClearScreen();
      continue;
    }
    if (line->find_first_not_of(" \t\r") == std::string::npos) continue;
    reader.AddHistory(*line);
    Status s = RunStatement(api, identity, *line, options, true, ctx);
    if (!s.ok())
      *ctx.err << (ctx.stdout_is_tty ? "\x1b[31m" : "") << s.error().message()
               << (ctx.stdout_is_tty ? "\x1b[0m" : "") << "\n";
  }
  return OkStatus();
}

}  // namespace stdb::cli
