// Parsing of every `spacetime` command: names, flags, positionals and defaults as the reference CLI has them.
#include "cli/command_line.h"

#include <gtest/gtest.h>

namespace stdb::cli {
namespace {

CommandLine Parse(std::vector<std::string> args) {
  ParseResult r = ParseCommandLine(args);
  EXPECT_TRUE(r.command_line.has_value()) << r.output;
  return r.command_line ? *r.command_line : CommandLine{};
}

int ParseFailure(std::vector<std::string> args, std::string* output = nullptr) {
  ParseResult r = ParseCommandLine(args);
  EXPECT_FALSE(r.command_line.has_value());
  if (output) *output = r.output;
  return r.exit_code;
}

TEST(CommandLineTest, PublishWithEveryFlag) {
  CommandLine cl = Parse({"publish", "quickstart-chat", "-p", "mod", "--delete-data=on-conflict", "--yes=migrate,remote",
                          "--break-clients", "--anonymous", "-s", "local"});
  EXPECT_EQ(cl.command, "publish");
  EXPECT_EQ(cl.publish.database, "quickstart-chat");
  EXPECT_EQ(cl.publish.module_path, "mod");
  EXPECT_FALSE(cl.publish.bin_path);
  EXPECT_EQ(cl.publish.delete_data, "on-conflict");
  EXPECT_EQ(cl.publish.yes, (std::vector<std::string>{"migrate", "remote"}));
  EXPECT_TRUE(cl.publish.break_clients);
  EXPECT_TRUE(cl.publish.anonymous);
  EXPECT_EQ(cl.publish.server, "local");
}

TEST(CommandLineTest, PublishDefaultsAndBinPath) {
  CommandLine cl = Parse({"publish", "-b", "build/lib.wasm"});
  EXPECT_FALSE(cl.publish.database);
  EXPECT_EQ(cl.publish.bin_path, "build/lib.wasm");
  EXPECT_EQ(cl.publish.delete_data, "never");
  EXPECT_TRUE(cl.publish.yes.empty());
  EXPECT_EQ(cl.publish.server, "");
}

TEST(CommandLineTest, PublishFlagsWithoutValueTakeTheReferenceDefaults) {
  // --delete-data alone means always, --yes alone means all, and neither swallows the database name.
  CommandLine cl = Parse({"publish", "--delete-data", "--yes", "my-db"});
  EXPECT_EQ(cl.publish.delete_data, "always");
  EXPECT_EQ(cl.publish.yes, std::vector<std::string>{"all"});
  EXPECT_EQ(cl.publish.database, "my-db");
  CommandLine short_flags = Parse({"publish", "my-db", "-c", "-y"});
  EXPECT_EQ(short_flags.publish.delete_data, "always");
  EXPECT_EQ(short_flags.publish.database, "my-db");
  CommandLine alias = Parse({"publish", "--clear-database=never", "x"});
  EXPECT_EQ(alias.publish.delete_data, "never");
}

TEST(CommandLineTest, PublishRejectsUnknownDeleteDataMode) {
  std::string output;
  EXPECT_EQ(ParseFailure({"publish", "--delete-data=sometimes", "x"}, &output), 2);
  EXPECT_NE(output.find("sometimes"), std::string::npos) << output;
}

TEST(CommandLineTest, DeleteListRename) {
  CommandLine del = Parse({"delete", "chat", "-s", "http://127.0.0.1:4000", "-y"});
  EXPECT_EQ(del.command, "delete");
  EXPECT_EQ(del.delete_.database, "chat");
  EXPECT_EQ(del.delete_.server, "http://127.0.0.1:4000");
  EXPECT_TRUE(del.delete_.yes);
  EXPECT_EQ(ParseFailure({"delete"}), 2);

  CommandLine list = Parse({"list", "--server", "local"});
  EXPECT_EQ(list.command, "list");
  EXPECT_EQ(list.list.server, "local");

  CommandLine rename = Parse({"rename", "--to", "new-name", "c200abcd"});
  EXPECT_EQ(rename.command, "rename");
  EXPECT_EQ(rename.rename.new_name, "new-name");
  EXPECT_EQ(rename.rename.database, "c200abcd");
  EXPECT_EQ(ParseFailure({"rename", "c200abcd"}), 2);  // --to is required
}

TEST(CommandLineTest, Logs) {
  CommandLine cl = Parse({"logs", "chat", "-n", "50", "-f", "--level", "warn", "--level-exact", "--format", "json"});
  EXPECT_EQ(cl.command, "logs");
  EXPECT_EQ(cl.logs.database, "chat");
  EXPECT_EQ(cl.logs.num_lines, 50u);
  EXPECT_TRUE(cl.logs.follow);
  EXPECT_EQ(cl.logs.level, "warn");
  EXPECT_TRUE(cl.logs.level_exact);
  EXPECT_EQ(cl.logs.format, "json");
  CommandLine defaults = Parse({"logs", "chat"});
  EXPECT_FALSE(defaults.logs.num_lines);
  EXPECT_FALSE(defaults.logs.follow);
  EXPECT_EQ(defaults.logs.format, "text");
  EXPECT_EQ(ParseFailure({"logs", "chat", "--format", "xml"}), 2);
  EXPECT_EQ(ParseFailure({"logs", "chat", "-n", "many"}), 2);
}

TEST(CommandLineTest, CallKeepsJsonArguments) {
  CommandLine cl = Parse({"call", "chat", "send_message", "\"hello world\"", "42", "[1,2]", "{\"some\":3}"});
  EXPECT_EQ(cl.command, "call");
  EXPECT_EQ(cl.call.database, "chat");
  EXPECT_EQ(cl.call.function, "send_message");
  EXPECT_EQ(cl.call.arguments, (std::vector<std::string>{"\"hello world\"", "42", "[1,2]", "{\"some\":3}"}));
  CommandLine no_args = Parse({"call", "chat", "tick", "--anonymous"});
  EXPECT_TRUE(no_args.call.arguments.empty());
  EXPECT_TRUE(no_args.call.anonymous);
  EXPECT_EQ(ParseFailure({"call", "chat"}), 2);
}

TEST(CommandLineTest, Sql) {
  CommandLine cl = Parse({"sql", "chat", "SELECT * FROM user", "--confirmed", "false", "--format", "json"});
  EXPECT_EQ(cl.command, "sql");
  EXPECT_EQ(cl.sql.parts, (std::vector<std::string>{"chat", "SELECT * FROM user"}));
  EXPECT_EQ(cl.sql.confirmed, false);
  EXPECT_EQ(cl.sql.format, "json");
  CommandLine interactive = Parse({"sql", "chat", "--interactive"});
  EXPECT_TRUE(interactive.sql.interactive);
  EXPECT_FALSE(interactive.sql.confirmed);
  EXPECT_EQ(ParseFailure({"sql", "chat", "x", "--confirmed", "maybe"}), 2);
}

TEST(CommandLineTest, Subscribe) {
  CommandLine cl = Parse({"subscribe", "chat", "SELECT * FROM user", "SELECT * FROM message", "-n", "3", "-t", "10",
                          "--print-initial-update", "--confirmed", "true"});
  EXPECT_EQ(cl.command, "subscribe");
  EXPECT_EQ(cl.subscribe.parts.size(), 3u);
  EXPECT_EQ(cl.subscribe.num_updates, 3u);
  EXPECT_EQ(cl.subscribe.timeout_seconds, 10u);
  EXPECT_TRUE(cl.subscribe.print_initial_update);
  EXPECT_EQ(cl.subscribe.confirmed, true);
  EXPECT_EQ(ParseFailure({"subscribe"}), 2);
}

TEST(CommandLineTest, Describe) {
  CommandLine cl = Parse({"describe", "--json", "chat", "--table", "user"});
  EXPECT_EQ(cl.command, "describe");
  EXPECT_TRUE(cl.describe.json);
  EXPECT_EQ(cl.describe.parts, std::vector<std::string>{"chat"});
  EXPECT_EQ(cl.describe.table, "user");
  CommandLine positional = Parse({"describe", "chat", "reducer", "send_message", "--json"});
  EXPECT_EQ(positional.describe.parts, (std::vector<std::string>{"chat", "reducer", "send_message"}));
  CommandLine reducer = Parse({"describe", "--json", "chat", "--reducer", "set_name"});
  EXPECT_EQ(reducer.describe.reducer, "set_name");
}

TEST(CommandLineTest, BuildInitGenerateExtract) {
  CommandLine build = Parse({"build", "-p", "mod", "-d"});
  EXPECT_EQ(build.command, "build");
  EXPECT_EQ(build.build.module_path, "mod");
  EXPECT_TRUE(build.build.debug);

  CommandLine init = Parse({"init", "--lang", "cpp", "my-module"});
  EXPECT_EQ(init.command, "init");
  EXPECT_EQ(init.init.lang, "cpp");
  EXPECT_EQ(init.init.project_name, "my-module");
  CommandLine init_path = Parse({"init", "--lang=cpp", "--project-path", "/tmp/x"});
  EXPECT_EQ(init_path.init.project_path, "/tmp/x");

  CommandLine gen = Parse({"generate", "--lang", "typescript", "-o", "out", "-b", "lib.wasm", "--include-private"});
  EXPECT_EQ(gen.command, "generate");
  EXPECT_EQ(gen.generate.lang, "typescript");
  EXPECT_EQ(gen.generate.out_dir, "out");
  EXPECT_EQ(gen.generate.bin_path, "lib.wasm");
  EXPECT_TRUE(gen.generate.include_private);
  EXPECT_FALSE(gen.generate.use_module_def);
  CommandLine gen_json = Parse({"generate", "-l", "ts", "--out-dir", "out", "--module-def", "def.json"});
  EXPECT_TRUE(gen_json.generate.use_module_def);
  EXPECT_EQ(gen_json.generate.module_def_file, "def.json");
  CommandLine gen_stdin = Parse({"generate", "--lang", "typescript", "--module-def", "-o", "out"});
  EXPECT_TRUE(gen_stdin.generate.use_module_def);
  EXPECT_EQ(gen_stdin.generate.module_def_file, "");
  EXPECT_EQ(gen_stdin.generate.out_dir, "out");
  CommandLine gen_dir = Parse({"generate", "--lang", "typescript", "-o", "out", "-p", "module"});
  EXPECT_EQ(gen_dir.generate.module_path, "module");

  CommandLine extract = Parse({"extract-schema", "lib.wasm"});
  EXPECT_EQ(extract.command, "extract-schema");
  EXPECT_EQ(extract.extract_schema.wasm_file, "lib.wasm");
}

TEST(CommandLineTest, ServerSubcommands) {
  CommandLine add = Parse({"server", "add", "prod", "--url", "https://db.example.com", "-d", "--no-fingerprint"});
  EXPECT_EQ(add.command, "server add");
  EXPECT_EQ(add.server.action, "add");
  EXPECT_EQ(add.server.server, "prod");
  EXPECT_EQ(add.server.url, "https://db.example.com");
  EXPECT_TRUE(add.server.make_default);
  EXPECT_TRUE(add.server.no_fingerprint);
  EXPECT_EQ(ParseFailure({"server", "add", "prod"}), 2);  // --url is required

  EXPECT_EQ(Parse({"server", "list"}).server.action, "list");
  CommandLine set_default = Parse({"server", "set-default", "prod"});
  EXPECT_EQ(set_default.server.action, "set-default");
  EXPECT_EQ(set_default.server.server, "prod");
  CommandLine remove = Parse({"server", "remove", "prod", "-y"});
  EXPECT_EQ(remove.server.action, "remove");
  EXPECT_TRUE(remove.server.yes);
  EXPECT_EQ(Parse({"server", "ping", "local"}).server.action, "ping");
  EXPECT_EQ(Parse({"server", "fingerprint", "local"}).server.action, "fingerprint");
  EXPECT_EQ(ParseFailure({"server"}), 2);
}

TEST(CommandLineTest, LoginLogoutVersion) {
  CommandLine login = Parse({"login", "--server-issued-login", "local"});
  EXPECT_EQ(login.command, "login");
  EXPECT_EQ(login.login.server_issued_login, "local");
  EXPECT_FALSE(login.login.show);
  CommandLine token = Parse({"login", "--token", "a.b.c"});
  EXPECT_EQ(token.login.token, "a.b.c");
  CommandLine show = Parse({"login", "show", "--token"});
  EXPECT_EQ(show.command, "login show");
  EXPECT_TRUE(show.login.show);
  EXPECT_TRUE(show.login.show_token);
  EXPECT_FALSE(show.login.token);
  EXPECT_EQ(Parse({"logout"}).command, "logout");
  EXPECT_EQ(Parse({"version"}).command, "version");
}

TEST(CommandLineTest, StartFlagsAndDefaults) {
  CommandLine defaults = Parse({"start"});
  EXPECT_EQ(defaults.command, "start");
  EXPECT_EQ(defaults.start.listen_addr, "127.0.0.1:3000");
  EXPECT_EQ(defaults.start.data_dir, DefaultDataDir());
  EXPECT_EQ(defaults.start.jwt_key_dir, DefaultJwtKeyDir());
  EXPECT_FALSE(defaults.start.in_memory);
  CommandLine cl = Parse({"start", "--listen-addr", "0.0.0.0:4000", "--data-dir", "/data", "--in-memory",
                          "--jwt-key-dir", "/keys"});
  EXPECT_EQ(cl.start.listen_addr, "0.0.0.0:4000");
  EXPECT_EQ(cl.start.data_dir, "/data");
  EXPECT_TRUE(cl.start.in_memory);
  EXPECT_EQ(cl.start.jwt_key_dir, "/keys");
}

TEST(CommandLineTest, DefaultDataAndKeyDirectoriesFollowXdg) {
  std::string old_data = getenv("XDG_DATA_HOME") ? getenv("XDG_DATA_HOME") : "";
  std::string old_config = getenv("XDG_CONFIG_HOME") ? getenv("XDG_CONFIG_HOME") : "";
  setenv("XDG_DATA_HOME", "/xdg/data", 1);
  setenv("XDG_CONFIG_HOME", "/xdg/config", 1);
  EXPECT_EQ(DefaultDataDir(), "/xdg/data/spacetime/data");
  EXPECT_EQ(DefaultJwtKeyDir(), "/xdg/config/spacetime");
  unsetenv("XDG_DATA_HOME");
  unsetenv("XDG_CONFIG_HOME");
  setenv("HOME", getenv("HOME") ? getenv("HOME") : "/root", 1);
  EXPECT_EQ(DefaultDataDir(), std::string(getenv("HOME")) + "/.local/share/spacetime/data");
  if (!old_data.empty()) setenv("XDG_DATA_HOME", old_data.c_str(), 1);
  if (!old_config.empty()) setenv("XDG_CONFIG_HOME", old_config.c_str(), 1);
}

TEST(CommandLineTest, GlobalConfigPathAndHelp) {
  CommandLine cl = Parse({"--config-path", "/tmp/cli.json", "list"});
  EXPECT_EQ(cl.config_path, "/tmp/cli.json");
  std::string output;
  ParseResult help = ParseCommandLine({"--help"});
  EXPECT_FALSE(help.command_line);
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.output.find("publish"), std::string::npos);
  EXPECT_EQ(ParseFailure({"frobnicate"}, &output), 2);
  EXPECT_EQ(ParseFailure({}, &output), 2);
}

TEST(CommandLineTest, VersionTextNamesTheVersion) {
  EXPECT_NE(VersionText("/usr/bin/spacetime").find("spacetimedb tool version 2.8.3"), std::string::npos);
  EXPECT_NE(VersionText("/usr/bin/spacetime").find("Path: /usr/bin/spacetime"), std::string::npos);
}

}  // namespace
}  // namespace stdb::cli
