// CommandLine: the `spacetime` command line — every subcommand with the reference CLI's names, flags and
// positional arguments — parsed with CLI11 into one options struct per command, and dispatched to the commands.
//
// Parsing is separate from running so that tests can check the parse of every command without side effects.
// Two reference conventions CLI11 does not have are applied before parsing: `--delete-data` / `-c` alone means
// `--delete-data=always`, and `--yes` / `-y` alone on publish means `--yes=all` (the value must be attached with
// '=', so `--yes my-db` keeps my-db as the database name).
//
// Exit codes: 0 success, 1 a command failed (the message is printed as "Error: ..."), 2 bad usage (CLI11's message
// and the usage line).
//
// Thread-safety: functions over their arguments; RunCommandLine runs one command on the caller's thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/build_command.h"
#include "cli/call_command.h"
#include "cli/command_context.h"
#include "cli/database_commands.h"
#include "cli/describe_command.h"
#include "cli/generate_command.h"
#include "cli/init_command.h"
#include "cli/login_command.h"
#include "cli/logs_command.h"
#include "cli/publish_command.h"
#include "cli/server_command.h"
#include "cli/sql_command.h"
#include "cli/start_command.h"
#include "cli/subscribe_command.h"

namespace stdb::cli {

struct CommandLine {
  std::string config_path;  // --config-path; empty: CliConfig::DefaultPath()
  // The command, with " " between levels: "publish", "server add", "login show", ...
  std::string command;

  PublishOptions publish;
  DeleteOptions delete_;
  ListOptions list;
  LogsOptions logs;
  CallOptions call;
  SqlOptions sql;
  SubscribeOptions subscribe;
  DescribeOptions describe;
  RenameOptions rename;
  BuildOptions build;
  InitOptions init;
  GenerateOptions generate;
  ExtractSchemaOptions extract_schema;
  ServerOptions server;
  LoginOptions login;
  StartOptions start;
};

struct ParseResult {
  std::optional<CommandLine> command_line;  // set when a command is to run
  int exit_code = 0;                        // when not: 0 for --help/--version, 2 for usage errors
  std::string output;                       // help or usage error text to print
};

// Parses the arguments after the program name.
ParseResult ParseCommandLine(const std::vector<std::string>& args);

// Loads the config and runs the parsed command; returns the process exit code.
int RunCommandLine(const CommandLine& command_line, CommandContext& ctx);

// What `spacetime version` prints.
std::string VersionText(const std::string& executable_path);

}  // namespace stdb::cli
