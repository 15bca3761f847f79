#include "cli/command_line.h"

#include <algorithm>
#include <sstream>

#include <CLI/CLI.hpp>

#include "cli/version.h"

namespace stdb::cli {

namespace {

template <typename T>
CLI::Option* AddOptional(CLI::App* app, const std::string& name, std::optional<T>& target, const std::string& help) {
  return app->add_option_function<T>(name, [&target](const T& value) { target = value; }, help);
}

CLI::Option* AddServer(CLI::App* app, std::string& target) {
  return app->add_option("-s,--server", target, "The nickname, host name or URL of the server (default: the default server)");
}

// CLI11 splits an argument written "[a,b]" into a list when it goes to a list option; JSON arrays given to `call`
// (and bracketed SQL) must stay whole, so such arguments are marked before parsing and unmarked after.
constexpr char kBracketMark = '\x1f';

void MarkBrackets(std::vector<std::string>& args) {
  for (auto& a : args)
    if (a.size() >= 2 && a.front() == '[' && a.back() == ']') a.insert(a.begin(), kBracketMark);
}

void Unmark(std::string& s) {
  if (!s.empty() && s.front() == kBracketMark) s.erase(s.begin());
}

void Unmark(std::vector<std::string>& list) {
  for (auto& s : list) Unmark(s);
}

// The reference's flags whose value must be attached with '=' (clap's require_equals): alone, they mean their
// default. Only the tokens of the publish command are touched.
std::vector<std::string> ApplyRequireEquals(std::vector<std::string> args) {
  auto command = std::find_if(args.begin(), args.end(), [](const std::string& a) { return a.empty() || a[0] != '-'; });
  if (command == args.end() || *command != "publish") return args;
  for (auto it = command + 1; it != args.end(); ++it) {
    if (*it == "--") break;
    if (*it == "--delete-data" || *it == "--clear-database" || *it == "-c") *it = "--delete-data=always";
    if (*it == "--yes" || *it == "-y") *it = "--yes=all";
  }
  return args;
}

struct Parser {
  CommandLine cl;
  CLI::App app{"SpacetimeDB command line tool: publish modules, query and call databases, generate client code",
               "spacetime"};
  std::string sql_confirmed, subscribe_confirmed;
  std::string logout_auth_host;  // accepted and ignored
  CLI::Option* module_def = nullptr;

  Parser() {
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("spacetime ") + kCliVersion);
    app.add_option("--config-path", cl.config_path, "The CLI config file (default ~/.config/spacetime/cli.json)");
    app.fallthrough();

    auto* publish = app.add_subcommand("publish", "Create and update a SpacetimeDB database");
    AddOptional(publish, "name|identity", cl.publish.database,
                "A valid database name or identity (a new database gets a generated identity when omitted)");
    AddOptional(publish, "-p,--module-path", cl.publish.module_path,
                "The module project directory to build and publish (default ./spacetimedb, else .)");
    AddOptional(publish, "-b,--bin-path", cl.publish.bin_path, "A compiled .wasm to publish instead of building");
    publish->add_option("-c,--delete-data,--clear-database", cl.publish.delete_data,
                        "Clear the database's data first: always (the default when given alone), on-conflict, never")
        ->check(CLI::IsMember({"always", "on-conflict", "never"}));
    publish->add_option("-y,--yes", cl.publish.yes,
                        "Skip confirmations: --yes (all) or --yes=remote,migrate,break-clients,skip-login,delete-data")
        ->delimiter(',')
        ->expected(1)
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    publish->add_flag("--break-clients", cl.publish.break_clients, "Allow changes that break existing clients");
    publish->add_flag("--anonymous", cl.publish.anonymous, "Publish with an anonymous identity");
    AddServer(publish, cl.publish.server);

    auto* del = app.add_subcommand("delete", "Deletes a SpacetimeDB database");
    del->add_option("database", cl.delete_.database, "The name or identity of the database to delete")->required();
    AddServer(del, cl.delete_.server);
    del->add_flag("-y,--yes", cl.delete_.yes, "Do not ask for confirmation");

    auto* list = app.add_subcommand("list", "Lists the databases attached to your identity");
    AddServer(list, cl.list.server);
    list->add_flag("-y,--yes", cl.list.yes, "Run non-interactively");

    auto* logs = app.add_subcommand("logs", "Prints logs from a SpacetimeDB database");
    logs->add_option("database", cl.logs.database, "The name or identity of the database")->required();
    AddServer(logs, cl.logs.server);
    AddOptional(logs, "-n,--num-lines", cl.logs.num_lines, "The number of lines to print (default: all; 10 with -f)");
    logs->add_flag("-f,--follow", cl.logs.follow, "Keep printing lines as they are logged");
    logs->add_option("--format", cl.logs.format, "Output format: text or json")
        ->check(CLI::IsMember({"text", "json"}));
    AddOptional(logs, "-l,--level", cl.logs.level, "Minimum level: trace, debug, info, warn, error, panic")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "panic"}, CLI::ignore_case));
    logs->add_flag("--level-exact", cl.logs.level_exact, "Only the level given with --level");
    logs->add_flag("-y,--yes", cl.logs.yes, "Run non-interactively");

    auto* call = app.add_subcommand("call", "Invokes a reducer or procedure in a database");
    call->add_option("database", cl.call.database, "The name or identity of the database")->required();
    call->add_option("function", cl.call.function, "The reducer or procedure to call")->required();
    call->add_option("arguments", cl.call.arguments, "The arguments, one JSON value per parameter");
    AddServer(call, cl.call.server);
    call->add_flag("--anonymous", cl.call.anonymous, "Call with an anonymous identity");
    call->add_flag("-y,--yes", cl.call.yes, "Run non-interactively");

    auto* sql = app.add_subcommand("sql", "Runs a SQL query on the database");
    sql->add_option("sql_parts", cl.sql.parts, "<database> <query>");
    sql->add_flag("--interactive", cl.sql.interactive, "Run an interactive SQL prompt");
    sql->add_option("--confirmed", sql_confirmed, "Only read confirmed (durable) transactions: true or false")
        ->check(CLI::IsMember({"true", "false"}));
    sql->add_flag("--anonymous", cl.sql.anonymous, "Query with an anonymous identity");
    AddServer(sql, cl.sql.server);
    sql->add_option("--format", cl.sql.format, "Output format: text or json")->check(CLI::IsMember({"text", "json"}));
    sql->add_flag("-y,--yes", cl.sql.yes, "Run non-interactively");

    auto* subscribe = app.add_subcommand("subscribe", "Subscribe to SQL queries on the database");
    subscribe->add_option("subscribe_parts", cl.subscribe.parts, "<database> <query> [query...]")->required();
    AddOptional(subscribe, "-n,--num-updates", cl.subscribe.num_updates, "Exit after this many updates");
    AddOptional(subscribe, "-t,--timeout", cl.subscribe.timeout_seconds, "Exit after this many seconds");
    subscribe->add_flag("--print-initial-update", cl.subscribe.print_initial_update, "Print the initial rows too");
    subscribe->add_option("--confirmed", subscribe_confirmed, "Only deliver confirmed (durable) updates: true or false")
        ->check(CLI::IsMember({"true", "false"}));
    subscribe->add_flag("--anonymous", cl.subscribe.anonymous, "Subscribe with an anonymous identity");
    AddServer(subscribe, cl.subscribe.server);
    subscribe->add_flag("-y,--yes", cl.subscribe.yes, "Run non-interactively");

    auto* describe = app.add_subcommand("describe", "Describe the structure of a database or of one table or reducer");
    describe->add_option("describe_parts", cl.describe.parts, "<database> [table|reducer <name>]");
    describe->add_flag("--json", cl.describe.json, "Output JSON (required: it is the only format)");
    AddOptional(describe, "--table", cl.describe.table, "Describe only this table");
    AddOptional(describe, "--reducer", cl.describe.reducer, "Describe only this reducer");
    describe->add_flag("--anonymous", cl.describe.anonymous, "Use an anonymous identity");
    AddServer(describe, cl.describe.server);
    describe->add_flag("-y,--yes", cl.describe.yes, "Run non-interactively");

    auto* rename = app.add_subcommand("rename", "Rename a database");
    rename->add_option("--to", cl.rename.new_name, "The new name")->required();
    rename->add_option("database-identity", cl.rename.database, "The database to rename (identity or name)")
        ->required();
    AddServer(rename, cl.rename.server);
    rename->add_flag("-y,--yes", cl.rename.yes, "Run non-interactively");

    auto* build = app.add_subcommand("build", "Builds a spacetime module (C++) to build/lib.wasm");
    AddOptional(build, "-p,--module-path", cl.build.module_path, "The module directory (default ./spacetimedb, else .)");
    build->add_flag("-d,--debug", cl.build.debug, "Build without -DNDEBUG (keeps LOG_DEBUG and assert)");

    auto* init = app.add_subcommand("init", "Initializes a new spacetime module project");
    AddOptional(init, "project-name", cl.init.project_name, "The directory to create");
    AddOptional(init, "--project-path", cl.init.project_path, "The directory to create (instead of the name)");
    init->add_option("--lang", cl.init.lang, "The module language: cpp");

    auto* generate = app.add_subcommand("generate", "Generate client files for a spacetime module");
    generate->add_option("-l,--lang", cl.generate.lang, "The language to generate: typescript");
    AddOptional(generate, "-o,--out-dir", cl.generate.out_dir, "The directory to write the bindings to");
    AddOptional(generate, "-p,--module-path", cl.generate.module_path, "The module directory to build and inspect");
    AddOptional(generate, "-b,--bin-path", cl.generate.bin_path, "A compiled .wasm to inspect instead of building");
    module_def = generate->add_option("--module-def", cl.generate.module_def_file,
                                      "A RawModuleDef JSON file to generate from (stdin when no file is given)")
                     ->expected(0, 1);
    generate->add_flag("--include-private", cl.generate.include_private, "Include private tables and functions");
    generate->add_flag("-y,--yes", cl.generate.yes, "Run non-interactively");

    auto* extract = app.add_subcommand("extract-schema", "Print the module definition (RawModuleDef JSON) of a .wasm");
    extract->add_option("wasm", cl.extract_schema.wasm_file, "The compiled module")->required();

    auto* server = app.add_subcommand("server", "Manage the connection to the SpacetimeDB server");
    server->require_subcommand(1);
    auto* server_add = server->add_subcommand("add", "Add a new server configuration");
    server_add->add_option("name", cl.server.server, "Nickname for this server")->required();
    server_add->add_option("--url", cl.server.url, "The URL of the server to add")->required();
    server_add->add_flag("-d,--default", cl.server.make_default, "Make the new server the default server");
    server_add->add_flag("--no-fingerprint", cl.server.no_fingerprint, "Skip fingerprinting the server");
    server->add_subcommand("list", "List stored server configurations");
    auto* server_default = server->add_subcommand("set-default", "Set the default server for future operations");
    server_default->add_option("server", cl.server.server, "The nickname, host name or URL of the server")->required();
    auto* server_remove = server->add_subcommand("remove", "Remove a saved server configuration");
    server_remove->add_option("server", cl.server.server, "The nickname, host name or URL of the server")->required();
    server_remove->add_flag("-y,--yes", cl.server.yes, "Run non-interactively");
    auto* server_ping = server->add_subcommand("ping", "Checks to see if a SpacetimeDB host is online");
    server_ping->add_option("server", cl.server.server, "The nickname, host name or URL of the server")->required();
    auto* server_fp = server->add_subcommand("fingerprint", "Show or update a saved server's fingerprint");
    server_fp->add_option("server", cl.server.server, "The nickname, host name or URL of the server")->required();
    server_fp->add_flag("-y,--yes", cl.server.yes, "Run non-interactively");

    auto* login = app.add_subcommand("login", "Manage your login to the SpacetimeDB CLI");
    login->require_subcommand(0, 1);
    AddOptional(login, "--server-issued-login", cl.login.server_issued_login,
                "Log in to a SpacetimeDB server directly (POST /v1/identity)");
    AddOptional(login, "--token", cl.login.token, "Save this login token");
    AddOptional(login, "--auth-host", cl.login.auth_host, "Fetch a login token from an auth server (not supported)");
    auto* login_show = login->add_subcommand("show", "Show the current login info");
    login_show->add_flag("--token", cl.login.show_token, "Also show the auth token");

    auto* logout = app.add_subcommand("logout", "Log out: forget the saved login token");
    logout->add_option("--auth-host", logout_auth_host, "Accepted for compatibility; there is no web session to end");

    app.add_subcommand("version", "Print the version of the spacetime CLI");

    auto* start = app.add_subcommand("start", "Start a local SpacetimeDB server");
    cl.start.data_dir = DefaultDataDir();
    cl.start.jwt_key_dir = DefaultJwtKeyDir();
    start->add_option("--listen-addr", cl.start.listen_addr, "The address to listen on")->capture_default_str();
    start->add_option("--data-dir", cl.start.data_dir, "The directory of the databases")->capture_default_str();
    start->add_flag("--in-memory", cl.start.in_memory, "Keep all data in memory (nothing is written)");
    start->add_option("--jwt-key-dir", cl.start.jwt_key_dir, "The directory of the server's signing keys")
        ->capture_default_str();
  }

  void Finish() {
    Unmark(cl.call.arguments);
    Unmark(cl.call.function);
    Unmark(cl.call.database);
    Unmark(cl.sql.parts);
    Unmark(cl.subscribe.parts);
    Unmark(cl.describe.parts);
    for (CLI::App* sub : app.get_subcommands()) {
      cl.command = sub->get_name();
      for (CLI::App* nested : sub->get_subcommands()) cl.command += " " + nested->get_name();
    }
    if (!sql_confirmed.empty()) cl.sql.confirmed = sql_confirmed == "true";
    if (!subscribe_confirmed.empty()) cl.subscribe.confirmed = subscribe_confirmed == "true";
    cl.generate.use_module_def = module_def->count() > 0;
    if (cl.command == "server add" || cl.command == "server list" || cl.command == "server set-default" ||
        cl.command == "server remove" || cl.command == "server ping" || cl.command == "server fingerprint")
      cl.server.action = cl.command.substr(7);
    cl.login.show = cl.command == "login show";
  }
};

}  // namespace

ParseResult ParseCommandLine(const std::vector<std::string>& args) {
  auto parser = std::make_unique<Parser>();
  std::vector<std::string> reversed = ApplyRequireEquals(args);
  MarkBrackets(reversed);
  std::reverse(reversed.begin(), reversed.end());
  ParseResult result;
  try {
    parser->app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    std::ostringstream out, err;
    result.exit_code = parser->app.exit(e, out, err);
    result.output = out.str() + err.str();
    if (result.exit_code != 0) result.exit_code = 2;
    return result;
  }
  parser->Finish();
  result.command_line = std::move(parser->cl);
  return result;
}

std::string VersionText(const std::string& executable_path) {
  return std::string("spacetimedb tool version ") + kCliVersion + " (" + kCliImplementation + ")\nPath: " +
         executable_path + "\n";
}

int RunCommandLine(const CommandLine& cl, CommandContext& ctx) {
  Status status = OkStatus();
  if (cl.command == "version") {
    *ctx.out << VersionText(ctx.executable_path);
    return 0;
  }
  if (cl.command == "start") return RunServer(cl.start);

  std::optional<CliConfig> loaded;
  if (!ctx.config) {
    std::string path = cl.config_path.empty() ? CliConfig::DefaultPath() : cl.config_path;
    auto config = CliConfig::Load(path);
    if (!config.ok()) {
      *ctx.err << "Error: " << config.error().message() << "\n";
      return 1;
    }
    loaded = std::move(*config);
    ctx.config = &*loaded;
  }
  const std::string& c = cl.command;
  if (c == "publish") {
    status = RunPublish(cl.publish, ctx);
  } else if (c == "delete") {
    status = RunDelete(cl.delete_, ctx);
  } else if (c == "list") {
    status = RunList(cl.list, ctx);
  } else if (c == "logs") {
    status = RunLogs(cl.logs, ctx);
  } else if (c == "call") {
    status = RunCall(cl.call, ctx);
  } else if (c == "sql") {
    status = RunSql(cl.sql, ctx);
  } else if (c == "subscribe") {
    status = RunSubscribe(cl.subscribe, ctx);
  } else if (c == "describe") {
    status = RunDescribe(cl.describe, ctx);
  } else if (c == "rename") {
    status = RunRename(cl.rename, ctx);
  } else if (c == "build") {
    status = RunBuild(cl.build, ctx);
  } else if (c == "init") {
    status = RunInit(cl.init, ctx);
  } else if (c == "generate") {
    status = RunGenerate(cl.generate, ctx);
  } else if (c == "extract-schema") {
    status = RunExtractSchema(cl.extract_schema, ctx);
  } else if (c.rfind("server ", 0) == 0) {
    status = RunServerCommand(cl.server, ctx);
  } else if (c == "login" || c == "login show") {
    status = RunLogin(cl.login, ctx);
  } else if (c == "logout") {
    status = RunLogout(ctx);
  } else {
    status = Error(ErrorCode::kInvalidArgument, "unknown command '" + c + "'; see `spacetime --help`");
  }
  ctx.out->flush();
  if (loaded) ctx.config = nullptr;
  if (!status.ok()) {
    *ctx.err << "Error: " << status.error().message() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace stdb::cli
