// The server end to end over real sockets: publish a module over HTTP, call reducers, run SQL, subscribe over
// WebSocket v2/v3 and receive updates, restart from the data directory.
#include "server/server_app.h"

#include <gtest/gtest.h>

#include "host/module_def_json.h"
#include "sats/json.h"
#include "server/testing/server_test.h"

namespace stdb::server {
namespace {

namespace v2 = protocol::v2;
using testing::NameArg;
using testing::PersonModule;
using testing::RowsIn;
using testing::WsClient;
using ServerAppTest = testing::ServerTest;

TEST_F(ServerAppTest, IdentityRoutes) {
  StartServer();
  auto r = Http("POST", "/v1/identity");
  ASSERT_EQ(r.status, 200);
  auto body = sats::Json::Parse(r.body);
  ASSERT_TRUE(body.ok());
  std::string identity = body->Find("identity")->text();
  std::string token = body->Find("token")->text();
  EXPECT_EQ(identity.substr(0, 4), "c200");
  HttpHeaders auth;
  auth.Set("Authorization", "Bearer " + token);
  EXPECT_EQ(Http("GET", "/v1/identity/" + identity + "/verify", {}, auth).status, 204);
  EXPECT_EQ(Http("POST", "/v1/identity/websocket-token", {}, auth).status, 200);
  HttpHeaders forged;
  forged.Set("Authorization", "Bearer " + token.substr(0, token.size() - 4) + "AAAA");
  EXPECT_EQ(Http("GET", "/v1/identity/" + identity + "/verify", {}, forged).status, 401);
  HttpHeaders malformed;
  malformed.Set("Authorization", "Basic abc");
  EXPECT_EQ(Http("GET", "/v1/ping", {}, malformed).status, 400);
  EXPECT_NE(Http("GET", "/v1/identity/public-key").body.find("BEGIN PUBLIC KEY"), std::string::npos);
}

TEST_F(ServerAppTest, PublishCallAndSql) {
  StartServer();
  Publish("people");
  HttpHeaders json;
  json.Set("Content-Type", "application/json");
  auto call = Http("POST", "/v1/database/people/call/add", R"(["bob"])", json);
  EXPECT_EQ(call.status, 200) << call.body;
  call = Http("POST", "/v1/database/people/call/add", R"({"name":""})", json);
  EXPECT_EQ(call.status, 530);
  EXPECT_EQ(call.body, "empty name");
  EXPECT_EQ(Http("POST", "/v1/database/people/call/add", R"([1])", json).status, 400);
  EXPECT_EQ(Http("POST", "/v1/database/people/call/nope", "[]", json).status, 404);
  EXPECT_EQ(Http("POST", "/v1/database/people/call/add", R"(["x"])").status, 400);  // no content type
  HttpHeaders text;
  text.Set("Content-Type", "text/plain");
  EXPECT_EQ(Http("POST", "/v1/database/people/call/add", R"(["x"])", text).status, 415);
  EXPECT_EQ(Http("POST", "/v1/database/nobody/call/add", "[]", json).status, 404);

  auto sql = Http("POST", "/v1/database/people/sql", "SELECT * FROM person WHERE name = 'bob'");
  ASSERT_EQ(sql.status, 200) << sql.body;
  EXPECT_NE(sql.body.find("[2,\"bob\"]"), std::string::npos) << sql.body;
  EXPECT_EQ(Http("POST", "/v1/database/people/sql", "SELEC nonsense").status, 400);
  auto dml = Http("POST", "/v1/database/people/sql", "DELETE FROM person WHERE name = 'init'");
  ASSERT_EQ(dml.status, 200) << dml.body;
  EXPECT_NE(dml.body.find("\"rows_deleted\":1"), std::string::npos) << dml.body;

  auto names = Http("GET", "/v1/database/people/names");
  EXPECT_NE(names.body.find("people"), std::string::npos);
  auto logs = Http("GET", "/v1/database/people/logs");
  EXPECT_EQ(logs.status, 200);
  EXPECT_NE(logs.body.find("adding a person"), std::string::npos);
  // Another identity is not the owner.
  HttpHeaders stranger;
  auto minted = sats::Json::Parse(Http("POST", "/v1/identity").body);
  stranger.Set("Authorization", "Bearer " + minted->Find("token")->text());
  EXPECT_EQ(Http("GET", "/v1/database/people/logs", {}, stranger).status, 403);
  EXPECT_EQ(Http("PUT", "/v1/database/people", PersonModule(), stranger).status, 401);
  EXPECT_EQ(Http("POST", "/v1/database/people/sql", "DELETE FROM person", stranger).status, 400);
  EXPECT_NE(app_->MetricsText().find("spacetime_reducer_calls_total"), std::string::npos);
}

TEST_F(ServerAppTest, SchemaRoute) {
  StartServer();
  Publish("people");
  auto schema = Http("GET", "/v1/database/people/schema?version=10");
  ASSERT_EQ(schema.status, 200) << schema.body;
  // The body reads back as the module's own definition.
  auto raw = host::ReadSchemaJson(schema.body, 10);
  ASSERT_TRUE(raw.ok()) << raw.error().message();
  auto def = host::ModuleDef::FromRaw(*raw);
  ASSERT_TRUE(def.ok()) << def.error().message();
  EXPECT_TRUE(def->FindReducer("add").has_value());
  EXPECT_EQ(Http("GET", "/v1/database/people/schema?version=9").status, 400);  // a V10 module
  EXPECT_EQ(Http("GET", "/v1/database/people/schema").status, 400);
  EXPECT_EQ(Http("GET", "/v1/database/people/schema?version=11").status, 400);
  EXPECT_EQ(Http("GET", "/v1/database/nobody/schema?version=10").status, 404);
}

TEST_F(ServerAppTest, WebSocketSubscribeCallAndSeeUpdates) {
  StartServer();
  Publish("people");
  for (std::string proto : {"v3.bsatn.spacetimedb", "v2.bsatn.spacetimedb"}) {
    WsClient a(app_->port(), "people", proto);
    auto hello = a.Next();
    ASSERT_EQ(hello.index(), 0u) << proto;  // InitialConnection first
    WsClient b(app_->port(), "people", proto);
    ASSERT_EQ(b.Next().index(), 0u);
    a.Send(v2::Subscribe{1, 7, {"SELECT * FROM person"}});
    auto applied = a.Next();
    ASSERT_EQ(applied.index(), 1u);
    EXPECT_EQ(std::get<v2::SubscribeApplied>(applied).query_set_id, 7u);
    size_t initial = std::get<v2::SubscribeApplied>(applied).rows.tables.at(0).rows.size();
    EXPECT_GE(initial, 1u);
    // b calls a reducer; b gets ReducerResult, a gets a TransactionUpdate with the new row.
    b.Send(v2::CallReducer{5, v2::CallFlags::kDefault, "add", NameArg("carol-" + proto.substr(0, 2))});
    auto result = b.Next();
    ASSERT_EQ(result.index(), 6u);
    EXPECT_EQ(std::get<v2::ReducerResult>(result).request_id, 5u);
    EXPECT_EQ(std::get<v2::ReducerResult>(result).result.index(), 0u);  // Ok
    auto update = a.Next();
    ASSERT_EQ(update.index(), 4u);
    EXPECT_EQ(RowsIn(std::get<v2::TransactionUpdate>(update), "person"), 1u);
    // a calls: its own update arrives inside the ReducerResult.
    a.Send(v2::CallReducer{6, v2::CallFlags::kDefault, "add", NameArg("dan-" + proto.substr(0, 2))});
    auto own = a.Next();
    ASSERT_EQ(own.index(), 6u);
    const auto& ok = std::get<v2::ReducerOk>(std::get<v2::ReducerResult>(own).result);
    EXPECT_EQ(RowsIn(ok.transaction_update, "person"), 1u);
    // Errors: a user error, an unknown reducer, a bad subscription.
    a.Send(v2::CallReducer{8, v2::CallFlags::kDefault, "add", NameArg("")});
    auto err = a.Next();
    ASSERT_EQ(std::get<v2::ReducerResult>(err).result.index(), 2u);
    a.Send(v2::CallReducer{9, v2::CallFlags::kDefault, "nope", {}});
    EXPECT_EQ(std::get<v2::ReducerResult>(a.Next()).result.index(), 3u);
    a.Send(v2::Subscribe{10, 8, {"SELECT * FROM nowhere"}});
    auto sub_err = a.Next();
    ASSERT_EQ(sub_err.index(), 3u);
    // Unsubscribe with the dropped rows.
    a.Send(v2::Unsubscribe{11, 7, v2::UnsubscribeFlags::kSendDroppedRows});
    auto unsub = a.Next();
    ASSERT_EQ(unsub.index(), 2u);
    ASSERT_TRUE(std::get<v2::UnsubscribeApplied>(unsub).rows.has_value());
  }
  // Malformed frames close that connection with 1011; the server keeps serving.
  {
    WsClient bad(app_->port(), "people", "v2.bsatn.spacetimedb");
    ASSERT_EQ(bad.Next().index(), 0u);
    ASSERT_TRUE(bad.client->Send(std::string("\x09\x01", 2)).ok());
    auto closed = bad.client->Receive();
    EXPECT_FALSE(closed.ok());
    ASSERT_TRUE(bad.client->close_info().has_value());
    EXPECT_EQ(bad.client->close_info()->code, 1011);
  }
  WsClient after(app_->port(), "people", "v2.bsatn.spacetimedb");
  EXPECT_EQ(after.Next().index(), 0u);
}

TEST_F(ServerAppTest, RestartKeepsDatabasesNamesAndData) {
  StartServer(/*in_memory=*/false);
  Publish("durable-people");
  HttpHeaders json;
  json.Set("Content-Type", "application/json");
  ASSERT_EQ(Http("POST", "/v1/database/durable-people/call/add", R"(["eve"])", json).status, 200);
  app_.reset();
  StartServer(/*in_memory=*/false);
  auto sql = Http("POST", "/v1/database/durable-people/sql", "SELECT name FROM person");
  ASSERT_EQ(sql.status, 200) << sql.body;
  EXPECT_NE(sql.body.find("eve"), std::string::npos) << sql.body;
  EXPECT_NE(sql.body.find("init"), std::string::npos) << sql.body;
  // The same token still names the owner after the restart (the key pair persisted).
  EXPECT_EQ(Http("GET", "/v1/database/durable-people/logs").status, 200);
}

TEST_F(ServerAppTest, DeletingADatabaseDisconnectsItsClients) {
  StartServer(/*in_memory=*/false);
  Publish("doomed");
  WsClient client(port(), "doomed", testing::kV3Protocol, token_);
  client.NextAs<v2::InitialConnection>();
  EXPECT_EQ(client.WaitForEndWhile([&] { EXPECT_EQ(Http("DELETE", "/v1/database/doomed").status, 200); }),
            std::optional<uint16_t>(1001));
  EXPECT_EQ(Http("GET", "/v1/database/doomed").status, 404);
  // The name and the directory are free again.
  Publish("doomed");
  WsClient again(port(), "doomed", testing::kV3Protocol, token_);
  again.NextAs<v2::InitialConnection>();
}

TEST_F(ServerAppTest, StoppingTheServerDisconnectsClientsAndKeepsTheirWrites) {
  StartServer(/*in_memory=*/false);
  Publish("kept");
  {
    // Unconfirmed: the reply does not wait for the disk, so only a clean shutdown makes the write durable.
    WsClient client(port(), "kept", testing::kV2Protocol, token_, "compression=None&confirmed=false");
    client.NextAs<v2::InitialConnection>();
    EXPECT_EQ(client.Call(1, "add", NameArg("zoe")).result.index(), 0u);
    EXPECT_EQ(client.WaitForEndWhile([&] { RestartServer(); }), std::optional<uint16_t>(1001));
  }
  auto sql = Http("POST", "/v1/database/kept/sql", "SELECT name FROM person WHERE name = 'zoe'");
  ASSERT_EQ(sql.status, 200) << sql.body;
  EXPECT_NE(sql.body.find("zoe"), std::string::npos) << sql.body;
}

}  // namespace
}  // namespace stdb::server
