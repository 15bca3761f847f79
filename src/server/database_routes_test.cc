// The /v1/database routes of a running server (spec/client-protocol.md §9.4): publish (create, update, clear,
// refused migrations, owner checks), get, delete, names and rename, identity, call (content type, argument and
// lifecycle rules, 530, 403 from client_connected), sql (result shape, errors, private tables), logs (num_lines,
// follow), unstable/timestamp and route. Status codes and bodies are checked against the spec.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "auth/jwt.h"
#include "sats/special_types.h"
#include "server/testing/server_test.h"

namespace stdb::server {
namespace {

namespace v2 = protocol::v2;
using testing::ClientResponse;
using testing::ExampleModule;
using testing::JsonContent;
using testing::NameArg;
using testing::ParseJson;
using testing::PersonModule;
using testing::TestHttpClient;
using testing::TestModule;
using testing::WsClient;

class DatabaseRoutesTest : public testing::ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    StartServer();
  }
  // The owner's identity (hex), from its token.
  std::string OwnerIdentity() {
    auto jwt = auth::DecodeJwt(token_);
    return jwt.ok() ? jwt->payload.Find("hex_identity")->text() : "";
  }
  // The names in `column` of the rows of `sql`, in order.
  std::vector<std::string> Strings(const std::string& db, const std::string& sql) {
    std::vector<std::string> out;
    sats::Json rows = SqlRows(db, sql);
    if (!rows.is_array()) return out;
    for (const auto& row : rows.items()) out.push_back(row.items().at(0).text());
    return out;
  }
  // The "Success" object of a publish answer.
  const sats::Json* Success(const sats::Json& body) { return body.is_object() ? body.Find("Success") : nullptr; }
};

// --- publish ----------------------------------------------------------------------------------------------------

TEST_F(DatabaseRoutesTest, PostCreatesAnAnonymousDatabase) {
  auto r = HttpAs("", "POST", "/v1/database", PersonModule());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers.Get("content-type"), std::optional<std::string_view>("application/json"));
  EXPECT_TRUE(r.headers.Get("spacetime-identity"));
  EXPECT_TRUE(r.headers.Get("spacetime-identity-token"));
  sats::Json body = ParseJson(r.body);
  const sats::Json* success = Success(body);
  ASSERT_TRUE(success) << r.body;
  EXPECT_TRUE(success->Find("domain")->is_null());
  EXPECT_EQ(success->Find("op")->text(), "created");
  std::string id = success->Find("database_identity")->text();
  EXPECT_EQ(id.size(), 64u);
  EXPECT_EQ(id.substr(0, 4), "c200");
  // Reachable by its identity, with or without 0x.
  EXPECT_EQ(Http("GET", "/v1/database/" + id + "/identity").body, id);
  EXPECT_EQ(Http("GET", "/v1/database/0x" + id + "/identity").body, id);
}

TEST_F(DatabaseRoutesTest, PutCreatesThenUpdatesInPlaceKeepingTheData) {
  std::string id = Publish("people");
  ASSERT_EQ(CallHttp("people", "add", R"(["bob"])").status, 200);
  auto update = Http("PUT", "/v1/database/people", PersonModule());
  ASSERT_EQ(update.status, 200) << update.body;
  sats::Json body = ParseJson(update.body);
  ASSERT_TRUE(Success(body));
  EXPECT_EQ(Success(body)->Find("op")->text(), "updated");
  EXPECT_EQ(Success(body)->Find("domain")->text(), "people");
  EXPECT_EQ(Success(body)->Find("database_identity")->text(), id);
  EXPECT_EQ(Strings("people", "SELECT name FROM person"), (std::vector<std::string>{"init", "bob"}));
  // By identity as well.
  auto by_id = Http("PUT", "/v1/database/" + id, PersonModule());
  ASSERT_EQ(by_id.status, 200) << by_id.body;
  EXPECT_NE(by_id.body.find("\"op\":\"updated\""), std::string::npos);
}

TEST_F(DatabaseRoutesTest, OnlyTheOwnerMayUpdate) {
  Publish("people");
  auto stranger = NewIdentity();
  auto r = HttpAs(stranger.token, "PUT", "/v1/database/people", PersonModule());
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.headers.Get("content-type"), std::optional<std::string_view>("application/json"));
  sats::Json body = ParseJson(r.body);
  ASSERT_TRUE(body.is_object() && body.Find("PermissionDenied")) << r.body;
  EXPECT_TRUE(body.Find("PermissionDenied")->Find("name"));
  // Nor clear it.
  ASSERT_EQ(CallHttp("people", "add", R"(["kept"])").status, 200);
  EXPECT_EQ(HttpAs(stranger.token, "PUT", "/v1/database/people?clear=true", PersonModule()).status, 401);
  EXPECT_EQ(Strings("people", "SELECT name FROM person").size(), 2u);
}

TEST_F(DatabaseRoutesTest, ClearDeletesTheDataAndStartsOverUnderTheSameIdentity) {
  std::string id = Publish("people");
  ASSERT_EQ(CallHttp("people", "add", R"(["bob"])").status, 200);
  auto r = Http("PUT", "/v1/database/people?clear=true", PersonModule());
  ASSERT_EQ(r.status, 200) << r.body;
  sats::Json body = ParseJson(r.body);
  ASSERT_TRUE(Success(body));
  EXPECT_EQ(Success(body)->Find("database_identity")->text(), id);
  EXPECT_EQ(Success(body)->Find("op")->text(), "updated");
  // init ran again on empty tables; the name and owner stayed.
  EXPECT_EQ(Strings("people", "SELECT name FROM person"), (std::vector<std::string>{"init"}));
  EXPECT_EQ(Http("GET", "/v1/database/people/names").body, R"({"names":["people"]})");
  EXPECT_EQ(Http("GET", "/v1/database/people/logs").status, 200);
}

// A clear replaces the database: its WebSocket clients are told the module exited, and they can reconnect.
TEST_F(DatabaseRoutesTest, ClearDisconnectsTheClientsOfTheOldDatabase) {
  Publish("people");
  WsClient client(port(), "people", testing::kV2Protocol);
  ASSERT_TRUE(client.client);
  client.Next();
  EXPECT_EQ(client.WaitForEndWhile(
                [&] { EXPECT_EQ(Http("PUT", "/v1/database/people?clear=true", PersonModule()).status, 200); }),
            std::optional<uint16_t>(1001));
  ExpectStillServes("people", "person");
}

TEST_F(DatabaseRoutesTest, BreakingUpdatesAreRefusedUnlessTheDataIsCleared) {
  Publish("evolving");
  ASSERT_EQ(CallHttp("evolving", "add", R"(["bob"])").status, 200);
  // keynote-transfer drops the person table (holding rows) for accounts: no automatic migration does that.
  auto refused = Http("PUT", "/v1/database/evolving", ExampleModule("keynote-transfer"));
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_FALSE(refused.body.empty());
  auto still_refused = Http("PUT", "/v1/database/evolving?policy=BreakClients", ExampleModule("keynote-transfer"));
  EXPECT_EQ(still_refused.status, 400) << still_refused.body;
  // The old module is still in charge, with its data.
  EXPECT_EQ(CallHttp("evolving", "add", R"(["carol"])").status, 200);
  EXPECT_EQ(Strings("evolving", "SELECT name FROM person").size(), 3u);

  auto cleared = Http("PUT", "/v1/database/evolving?clear=true", ExampleModule("keynote-transfer"));
  ASSERT_EQ(cleared.status, 200) << cleared.body;
  EXPECT_EQ(CallHttp("evolving", "seed", "[3, 100]").status, 200);
  EXPECT_EQ(SqlRows("evolving", "SELECT * FROM accounts").items().size(), 3u);
  EXPECT_EQ(Sql("evolving", "SELECT * FROM person").status, 400);
}

TEST_F(DatabaseRoutesTest, BadModulesAndNamesAre400) {
  auto garbage = HttpAs("", "PUT", "/v1/database/junk", "this is not wasm");
  EXPECT_EQ(garbage.status, 400);
  EXPECT_FALSE(garbage.body.empty());
  EXPECT_EQ(HttpAs("", "GET", "/v1/database/junk/identity").status, 404);  // nothing was created
  EXPECT_EQ(HttpAs("", "POST", "/v1/database", "").status, 400);
  EXPECT_EQ(HttpAs("", "PUT", "/v1/database/Bad_Name", PersonModule()).status, 400);
  // A failed update leaves the database as it was.
  Publish("people");
  EXPECT_EQ(Http("PUT", "/v1/database/people", "\0asm garbage").status, 400);
  EXPECT_EQ(CallHttp("people", "add", R"(["still"])").status, 200);
}

// --- get, delete --------------------------------------------------------------------------------------------------

TEST_F(DatabaseRoutesTest, GetDescribesTheDatabase) {
  std::string id = Publish("people");
  auto r = HttpAs("", "GET", "/v1/database/people");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers.Get("content-type"), std::optional<std::string_view>("application/json"));
  sats::Json body = ParseJson(r.body);
  ASSERT_TRUE(body.is_object());
  EXPECT_EQ(body.Find("database_identity")->Find("__identity__")->text(), "0x" + id);
  EXPECT_EQ(body.Find("owner_identity")->Find("__identity__")->text(), "0x" + OwnerIdentity());
  EXPECT_TRUE(body.Find("host_type")->Find("Wasm"));
  const std::string& program = body.Find("initial_program")->text();
  EXPECT_EQ(program.substr(0, 2), "0x");
  EXPECT_EQ(HttpAs("", "GET", "/v1/database/" + id).body, r.body);

  auto unknown = HttpAs("", "GET", "/v1/database/nobody");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.body, "`nobody` not found");
  auto unknown_id = HttpAs("", "GET", "/v1/database/c200" + std::string(60, '0'));
  EXPECT_EQ(unknown_id.status, 404);
  EXPECT_EQ(unknown_id.body, "No such database.");
  EXPECT_EQ(HttpAs("", "GET", "/v1/database/Not_A_Name").status, 400);
}

TEST_F(DatabaseRoutesTest, DeleteIsForTheOwnerAndFreesTheName) {
  std::string id = Publish("doomed");
  auto stranger = NewIdentity();
  auto refused = HttpAs(stranger.token, "DELETE", "/v1/database/doomed");
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("is not authorized to perform action on database"), std::string::npos) << refused.body;
  EXPECT_EQ(HttpAs("", "GET", "/v1/database/doomed/identity").body, id);

  auto deleted = Http("DELETE", "/v1/database/doomed");
  EXPECT_EQ(deleted.status, 200);
  EXPECT_EQ(deleted.body, "");
  EXPECT_EQ(HttpAs("", "GET", "/v1/database/doomed").status, 404);
  EXPECT_EQ(HttpAs("", "GET", "/v1/database/" + id).status, 404);
  EXPECT_EQ(HttpAs("", "GET", "/v1/identity/" + OwnerIdentity() + "/databases").body, R"({"identities":[]})");
  // Deleting what does not exist is fine; the name can be taken again, by anyone.
  EXPECT_EQ(Http("DELETE", "/v1/database/doomed").status, 200);
  EXPECT_EQ(Http("DELETE", "/v1/database/" + id).status, 200);
  auto again = HttpAs(stranger.token, "PUT", "/v1/database/doomed", PersonModule());
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_NE(again.body.find("\"op\":\"created\""), std::string::npos);
  EXPECT_EQ(again.body.find(id), std::string::npos);
}

// --- names, identity ------------------------------------------------------------------------------------------------

TEST_F(DatabaseRoutesTest, NamesAddAndRename) {
  std::string id = Publish("people");
  std::string other = Publish("others");
  auto names = HttpAs("", "GET", "/v1/database/people/names");
  ASSERT_EQ(names.status, 200);
  EXPECT_EQ(names.headers.Get("content-type"), std::optional<std::string_view>("application/json"));
  EXPECT_EQ(names.body, R"({"names":["people"]})");
  EXPECT_EQ(HttpAs("", "GET", "/v1/database/nobody/names").status, 404);

  // POST adds a name.
  auto added = Http("POST", "/v1/database/people/names", "folks");
  ASSERT_EQ(added.status, 200) << added.body;
  EXPECT_EQ(added.body, R"({"Success":{"domain":"folks","database_identity":")" + id + R"("}})");
  EXPECT_EQ(HttpAs("", "GET", "/v1/database/people/names").body, R"({"names":["people","folks"]})");
  EXPECT_EQ(HttpAs("", "GET", "/v1/database/folks/identity").body, id);
  EXPECT_EQ(Http("POST", "/v1/database/people/names", "Not A Name").status, 400);
  EXPECT_EQ(Http("POST", "/v1/database/people/names", "others").status, 400);  // taken
  auto stranger = NewIdentity();
  auto not_owner = HttpAs(stranger.token, "POST", "/v1/database/people/names", "mine");
  EXPECT_EQ(not_owner.status, 401);
  EXPECT_EQ(not_owner.body, R"({"PermissionDenied":{"domain":"mine"}})");

  // PUT replaces the names (rename).
  auto renamed = Http("PUT", "/v1/database/people/names", R"(["humans"])", JsonContent());
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(renamed.body, "\"Success\"");
  EXPECT_EQ(HttpAs("", "GET", "/v1/database/people/identity").status, 404);
  EXPECT_EQ(HttpAs("", "GET", "/v1/database/humans/identity").body, id);
  EXPECT_EQ(HttpAs("", "GET", "/v1/database/humans/names").body, R"({"names":["humans"]})");
  auto taken = Http("PUT", "/v1/database/humans/names", R"(["others"])", JsonContent());
  EXPECT_EQ(taken.status, 400);
  EXPECT_EQ(taken.body, R"({"OtherError":"Cannot rename to others because it already is in use."})");
  auto not_yours = HttpAs(stranger.token, "PUT", "/v1/database/humans/names", R"(["stolen"])", JsonContent());
  EXPECT_EQ(not_yours.status, 401);
  EXPECT_EQ(not_yours.body, R"({"NotYourDatabase":{"database":")" + id + R"("}})");
  EXPECT_EQ(Http("PUT", "/v1/database/humans/names", "not json").status, 400);
  EXPECT_EQ(HttpAs("", "GET", "/v1/database/others/identity").body, other);
}

TEST_F(DatabaseRoutesTest, IdentityIsPlainHex) {
  std::string id = Publish("people");
  auto r = HttpAs("", "GET", "/v1/database/people/identity");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body, id);
  EXPECT_EQ(HttpAs("", "GET", "/v1/database/" + id + "/identity").body, id);
  auto unknown = HttpAs("", "GET", "/v1/database/nobody/identity");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.body, "`nobody` not found");
  EXPECT_EQ(HttpAs("", "GET", "/v1/database/no--name/identity").status, 400);
}

// --- call -----------------------------------------------------------------------------------------------------------

TEST_F(DatabaseRoutesTest, CallNeedsExactlyApplicationJson) {
  Publish("people");
  std::string target = "/v1/database/people/call/add";
  EXPECT_EQ(Http("POST", target, R"(["x"])").status, 400);
  for (const char* type : {"text/plain", "application/json; charset=utf-8", "application/x-www-form-urlencoded"}) {
    HttpHeaders h;
    h.Set("Content-Type", type);
    EXPECT_EQ(Http("POST", target, R"(["x"])", h).status, 415) << type;
  }
  EXPECT_EQ(Strings("people", "SELECT name FROM person"), (std::vector<std::string>{"init"}));
}

TEST_F(DatabaseRoutesTest, CallCommitsWithPositionalOrNamedArguments) {
  std::string id = Publish("people");
  auto r = CallHttp("people", "add", R"(["ann"])");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, "");
  EXPECT_TRUE(r.headers.Get("spacetime-energy-used"));
  EXPECT_TRUE(r.headers.Get("spacetime-execution-duration-micros"));
  EXPECT_EQ(CallHttp("people", "add", R"({"name":"ben"})").status, 200);
  EXPECT_EQ(CallHttp(id, "add", R"(["cy"])").status, 200);  // by identity
  EXPECT_EQ(CallHttp("people", "add", R"(["dee"])", NewIdentity().token).status, 200);  // anyone may call
  EXPECT_EQ(Strings("people", "SELECT name FROM person"), (std::vector<std::string>{"init", "ann", "ben", "cy", "dee"}));
}

TEST_F(DatabaseRoutesTest, CallFailuresHaveTheirStatusCodes) {
  Publish("people");
  auto user_error = CallHttp("people", "add", R"([""])");
  EXPECT_EQ(user_error.status, 530);
  EXPECT_EQ(user_error.body, "empty name");
  auto trap = CallHttp("people", "add", R"(["trap"])");
  EXPECT_EQ(trap.status, 530);
  EXPECT_FALSE(trap.body.empty());
  auto unknown = CallHttp("people", "nope", "[]");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_FALSE(unknown.body.empty());
  EXPECT_EQ(CallHttp("nobody", "add", "[]").status, 404);
  for (const char* args : {"[1]", "[]", R"(["a","b"])", R"({"nom":"x"})", "[", "{}", "null", R"([null])"})
    EXPECT_EQ(CallHttp("people", "add", args).status, 400) << args;
  // Lifecycle reducers are not for clients.
  auto lifecycle = CallHttp("people", "init", "[]");
  EXPECT_EQ(lifecycle.status, 400) << lifecycle.body;
  // Nothing of that committed; the database still works.
  EXPECT_EQ(Strings("people", "SELECT name FROM person"), (std::vector<std::string>{"init"}));
  EXPECT_EQ(CallHttp("people", "add", R"(["ok"])").status, 200);
}

// An HTTP call runs inside a temporary connection: client_connected before, client_disconnected after.
TEST_F(DatabaseRoutesTest, CallRunsTheConnectLifecycleAroundTheReducer) {
  Publish("chat", ExampleModule("quickstart-chat"));
  auto alice = NewIdentity();
  // client_connected inserted alice's user row, so set_name finds it.
  auto named = CallHttp("chat", "set_name", R"(["alice"])", alice.token);
  ASSERT_EQ(named.status, 200) << named.body;
  sats::Json rows = SqlRows("chat", "SELECT name, online FROM user WHERE identity = 0x" + alice.identity);
  ASSERT_EQ(rows.items().size(), 1u);
  // (SQL rows are untyped: the Option is [tag, value], tag 0 = some.) client_disconnected ran afterwards.
  EXPECT_EQ(rows.items()[0].Dump(), R"([[0,"alice"],false])");
  EXPECT_EQ(CallHttp("chat", "set_name", R"([""])", alice.token).status, 530);
  EXPECT_EQ(CallHttp("chat", "client_connected", "[]").status, 400);
  EXPECT_EQ(CallHttp("chat", "client_disconnected", "[]").status, 400);
}

TEST_F(DatabaseRoutesTest, RefusedByClientConnectedIs403) {
  Publish("gated", TestModule("gatekeeper_module"));
  ASSERT_EQ(CallHttp("gated", "set_gate", "[false]").status, 200);
  auto call = CallHttp("gated", "set_gate", "[true]");
  EXPECT_EQ(call.status, 403);
  EXPECT_NE(call.body.find("the gate is closed"), std::string::npos) << call.body;
  EXPECT_EQ(Sql("gated", "SELECT * FROM st_table").status, 403);
  // A WebSocket client is accepted (101) and then dropped without any message.
  WsClient ws(port(), "gated", testing::kV3Protocol);
  ASSERT_TRUE(ws.client);
  auto message = ws.TryNext();
  EXPECT_FALSE(message.ok()) << "a refused client got " << v2::ServerMessageName(*message);
  // Other routes do not run client_connected.
  EXPECT_EQ(HttpAs("", "GET", "/v1/database/gated/identity").status, 200);
}

// --- sql ------------------------------------------------------------------------------------------------------------

TEST_F(DatabaseRoutesTest, SqlAnswersOneStatementWithSchemaRowsAndStats) {
  Publish("people");
  auto r = Sql("people", "SELECT * FROM person");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers.Get("content-type"), std::optional<std::string_view>("application/json"));
  EXPECT_TRUE(r.headers.Get("spacetime-execution-duration-micros"));
  sats::Json body = ParseJson(r.body);
  ASSERT_TRUE(body.is_array());
  ASSERT_EQ(body.items().size(), 1u);
  const sats::Json& statement = body.items()[0];
  EXPECT_EQ(statement.Find("schema")->Dump(),
            R"({"elements":[{"name":{"some":"id"},"algebraic_type":{"U32":[]}},)"
            R"({"name":{"some":"name"},"algebraic_type":{"String":[]}}]})");
  EXPECT_EQ(statement.Find("rows")->Dump(), R"([[1,"init"]])");
  EXPECT_TRUE(statement.Find("total_duration_micros")->is_number());
  const sats::Json* stats = statement.Find("stats");
  ASSERT_TRUE(stats);
  for (const char* key : {"rows_inserted", "rows_deleted", "rows_updated"}) EXPECT_TRUE(stats->Find(key)) << key;

  auto insert = Sql("people", "INSERT INTO person (id, name) VALUES (10, 'x'), (11, 'y')");
  ASSERT_EQ(insert.status, 200) << insert.body;
  EXPECT_EQ(ParseJson(insert.body).items()[0].Find("stats")->Find("rows_inserted")->text(), "2");
  auto update = Sql("people", "UPDATE person SET name = 'z' WHERE id = 10");
  ASSERT_EQ(update.status, 200) << update.body;
  EXPECT_EQ(ParseJson(update.body).items()[0].Find("stats")->Find("rows_updated")->text(), "1");
  auto unconfirmed = HttpAs(token_, "POST", "/v1/database/people/sql?confirmed=false", "SELECT name FROM person WHERE id = 10");
  ASSERT_EQ(unconfirmed.status, 200);
  EXPECT_EQ(ParseJson(unconfirmed.body).items()[0].Find("rows")->Dump(), R"([["z"]])");
}

TEST_F(DatabaseRoutesTest, SqlErrorsAre400WithTheMessage) {
  Publish("people");
  for (const char* bad : {"SELEC * FROM person", "SELECT * FROM nowhere", "SELECT nope FROM person",
                          "SELECT * FROM person WHERE id = 'text'", "", "INSERT INTO person (id) VALUES (1)"}) {
    auto r = Sql("people", bad);
    EXPECT_EQ(r.status, 400) << bad << ": " << r.body;
    EXPECT_FALSE(r.body.empty()) << bad;
  }
  EXPECT_EQ(Sql("nobody", "SELECT * FROM person").status, 404);
  EXPECT_EQ(Strings("people", "SELECT name FROM person"), (std::vector<std::string>{"init"}));
}

TEST_F(DatabaseRoutesTest, PrivateTablesAreVisibleToTheOwnerOnly) {
  Publish("reminders", ExampleModule("scheduled-reminders"));
  // The owner sees the private schedule table (init scheduled two reminders).
  EXPECT_EQ(SqlRows("reminders", "SELECT message FROM reminder_schedule WHERE message = 'every second'").items().size(), 1u);
  auto stranger = NewIdentity();
  auto hidden = Sql("reminders", "SELECT * FROM reminder_schedule", stranger.token);
  EXPECT_EQ(hidden.status, 400) << hidden.body;
  EXPECT_EQ(hidden.body.find("every second"), std::string::npos);
  EXPECT_EQ(Sql("reminders", "DELETE FROM reminder_schedule", stranger.token).status, 400);
  // The public table is for everyone to read, but not to write.
  EXPECT_EQ(Sql("reminders", "SELECT * FROM firing", stranger.token).status, 200);
  EXPECT_EQ(Sql("reminders", "DELETE FROM firing", stranger.token).status, 400);
  // Subscriptions follow the same rule.
  WsClient ws(port(), "reminders", testing::kV2Protocol, stranger.token);
  ASSERT_TRUE(ws.client);
  ws.Next();
  ws.Send(v2::Subscribe{1, 1, {"SELECT * FROM reminder_schedule"}});
  EXPECT_TRUE(std::holds_alternative<v2::SubscriptionError>(ws.Next()));
  ws.Send(v2::OneOffQuery{2, "SELECT * FROM reminder_schedule"});
  EXPECT_EQ(ws.NextAs<v2::OneOffQueryResult>().result.index(), 1u);
}

// --- logs -----------------------------------------------------------------------------------------------------------

TEST_F(DatabaseRoutesTest, LogsAreNdjsonForTheOwner) {
  Publish("people");
  for (const char* name : {"a", "b", "c"}) ASSERT_EQ(CallHttp("people", "add", std::string("[\"") + name + "\"]").status, 200);
  auto r = Http("GET", "/v1/database/people/logs");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.Get("content-type"), std::optional<std::string_view>("application/x-ndjson"));
  EXPECT_EQ(r.headers.Get("cache-control"), std::optional<std::string_view>("no-cache"));
  size_t reducer_lines = 0;
  size_t start = 0;
  while (start < r.body.size()) {
    size_t end = r.body.find('\n', start);
    ASSERT_NE(end, std::string::npos) << "unterminated line";
    sats::Json line = ParseJson(r.body.substr(start, end - start));
    ASSERT_TRUE(line.is_object());
    EXPECT_TRUE(line.Find("level") && line.Find("ts") && line.Find("message"));
    if (line.Find("message")->text() == "adding a person") {
      ++reducer_lines;
      EXPECT_EQ(line.Find("level")->text(), "Info");
    }
    start = end + 1;
  }
  EXPECT_EQ(reducer_lines, 3u);

  auto last = Http("GET", "/v1/database/people/logs?num_lines=1");
  ASSERT_EQ(last.status, 200);
  EXPECT_EQ(std::count(last.body.begin(), last.body.end(), '\n'), 1);
  EXPECT_NE(last.body.find("adding a person"), std::string::npos);

  auto stranger = NewIdentity();
  auto refused = HttpAs(stranger.token, "GET", "/v1/database/people/logs");
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("is not authorized to perform action on database"), std::string::npos);
  EXPECT_EQ(HttpAs("", "GET", "/v1/database/people/logs").status, 403);  // an anonymous caller is nobody's owner
  EXPECT_EQ(Http("GET", "/v1/database/nobody/logs").status, 404);
}

TEST_F(DatabaseRoutesTest, LogsFollowStreamsNewLines) {
  Publish("people");
  auto follower = TestHttpClient::Connect(port());
  ASSERT_TRUE(follower.ok());
  ASSERT_TRUE((*follower)->Send("GET", "/v1/database/people/logs?num_lines=1&follow=true", testing::Bearer(token_)).ok());
  auto head = (*follower)->ReadResponseHead();
  ASSERT_TRUE(head.ok()) << head.error().message();
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->headers.Get("content-type"), std::optional<std::string_view>("application/x-ndjson"));
  // Each call's log line arrives while the stream stays open.
  for (const char* name : {"first", "second"}) {
    ASSERT_EQ(CallHttp("people", "add", std::string("[\"") + name + "\"]").status, 200);
    std::string seen;
    while (seen.find("adding a person") == std::string::npos) {
      auto piece = (*follower)->ReadBodyPiece();
      ASSERT_TRUE(piece.ok()) << piece.error().message();
      ASSERT_TRUE(piece->has_value()) << "the stream ended";
      seen += **piece;
    }
  }
  // The follower leaves; the server carries on.
  (*follower)->Close();
  EXPECT_EQ(CallHttp("people", "add", R"(["third"])").status, 200);
  EXPECT_EQ(Http("GET", "/v1/database/people/logs?num_lines=1").status, 200);
}

// --- timestamp, route -----------------------------------------------------------------------------------------------

TEST_F(DatabaseRoutesTest, UnstableTimestampIsTheServersClock) {
  Publish("people");
  int64_t before = sats::Timestamp::Now().micros_since_epoch();
  auto r = HttpAs("", "GET", "/v1/database/people/unstable/timestamp");
  int64_t after = sats::Timestamp::Now().micros_since_epoch();
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.Get("content-type"), std::optional<std::string_view>("application/json"));
  sats::Json body = ParseJson(r.body);
  ASSERT_TRUE(body.is_object() && body.Find("__timestamp_micros_since_unix_epoch__")) << r.body;
  int64_t micros = std::stoll(body.Find("__timestamp_micros_since_unix_epoch__")->text());
  EXPECT_GE(micros, before);
  EXPECT_LE(micros, after);
  EXPECT_EQ(HttpAs("", "GET", "/v1/database/nobody/unstable/timestamp").status, 404);
}

TEST_F(DatabaseRoutesTest, RouteWithoutHandlersIs404) {
  Publish("people");
  for (const char* method : {"GET", "POST"}) {
    auto r = HttpAs("", method, "/v1/database/people/route/some/path");
    EXPECT_EQ(r.status, 404) << method;
    EXPECT_EQ(r.body, "Database has not registered a handler for this route");
  }
  EXPECT_EQ(HttpAs("", "GET", "/v1/database/nobody/route/x").body, "`nobody` not found");
}

}  // namespace
}  // namespace stdb::server
