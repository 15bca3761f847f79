// The commands against a fake SpacetimeDB server (a real socket server answering canned responses): the HTTP
// routes and bodies each command sends, what it prints, and the message of every error path.
#include <gtest/gtest.h>

#include "cli/command_line.h"
#include "cli/fake_server_test_util.h"
#include "host/module_def_json.h"
#include "cli/subscription_messages.h"
#include "cli/test_util.h"
#include "host/module_def_builder.h"
#include "sats/bsatn.h"
#include "sats/special_types.h"

namespace stdb::cli {
namespace {

using host::testing::T;
using host::testing::V10Builder;
using testing::FakeRequest;
using testing::FakeResponse;
using testing::FakeServer;
using testing::JsonResponse;
using testing::TestContext;
using testing::TextResponse;

const std::string kDb = "c200aaaa00000000000000000000000000000000000000000000000000000001";
const std::string kMe = "c20035600353a2e93544d898c6ed0eac323e200c0468300f22958f8b472a265d";

std::string Token() { return testing::FakeToken(R"({"hex_identity":")" + kMe + R"(","sub":"alice","iss":"localhost","iat":1})"); }

// The chat module's schema as GET /schema?version=10 returns it.
std::string ChatSchemaJson() {
  V10Builder b;
  uint32_t user = b.AddType(
      sats::NamedProduct({{"identity", T::Identity()}, {"name", T::Option(T::String())}, {"online", T::Bool()}}), "User");
  uint32_t message = b.AddType(sats::NamedProduct({{"sender", T::Identity()}, {"text", T::String()}}), "Message");
  auto& t = b.AddTable("user", user);
  t.primary_key = {0};
  t.indexes.push_back({"user_identity_idx_btree", "identity", host::RawIndexAlgorithm::BTree({0})});
  t.constraints.push_back({std::nullopt, {0}});
  b.AddTable("message", message);
  b.AddReducer("set_name", sats::ProductType({{std::string("name"), T::String()}}));
  b.AddReducer("send_message", sats::ProductType({{std::string("text"), T::String()}}));
  b.AddReducer("add_points", sats::ProductType({{std::string("points"), T::U32()}}));
  std::string wrapped = host::WriteRawModuleDefJson(host::RawModuleDef(std::in_place_index<1>, b.Build()));
  return wrapped.substr(7, wrapped.size() - 8);  // strip {"V10": ... }
}

bool StartsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// A server that knows one database, "chat", and answers the common routes; `extra` handles the rest.
FakeServer::Handler ChatServer(std::function<std::optional<FakeResponse>(const FakeRequest&)> extra) {
  return [extra](const FakeRequest& r) -> FakeResponse {
    if (auto response = extra(r)) return *response;
    if (r.method == "POST" && r.target == "/v1/identity")
      return JsonResponse(R"({"identity":")" + kMe + R"(","token":")" + Token() + "\"}");
    if (r.target == "/v1/database/chat/identity") return TextResponse(200, kDb);
    if (StartsWith(r.target, "/v1/database/") && r.target.find("/identity") != std::string::npos)
      return TextResponse(404, "`" + r.target.substr(13, r.target.find("/identity") - 13) + "` not found");
    if (r.target == "/v1/database/" + kDb + "/schema?version=10") return JsonResponse(ChatSchemaJson());
    return TextResponse(404, "no route " + r.method + " " + r.target);
  };
}

int RunCli(TestContext& t, std::vector<std::string> args) {
  ParseResult parsed = ParseCommandLine(args);
  EXPECT_TRUE(parsed.command_line) << parsed.output;
  if (!parsed.command_line) return -1;
  return RunCommandLine(*parsed.command_line, t.ctx);
}

TEST(CommandsTest, ServerDownSaysToStartIt) {
  unsigned short port = testing::UnusedPort();
  TestContext t("http://127.0.0.1:" + std::to_string(port));
  t.config.SetToken(Token());
  EXPECT_EQ(RunCli(t, {"sql", "chat", "SELECT * FROM user"}), 1);
  EXPECT_EQ(t.err.str(), "Error: could not connect to http://127.0.0.1:" + std::to_string(port) +
                             ": connection refused — is `spacetime start` running?\n");
}

TEST(CommandsTest, MissingTokenIsObtainedFromTheServerAndSaved) {
  FakeServer server(ChatServer([](const FakeRequest& r) -> std::optional<FakeResponse> {
    if (r.method == "POST" && r.target == "/v1/database/" + kDb + "/sql")
      return JsonResponse(R"([{"schema":{"elements":[{"name":{"some":"n"},"algebraic_type":{"U32":[]}}]},"rows":[[7]],"total_duration_micros":5,"stats":{"rows_inserted":0,"rows_deleted":0,"rows_updated":0}}])");
    return std::nullopt;
  }));
  TestContext t(server.url());
  ASSERT_EQ(RunCli(t, {"sql", "chat", "SELECT", "COUNT(*)", "AS", "n", "FROM", "user"}), 0) << t.err.str();
  EXPECT_EQ(t.out.str(), " n \n---\n 7 \n");
  EXPECT_NE(t.err.str().find("Logged in with identity " + kMe), std::string::npos);
  EXPECT_EQ(t.config.token(), Token());
  auto saved = CliConfig::Load(t.config.path());
  ASSERT_TRUE(saved.ok());
  EXPECT_EQ(saved->token(), Token());
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].target, "/v1/identity");
  EXPECT_EQ(requests[2].body, "SELECT COUNT(*) AS n FROM user");
  EXPECT_EQ(requests[2].headers["authorization"], "Bearer " + Token());
}

TEST(CommandsTest, UnknownDatabase) {
  FakeServer server(ChatServer([](const FakeRequest&) { return std::nullopt; }));
  TestContext t(server.url());
  t.config.SetToken(Token());
  EXPECT_EQ(RunCli(t, {"sql", "nope", "SELECT 1"}), 1);
  EXPECT_EQ(t.err.str(), "Error: database `nope` not found on " + server.url() +
                             " — check the name with `spacetime list`, or publish it with `spacetime publish nope`\n");
}

TEST(CommandsTest, SqlErrorsCarryTheServersText) {
  FakeServer server(ChatServer([](const FakeRequest& r) -> std::optional<FakeResponse> {
    if (r.target.find("/sql") != std::string::npos) return TextResponse(400, "`nope` is not a valid table\n");
    return std::nullopt;
  }));
  TestContext t(server.url());
  t.config.SetToken(Token());
  EXPECT_EQ(RunCli(t, {"sql", "chat", "SELECT * FROM nope", "--confirmed", "true"}), 1);
  EXPECT_EQ(t.err.str(), "Error: SQL error: `nope` is not a valid table\n");
  EXPECT_EQ(server.requests().back().target, "/v1/database/" + kDb + "/sql?confirmed=true");
}

TEST(CommandsTest, SqlJsonFormatAndInteractiveMode) {
  const std::string body =
      R"([{"schema":{"elements":[{"name":{"some":"a"},"algebraic_type":{"I32":[]}}]},"rows":[[1]],"total_duration_micros":1000,"stats":{"rows_inserted":0,"rows_deleted":0,"rows_updated":0}}])";
  FakeServer server(ChatServer([&](const FakeRequest& r) -> std::optional<FakeResponse> {
    if (r.target.find("/sql") != std::string::npos) {
      if (r.body == "bad") return TextResponse(400, "parse error");
      return JsonResponse(body);
    }
    return std::nullopt;
  }));
  TestContext t(server.url());
  t.config.SetToken(Token());
  ASSERT_EQ(RunCli(t, {"sql", "chat", "SELECT a FROM t", "--format", "json"}), 0) << t.err.str();
  EXPECT_EQ(t.out.str(), body + "\n");

  TestContext repl(server.url(), "SELECT a FROM t\nbad\n.exit\n");
  repl.config.SetToken(Token());
  ASSERT_EQ(RunCli(repl, {"sql", "chat", "--interactive"}), 0) << repl.err.str();
  std::string out = repl.out.str();
  EXPECT_NE(out.find("🪐chat>"), std::string::npos);
  EXPECT_NE(out.find(" a \n---\n 1 \n(1 row) [server: 1.00ms]\nRoundtrip time: "), std::string::npos) << out;
  EXPECT_EQ(repl.err.str(), "SQL error: parse error\n");
}

TEST(CommandsTest, CallChecksArgumentsAgainstTheSchema) {
  FakeServer server(ChatServer([](const FakeRequest& r) -> std::optional<FakeResponse> {
    if (r.target == "/v1/database/" + kDb + "/call/set_name") return TextResponse(200, "");
    if (r.target == "/v1/database/" + kDb + "/call/send_message") return TextResponse(530, "empty messages are not allowed");
    if (r.target == "/v1/database/" + kDb + "/call/add_points")
      return TextResponse(403, "c200 is not authorized to perform action on database chat: call");
    return std::nullopt;
  }));
  TestContext t(server.url());
  t.config.SetToken(Token());
  ASSERT_EQ(RunCli(t, {"call", "chat", "set_name", "Alice"}), 0) << t.err.str();
  FakeRequest call = server.requests().back();
  EXPECT_EQ(call.method, "POST");
  EXPECT_EQ(call.body, "[\"Alice\"]");
  EXPECT_EQ(call.headers["content-type"], "application/json");
  EXPECT_EQ(t.out.str(), "");

  size_t before = server.requests().size();
  EXPECT_EQ(RunCli(t, {"call", "chat", "add_points", "lots"}), 1);
  EXPECT_NE(t.err.str().find("Error: argument 1 (points: U32) of reducer `add_points` is not valid: 'lots'"),
            std::string::npos)
      << t.err.str();
  EXPECT_EQ(server.requests().size(), before + 2);  // identity and schema lookups, no call

  t.err.str("");
  EXPECT_EQ(RunCli(t, {"call", "chat", "set_name", "a", "b"}), 1);
  EXPECT_NE(t.err.str().find("takes 1 argument but 2 were given; its signature is set_name(name: String)"),
            std::string::npos)
      << t.err.str();

  t.err.str("");
  EXPECT_EQ(RunCli(t, {"call", "chat", "send_message", "\"\""}), 1);
  EXPECT_EQ(t.err.str(), "Error: the reducer `send_message` failed: empty messages are not allowed\n");

  t.err.str("");
  EXPECT_EQ(RunCli(t, {"call", "chat", "add_points", "5"}), 1);
  EXPECT_NE(t.err.str().find("403 Forbidden: c200 is not authorized"), std::string::npos) << t.err.str();
  EXPECT_NE(t.err.str().find("only the database's owner may do this"), std::string::npos);

  t.err.str("");
  EXPECT_EQ(RunCli(t, {"call", "chat", "send_mesage", "\"hi\""}), 1);
  EXPECT_NE(t.err.str().find("No such reducer OR procedure `send_mesage` for database `chat` resolving to identity `" +
                             kDb + "`."),
            std::string::npos);
  EXPECT_NE(t.err.str().find("A reducer with a similar name exists: `send_message`"), std::string::npos);
}

TEST(CommandsTest, CallPassesArgumentsThroughWithoutSchema) {
  FakeServer server(ChatServer([](const FakeRequest& r) -> std::optional<FakeResponse> {
    if (r.target.find("/schema") != std::string::npos) return TextResponse(400, "version not supported");
    if (r.target.find("/call/") != std::string::npos) return TextResponse(200, "");
    return std::nullopt;
  }));
  TestContext t(server.url());
  t.config.SetToken(Token());
  ASSERT_EQ(RunCli(t, {"call", "chat", "anything", "[1,2]", "{\"a\":true}"}), 0) << t.err.str();
  EXPECT_EQ(server.requests().back().body, "[[1,2], {\"a\":true}]");
  EXPECT_NE(t.err.str().find("sending the arguments unchecked"), std::string::npos);
  t.err.str("");
  EXPECT_EQ(RunCli(t, {"call", "chat", "anything", "not json"}), 1);
  EXPECT_NE(t.err.str().find("argument 1 'not json' is not valid JSON"), std::string::npos);
}

TEST(CommandsTest, LogsStreamAndFilter) {
  FakeServer server(ChatServer([](const FakeRequest& r) -> std::optional<FakeResponse> {
    if (StartsWith(r.target, "/v1/database/" + kDb + "/logs")) {
      FakeResponse response;
      response.content_type = "application/x-ndjson";
      response.chunks = {R"({"level":"Info","ts":0,"message":"one"})" "\n" R"({"level":"Error",)",
                         R"("ts":0,"function":"f","message":"two"})" "\n"};
      return response;
    }
    return std::nullopt;
  }));
  TestContext t(server.url());
  t.config.SetToken(Token());
  ASSERT_EQ(RunCli(t, {"logs", "chat"}), 0) << t.err.str();
  EXPECT_EQ(t.out.str(), "1970-01-01T00:00:00Z  INFO: one\n1970-01-01T00:00:00Z ERROR: f: two\n");
  EXPECT_EQ(server.requests().back().target, "/v1/database/" + kDb + "/logs?follow=false");
  t.out.str("");
  ASSERT_EQ(RunCli(t, {"logs", "chat", "-f", "--level", "error", "--format", "json"}), 0) << t.err.str();
  EXPECT_EQ(t.out.str(), R"({"level":"Error","ts":0,"function":"f","message":"two"})" "\n");
  EXPECT_EQ(server.requests().back().target, "/v1/database/" + kDb + "/logs?num_lines=10&follow=true");
}

TEST(CommandsTest, LogsOfSomeoneElsesDatabase) {
  FakeServer server(ChatServer([](const FakeRequest& r) -> std::optional<FakeResponse> {
    if (r.target.find("/logs") != std::string::npos)
      return TextResponse(403, "c200 is not authorized to perform action on database chat: view logs");
    return std::nullopt;
  }));
  TestContext t(server.url());
  t.config.SetToken(Token());
  EXPECT_EQ(RunCli(t, {"logs", "chat", "-n", "5"}), 1);
  EXPECT_EQ(t.err.str(),
            "Error: reading the logs of database `chat` failed: 403 Forbidden: c200 is not authorized to perform action "
            "on database chat: view logs — only the database's owner may do this; see who you are logged in as with "
            "`spacetime login show`\n");
}

TEST(CommandsTest, DeleteAsksFirst) {
  FakeServer server(ChatServer([](const FakeRequest& r) -> std::optional<FakeResponse> {
    if (r.method == "DELETE") return TextResponse(200, "");
    return std::nullopt;
  }));
  TestContext no(server.url(), "n\n");
  no.config.SetToken(Token());
  ASSERT_EQ(RunCli(no, {"delete", "chat"}), 0);
  EXPECT_NE(no.out.str().find("Are you sure you want to delete database chat (" + kDb +
                              ")? This action cannot be undone. [y/N]"),
            std::string::npos);
  EXPECT_NE(no.out.str().find("Aborting"), std::string::npos);
  EXPECT_NE(server.requests().back().method, "DELETE");
  TestContext yes(server.url());
  yes.config.SetToken(Token());
  ASSERT_EQ(RunCli(yes, {"delete", "chat", "--yes"}), 0) << yes.err.str();
  EXPECT_EQ(server.requests().back().method, "DELETE");
  EXPECT_EQ(server.requests().back().target, "/v1/database/" + kDb);
}

TEST(CommandsTest, ListShowsNamesAndIdentities) {
  FakeServer server(ChatServer([](const FakeRequest& r) -> std::optional<FakeResponse> {
    if (r.target == "/v1/identity/" + kMe + "/databases") return JsonResponse(R"({"identities":[")" + kDb + "\"]}");
    if (r.target == "/v1/database/" + kDb + "/names") return JsonResponse(R"({"names":["chat","chat-2"]})");
    return std::nullopt;
  }));
  TestContext t(server.url());
  t.config.SetToken(Token());
  ASSERT_EQ(RunCli(t, {"list"}), 0) << t.err.str();
  EXPECT_EQ(t.out.str(), "Associated databases for user " + kMe + ":\n\n Database Name(s) | Identity" +
                             std::string(56, ' ') + " \n------------------+" + std::string(66, '-') +
                             "\n chat, chat-2     | " + kDb + " \n");
}

TEST(CommandsTest, PublishPrebuiltModule) {
  bool exists = false;
  FakeServer server(ChatServer([&](const FakeRequest& r) -> std::optional<FakeResponse> {
    if (r.target.find("/pre_publish") != std::string::npos) {
      if (!exists) return TextResponse(404, "");
      return JsonResponse(R"({"AutoMigrate":{"migrate_plan":"- add table `t`","break_clients":true,"token":"0xab","major_version_upgrade":false}})");
    }
    if (r.method == "PUT" && StartsWith(r.target, "/v1/database/chat"))
      return JsonResponse(R"({"Success":{"domain":"chat","database_identity":")" + kDb + R"(","op":")" +
                          (exists ? "updated" : "created") + "\"}}");
    return std::nullopt;
  }));
  TestContext t(server.url());
  t.config.SetToken(Token());
  testing::WriteTextFile(t.dir / "lib.wasm", std::string("\0asm\x01\0\0\0", 8));
  ASSERT_EQ(RunCli(t, {"publish", "chat", "-b", t.dir / "lib.wasm"}), 0) << t.err.str();
  EXPECT_NE(t.out.str().find("Uploading to test => " + server.url()), std::string::npos) << t.out.str();
  EXPECT_NE(t.out.str().find("Created new database with name: chat, identity: " + kDb), std::string::npos);
  FakeRequest put = server.requests().back();
  EXPECT_EQ(put.method, "PUT");
  EXPECT_EQ(put.target, "/v1/database/chat?host_type=Wasm");
  EXPECT_EQ(put.body, std::string("\0asm\x01\0\0\0", 8));

  exists = true;
  TestContext refuse(server.url(), "n\n");
  refuse.config.SetToken(Token());
  EXPECT_EQ(RunCli(refuse, {"publish", "chat", "-b", t.dir / "lib.wasm"}), 1);
  EXPECT_NE(refuse.out.str().find("- add table `t`"), std::string::npos);
  EXPECT_NE(refuse.out.str().find("The above changes will BREAK existing clients. Do you want to proceed? [y/N]"),
            std::string::npos);
  EXPECT_EQ(refuse.err.str(), "Error: Publishing aborted by user\n");

  TestContext accept(server.url());
  accept.config.SetToken(Token());
  ASSERT_EQ(RunCli(accept, {"publish", "chat", "-b", t.dir / "lib.wasm", "--break-clients"}), 0) << accept.err.str();
  EXPECT_EQ(server.requests().back().target, "/v1/database/chat?host_type=Wasm&token=0xab&policy=BreakClients");
  EXPECT_NE(accept.out.str().find("Updated database with name: chat"), std::string::npos);

  TestContext clear(server.url());
  clear.config.SetToken(Token());
  ASSERT_EQ(RunCli(clear, {"publish", "chat", "-b", t.dir / "lib.wasm", "--delete-data", "-y"}), 0) << clear.err.str();
  EXPECT_EQ(server.requests().back().target, "/v1/database/chat?host_type=Wasm&clear=true");
  EXPECT_NE(clear.out.str().find("This will DESTROY the current chat module, and ALL corresponding data."),
            std::string::npos);
}

TEST(CommandsTest, PublishErrors) {
  FakeServer server(ChatServer([&](const FakeRequest& r) -> std::optional<FakeResponse> {
    if (r.target.find("/pre_publish") != std::string::npos)
      return JsonResponse(R"({"ManualMigrate":{"reason":"Changing a column's type requires a manual migration","major_version_upgrade":false}})");
    if (r.method == "PUT") return JsonResponse(R"({"PermissionDenied":{"name":"chat"}})", 401);
    if (r.method == "POST" && r.target == "/v1/database?host_type=Wasm")
      return TextResponse(400, "Error while initializing module: no __describe_module__ export");
    return std::nullopt;
  }));
  TestContext t(server.url());
  t.config.SetToken(Token());
  testing::WriteTextFile(t.dir / "lib.wasm", "wasm");
  EXPECT_EQ(RunCli(t, {"publish", "chat", "-b", t.dir / "lib.wasm"}), 1);
  EXPECT_NE(t.out.str().find("Changing a column's type requires a manual migration"), std::string::npos);
  EXPECT_NE(t.err.str().find("--delete-data was not specified; publish with --delete-data=on-conflict"),
            std::string::npos);

  t.err.str("");
  EXPECT_EQ(RunCli(t, {"publish", "chat", "-b", t.dir / "lib.wasm", "--delete-data=on-conflict", "-y"}), 1);
  EXPECT_NE(t.err.str().find("The database chat is not registered to the identity you provided."), std::string::npos);
  EXPECT_NE(t.err.str().find("spacetime publish " + kMe.substr(0, 12)), std::string::npos) << t.err.str();

  t.err.str("");
  EXPECT_EQ(RunCli(t, {"publish", "-b", t.dir / "lib.wasm"}), 1);
  EXPECT_EQ(t.err.str(), "Error: publishing the module failed: 400 Bad Request: Error while initializing module: no "
                         "__describe_module__ export — correct what the server's message points out and try again\n");

  t.err.str("");
  EXPECT_EQ(RunCli(t, {"publish", "Bad_Name", "-b", t.dir / "lib.wasm"}), 1);
  EXPECT_NE(t.err.str().find("'Bad_Name' is not a valid database name"), std::string::npos);

  t.err.str("");
  EXPECT_EQ(RunCli(t, {"publish", "chat", "-b", t.dir / "missing.wasm"}), 1);
  EXPECT_NE(t.err.str().find("cannot open " + (t.dir / "missing.wasm")), std::string::npos);
}

TEST(CommandsTest, DescribeJson) {
  FakeServer server(ChatServer([](const FakeRequest&) { return std::nullopt; }));
  TestContext t(server.url());
  t.config.SetToken(Token());
  EXPECT_EQ(RunCli(t, {"describe", "chat"}), 1);
  EXPECT_NE(t.err.str().find("add --json"), std::string::npos);
  ASSERT_EQ(RunCli(t, {"describe", "--json", "chat"}), 0) << t.err.str();
  EXPECT_EQ(t.out.str().rfind("{\n  \"sections\": [\n    {\n      \"Typespace\": {", 0), 0u) << t.out.str();
  t.out.str("");
  ASSERT_EQ(RunCli(t, {"describe", "--json", "chat", "--table", "user"}), 0) << t.err.str();
  EXPECT_EQ(t.out.str().rfind("{\n  \"source_name\": \"user\",\n  \"product_type_ref\": 0,", 0), 0u) << t.out.str();
  t.out.str("");
  ASSERT_EQ(RunCli(t, {"describe", "--json", "chat", "reducer", "set_name"}), 0) << t.err.str();
  EXPECT_EQ(t.out.str().rfind("{\n  \"source_name\": \"set_name\",", 0), 0u) << t.out.str();
  EXPECT_EQ(RunCli(t, {"describe", "--json", "chat", "--table", "nope"}), 1);
  EXPECT_NE(t.err.str().find("no such table `nope` in database `chat`; its tables are: user, message"),
            std::string::npos)
      << t.err.str();
}

TEST(CommandsTest, Rename) {
  FakeServer server(ChatServer([](const FakeRequest& r) -> std::optional<FakeResponse> {
    if (r.method == "PUT" && r.target.find("/names") != std::string::npos) {
      if (r.body == "[\"taken\"]") return JsonResponse(R"({"NotYourDatabase":{"database":"c200"}})", 401);
      return JsonResponse("\"Success\"");
    }
    return std::nullopt;
  }));
  TestContext t(server.url());
  t.config.SetToken(Token());
  ASSERT_EQ(RunCli(t, {"rename", "--to", "chat-room", kDb}), 0) << t.err.str();
  EXPECT_EQ(t.out.str(), "Name set to chat-room for identity " + kDb + ".\n");
  EXPECT_EQ(server.requests().back().body, "[\"chat-room\"]");
  EXPECT_EQ(server.requests().back().headers["content-type"], "application/json");
  EXPECT_EQ(RunCli(t, {"rename", "--to", "taken", "chat"}), 1);
  EXPECT_NE(t.err.str().find("You cannot rename " + kDb + " because it is owned by another identity"),
            std::string::npos);
}

TEST(CommandsTest, LoginShowLogout) {
  FakeServer server(ChatServer([](const FakeRequest&) { return std::nullopt; }));
  TestContext t(server.url());
  ASSERT_EQ(RunCli(t, {"login", "show"}), 0);
  EXPECT_NE(t.out.str().find("You are not logged in."), std::string::npos);
  t.out.str("");
  ASSERT_EQ(RunCli(t, {"login", "--server-issued-login", "test"}), 0) << t.err.str();
  EXPECT_EQ(t.out.str(), "We have logged in directly to your target server.\nWARNING: This login will NOT work for any "
                         "other servers.\nLogged in with identity " + kMe + "\n");
  t.out.str("");
  ASSERT_EQ(RunCli(t, {"login", "show", "--token"}), 0);
  EXPECT_EQ(t.out.str(), "You are logged in as " + kMe + "\nYour auth token (don't share this!) is " + Token() + "\n");
  t.out.str("");
  ASSERT_EQ(RunCli(t, {"logout"}), 0);
  EXPECT_EQ(t.out.str(), "Logged out (identity " + kMe + ").\n");
  EXPECT_FALSE(CliConfig::Load(t.config.path())->token());
  EXPECT_EQ(RunCli(t, {"login"}), 1);
  EXPECT_NE(t.err.str().find("spacetime login --server-issued-login <server>"), std::string::npos);
}

TEST(CommandsTest, ServerAddPingAndList) {
  FakeServer server([](const FakeRequest& r) {
    if (r.target == "/v1/identity/public-key") return TextResponse(200, "-----BEGIN PUBLIC KEY-----");
    if (r.target == "/v1/ping") return TextResponse(200, "");
    return TextResponse(404, "");
  });
  TestContext t;
  ASSERT_EQ(RunCli(t, {"server", "add", "fake", "--url", server.url(), "--default"}), 0) << t.err.str();
  EXPECT_NE(t.out.str().find("got fingerprint:\n-----BEGIN PUBLIC KEY-----"), std::string::npos);
  EXPECT_EQ(t.config.servers().back().ecdsa_public_key, "-----BEGIN PUBLIC KEY-----");
  EXPECT_EQ(t.config.default_server(), "fake");
  t.out.str("");
  ASSERT_EQ(RunCli(t, {"server", "ping", "fake"}), 0);
  EXPECT_EQ(t.out.str(), "Server is online: " + server.url() + "\n");
  t.out.str("");
  ASSERT_EQ(RunCli(t, {"server", "list"}), 0);
  EXPECT_NE(t.out.str().find("     ***  127.0.0.1:"), std::string::npos) << t.out.str();
  unsigned short port = testing::UnusedPort();
  EXPECT_EQ(RunCli(t, {"server", "add", "down", "--url", "http://127.0.0.1:" + std::to_string(port)}), 1);
  EXPECT_NE(t.err.str().find("Unable to retrieve fingerprint for server"), std::string::npos);
  EXPECT_NE(t.err.str().find("--no-fingerprint"), std::string::npos);
}

// A v3 SubscribeApplied / TransactionUpdate payload for table "user" (identity, name: Option<String>, online).
std::string UserRowsPayload(uint8_t tag, const std::string& name) {
  sats::Bytes row = sats::bsatn::EncodeValue(sats::AlgebraicValue::Product(
      {sats::Identity().ToValue(), sats::AlgebraicValue::OptionSome(sats::AlgebraicValue::String(name)),
       sats::AlgebraicValue::Bool(true)}));
  sats::Bytes bytes;
  sats::bsatn::Writer w(bytes);
  w.U8(0);
  w.U8(tag);
  auto row_list = [&] {
    w.U8(0);
    w.U16(static_cast<uint16_t>(row.size()));
    w.ByteArray(row);
  };
  if (tag == 1) {
    w.U32(0);
    w.U32(0);
    w.U32(1);
    w.String("user");
    row_list();
  } else {
    w.U32(1);
    w.U32(0);
    w.U32(1);
    w.String("user");
    w.U32(1);
    w.U8(0);
    row_list();      // inserts
    w.U8(1);         // deletes: empty RowOffsets
    w.U32(0);
    w.U32(0);
  }
  return std::string(bytes.begin(), bytes.end());
}

TEST(CommandsTest, SubscribeOverV3) {
  FakeServer server(ChatServer([](const FakeRequest& r) -> std::optional<FakeResponse> {
    if (r.target.find("/subscribe") != std::string::npos) {
      FakeResponse response;
      response.websocket_protocol = "v3.bsatn.spacetimedb";
      response.websocket_messages = {UserRowsPayload(1, "alice"), UserRowsPayload(4, "bob"), UserRowsPayload(4, "carol")};
      return response;
    }
    return std::nullopt;
  }));
  TestContext t(server.url());
  t.config.SetToken(Token());
  ASSERT_EQ(RunCli(t, {"subscribe", "chat", "SELECT * FROM user", "-n", "2", "--print-initial-update"}), 0) << t.err.str();
  const std::string id = R"({"__identity__":"0x0"})";
  EXPECT_EQ(t.out.str(), R"({"user":{"deletes":[],"inserts":[{"identity":)" + id +
                             R"(,"name":{"some":"alice"},"online":true}]}})" "\n" R"({"user":{"deletes":[],"inserts":[{"identity":)" + id +
                             R"(,"name":{"some":"bob"},"online":true}]}})" "\n" R"({"user":{"deletes":[],"inserts":[{"identity":)" + id +
                             R"(,"name":{"some":"carol"},"online":true}]}})" "\n");
  FakeRequest upgrade = server.requests().back();
  EXPECT_EQ(upgrade.target, "/v1/database/" + kDb + "/subscribe?compression=None");
  EXPECT_EQ(upgrade.headers["sec-websocket-protocol"], "v3.bsatn.spacetimedb");
  EXPECT_EQ(upgrade.headers["authorization"], "Bearer " + Token());
  ASSERT_EQ(upgrade.websocket_messages.size(), 1u);
  EXPECT_EQ(upgrade.websocket_messages[0], EncodeV2Subscribe(0, 0, {"SELECT * FROM user"}));
}

TEST(CommandsTest, SubscribeFallsBackToV1Json) {
  FakeServer server(ChatServer([](const FakeRequest& r) -> std::optional<FakeResponse> {
    if (r.target.find("/subscribe") == std::string::npos) return std::nullopt;
    if (r.headers.at("sec-websocket-protocol") != "v1.json.spacetimedb")
      return TextResponse(400, "no valid protocol selected");
    FakeResponse response;
    response.websocket_protocol = "v1.json.spacetimedb";
    response.websocket_text = true;
    response.websocket_messages = {
        R"({"IdentityToken":{"identity":{"__identity__":"0x1"},"token":"t","connection_id":{"__connection_id__":1}}})",
        R"({"InitialSubscription":{"database_update":{"tables":[]},"request_id":0,"total_host_execution_duration":{"__time_duration_micros__":1}}})",
        R"({"TransactionUpdateLight":{"request_id":0,"update":{"tables":[{"table_id":4097,"table_name":"message","num_rows":1,"updates":[{"deletes":[],"inserts":["{\"sender\":{\"__identity__\":\"0x2\"},\"text\":\"hi\"}"]}]}]}}})"};
    return response;
  }));
  TestContext t(server.url());
  t.config.SetToken(Token());
  ASSERT_EQ(RunCli(t, {"subscribe", "chat", "SELECT * FROM message", "-n", "1"}), 0) << t.err.str();
  EXPECT_EQ(t.out.str(), R"({"message":{"deletes":[],"inserts":[{"sender":{"__identity__":"0x2"},"text":"hi"}]}})" "\n");
  auto requests = server.requests();
  FakeRequest v1 = requests.back();
  EXPECT_EQ(v1.target, "/v1/database/" + kDb + "/subscribe");
  ASSERT_EQ(v1.websocket_messages.size(), 1u);
  EXPECT_EQ(v1.websocket_messages[0], EncodeV1JsonSubscribe(0, {"SELECT * FROM message"}));
}

TEST(CommandsTest, SubscribeTimeoutsAndServerErrors) {
  FakeServer server(ChatServer([](const FakeRequest& r) -> std::optional<FakeResponse> {
    if (r.target.find("/subscribe") == std::string::npos) return std::nullopt;
    FakeResponse response;
    response.websocket_protocol = "v3.bsatn.spacetimedb";
    response.websocket_messages = {UserRowsPayload(1, "alice")};
    response.websocket_close_after = false;
    return response;
  }));
  TestContext t(server.url());
  t.config.SetToken(Token());
  EXPECT_EQ(RunCli(t, {"subscribe", "chat", "SELECT * FROM user", "-n", "5", "-t", "1"}), 1);
  EXPECT_EQ(t.err.str(), "timed out after 1s\nError: subscription timed out after 1s after receiving 0/5 updates\n");
  TestContext ok(server.url());
  ok.config.SetToken(Token());
  EXPECT_EQ(RunCli(ok, {"subscribe", "chat", "SELECT * FROM user", "-t", "1"}), 0) << ok.err.str();
  EXPECT_EQ(ok.out.str(), "");

  FakeServer failing(ChatServer([](const FakeRequest& r) -> std::optional<FakeResponse> {
    if (r.target.find("/subscribe") == std::string::npos) return std::nullopt;
    sats::Bytes bytes;
    sats::bsatn::Writer w(bytes);
    w.U8(0);
    w.U8(3);
    w.U8(0);
    w.U32(0);
    w.U32(0);
    w.String("`nope` is not a valid table");
    FakeResponse response;
    response.websocket_protocol = "v3.bsatn.spacetimedb";
    response.websocket_messages = {std::string(bytes.begin(), bytes.end())};
    return response;
  }));
  TestContext bad(failing.url());
  bad.config.SetToken(Token());
  EXPECT_EQ(RunCli(bad, {"subscribe", "chat", "SELECT * FROM nope"}), 1);
  EXPECT_NE(bad.err.str().find("encountered error in initial subscribe: `nope` is not a valid table"),
            std::string::npos)
      << bad.err.str();
}

TEST(CommandsTest, GenerateFromModuleDefJson) {
  TestContext t;
  std::string json = "{\"V10\":" + ChatSchemaJson() + "}";
  testing::WriteTextFile(t.dir / "def.json", json);
  testing::WriteTextFile(t.dir / "out/stale_table.ts", "// THIS FILE IS AUTOMATICALLY GENERATED BY SPACETIMEDB. x\n");
  testing::WriteTextFile(t.dir / "out/mine.ts", "// my own code\n");
  ASSERT_EQ(RunCli(t, {"generate", "--lang", "typescript", "-o", t.dir / "out", "--module-def", t.dir / "def.json"}), 0)
      << t.err.str();
  EXPECT_NE(t.out.str().find("Writing file " + (t.dir / "out/index.ts")), std::string::npos);
  EXPECT_NE(t.out.str().find("Removing stale generated file " + (t.dir / "out/stale_table.ts")), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(t.dir / "out/stale_table.ts"));
  EXPECT_TRUE(std::filesystem::exists(t.dir / "out/mine.ts"));
  EXPECT_TRUE(std::filesystem::exists(t.dir / "out/user_table.ts"));
  EXPECT_TRUE(std::filesystem::exists(t.dir / "out/types/reducers.ts"));
  t.out.str("");
  ASSERT_EQ(RunCli(t, {"generate", "--lang", "typescript", "-o", t.dir / "out", "--module-def", t.dir / "def.json"}), 0);
  EXPECT_EQ(t.out.str().find("Writing file"), std::string::npos);  // unchanged files are not rewritten

  EXPECT_EQ(RunCli(t, {"generate", "--lang", "rust", "-o", t.dir / "out", "--module-def", t.dir / "def.json"}), 1);
  EXPECT_NE(t.err.str().find("it generates TypeScript (--lang typescript)"), std::string::npos);
  EXPECT_EQ(RunCli(t, {"generate", "--lang", "typescript", "--module-def", t.dir / "def.json"}), 1);
  EXPECT_NE(t.err.str().find("--out-dir"), std::string::npos);
  testing::WriteTextFile(t.dir / "bad.json", "{\"V10\": 3}");
  EXPECT_EQ(RunCli(t, {"generate", "--lang", "ts", "-o", t.dir / "o2", "--module-def", t.dir / "bad.json"}), 1);
  EXPECT_NE(t.err.str().find("bad.json is not a SpacetimeDB module definition"), std::string::npos) << t.err.str();
}

}  // namespace
}  // namespace stdb::cli
