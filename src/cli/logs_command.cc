#include "cli/logs_command.h"

#include "cli/command_support.h"
#include "cli/log_format.h"

namespace stdb::cli {

Status RunLogs(const LogsOptions& options, CommandContext& ctx) {
  LogFilter filter;
  if (options.level) {
    filter.level = ParseLogSeverity(*options.level);
    if (!filter.level)
      return Error(ErrorCode::kInvalidArgument, "--level " + *options.level +
                                                    " is not a log level; use trace, debug, info, warn, error or panic");
  }
  filter.exact = options.level_exact;
  if (options.level_exact && !options.level)
    return Error(ErrorCode::kInvalidArgument, "--level-exact needs --level <level>");
  bool json = options.format == "json";
  if (!json && options.format != "text")
    return Error(ErrorCode::kInvalidArgument, "--format " + options.format + " is not known; use text or json");

  STDB_ASSIGN_OR_RETURN(ServerApi api, ConnectToServer(ctx, options.server, false));
  STDB_ASSIGN_OR_RETURN(sats::Identity identity, api.ResolveDatabase(options.database));
  std::optional<uint32_t> num_lines = options.num_lines;
  if (options.follow && !num_lines) num_lines = 10;
  std::string path = DatabasePath(identity) + "/logs?";
  if (num_lines) path += "num_lines=" + std::to_string(*num_lines) + "&";
  path += std::string("follow=") + (options.follow ? "true" : "false");

  std::string pending;
  Status line_error = OkStatus();
  auto emit = [&](const std::string& line) -> bool {
    if (line.empty()) return true;
    if (json && !filter.level) {
      *ctx.out << line << "\n";
      return true;
    }
    auto formatted = FormatLogLine(line, ctx.stdout_is_tty && !json);
    if (!formatted.ok()) {
      line_error = formatted.error();
      return false;
    }
    if (!filter.Accepts(formatted->severity)) return true;
    *ctx.out << (json ? line + "\n" : formatted->text);
    return true;
  };
  auto on_body = [&](std::string_view chunk) -> bool {
    pending.append(chunk);
    size_t start = 0;
    size_t nl;
    while ((nl = pending.find('\n', start)) != std::string::npos) {
      if (!emit(pending.substr(start, nl - start))) return false;
      start = nl + 1;
    }
    pending.erase(0, start);
    ctx.out->flush();
    return true;
  };
  STDB_ASSIGN_OR_RETURN(HttpResponse response, StreamHttpRequest(api.MakeRequest("GET", path), on_body));
  if (!response.ok()) return ResponseError(response, "reading the logs of database `" + options.database + "`");
  STDB_RETURN_IF_ERROR(line_error);
  if (!pending.empty()) {
    emit(pending);
    STDB_RETURN_IF_ERROR(line_error);
  }
  ctx.out->flush();
  return OkStatus();
}

}  // namespace stdb::cli
