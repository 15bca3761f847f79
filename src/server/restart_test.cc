// A server restarted on its data directory (issue 7 "Restart"): databases come back with their data, names,
// identities and owners, tokens minted before the restart stay valid (the key pair persisted), scheduled
// reducers keep firing, and connected clients are disconnected (client_disconnected runs) and can reconnect
// with the same identity.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "server/testing/server_test.h"

namespace stdb::server {
namespace {

namespace v2 = protocol::v2;
using testing::ExampleModule;
using testing::WsClient;

class RestartTest : public testing::ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    StartServer(/*in_memory=*/false);
  }
  // Polls `sql` until it returns at least `n` rows (scheduled reducers fire on the server's clock). False if it
  // never does within a generous deadline, which fails the test.
  bool WaitForRows(const std::string& db, const std::string& sql, size_t n) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      sats::Json rows = SqlRows(db, sql);
      if (rows.is_array() && rows.items().size() >= n) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
};

TEST_F(RestartTest, DatabasesNamesIdentitiesAndTokensSurvive) {
  std::string people = Publish("people");
  std::string unnamed = Publish("");
  ASSERT_EQ(Http("POST", "/v1/database/people/names", "folks").status, 200);
  ASSERT_EQ(CallHttp("people", "add", R"(["eve"])").status, 200);
  ASSERT_EQ(Sql("people", "INSERT INTO person (id, name) VALUES (100, 'sql')").status, 200);
  ASSERT_EQ(CallHttp(unnamed, "add", R"(["nameless"])").status, 200);
  auto visitor = NewIdentity();
  std::string public_key = HttpAs("", "GET", "/v1/identity/public-key").body;
  std::string description = HttpAs("", "GET", "/v1/database/people").body;

  RestartServer();

  EXPECT_EQ(HttpAs("", "GET", "/v1/identity/public-key").body, public_key);
  EXPECT_EQ(HttpAs("", "GET", "/v1/database/people").body, description);  // identity, owner, program
  EXPECT_EQ(HttpAs("", "GET", "/v1/database/folks/identity").body, people);
  EXPECT_EQ(HttpAs("", "GET", "/v1/database/people/names").body, R"({"names":["people","folks"]})");
  EXPECT_EQ(SqlRows("people", "SELECT name FROM person").Dump(), R"([["init"],["eve"],["sql"]])");
  EXPECT_EQ(SqlRows(unnamed, "SELECT name FROM person").Dump(), R"([["init"],["nameless"]])");
  // Tokens minted before the restart still name the same identities; the owner still owns.
  EXPECT_EQ(HttpAs(visitor.token, "GET", "/v1/identity/" + visitor.identity + "/verify").status, 204);
  EXPECT_EQ(Http("GET", "/v1/database/people/logs").status, 200);
  EXPECT_EQ(HttpAs(visitor.token, "GET", "/v1/database/people/logs").status, 403);
  // Sequences never hand out a value twice: after a restart they resume at the block mark persisted in
  // st_sequence (datastore/sequence_state.h), past every value handed out before.
  ASSERT_EQ(CallHttp("people", "add", R"(["after"])").status, 200);
  EXPECT_EQ(SqlRows("people", "SELECT id FROM person WHERE name = 'after'").Dump(), "[[4097]]");
  // And a second restart reads what the first one wrote.
  RestartServer();
  EXPECT_EQ(SqlRows("people", "SELECT name FROM person").items().size(), 4u);
}

TEST_F(RestartTest, ScheduledReducersKeepFiring) {
  Publish("reminders", ExampleModule("scheduled-reminders"));
  ASSERT_EQ(CallHttp("reminders", "schedule_reminder", R"(["after the restart", 1500])").status, 200);
  ASSERT_TRUE(WaitForRows("reminders", "SELECT * FROM firing WHERE message = 'every second'", 1));

  RestartServer();

  // The one-shot reminder scheduled before the restart fires after it, and the repeating one goes on.
  size_t repeats = SqlRows("reminders", "SELECT * FROM firing WHERE message = 'every second'").items().size();
  EXPECT_TRUE(WaitForRows("reminders", "SELECT * FROM firing WHERE message = 'after the restart'", 1));
  EXPECT_TRUE(WaitForRows("reminders", "SELECT * FROM firing WHERE message = 'every second'", repeats + 1));
  // A fired one-shot row is gone from the (private) schedule table; the repeating one is still there.
  EXPECT_EQ(SqlRows("reminders", "SELECT * FROM reminder_schedule WHERE message = 'after the restart'").items().size(), 0u);
  EXPECT_EQ(SqlRows("reminders", "SELECT * FROM reminder_schedule WHERE message = 'every second'").items().size(), 1u);
}

TEST_F(RestartTest, ClientsAreDisconnectedAndReconnectAsThemselves) {
  Publish("chat", ExampleModule("quickstart-chat"));
  auto alice = NewIdentity();
  auto online = [&] {
    return SqlRows("chat", "SELECT online FROM user WHERE identity = 0x" + alice.identity).Dump();
  };
  {
    WsClient client(port(), "chat", testing::kV3Protocol, alice.token);
    ASSERT_TRUE(client.client);
    EXPECT_EQ(client.NextAs<v2::InitialConnection>().identity.ToHex(), alice.identity);
    EXPECT_EQ(client.Call(1, "set_name", testing::Args({sats::AlgebraicValue::String("alice")})).result.index(), 0u);
    EXPECT_EQ(online(), "[[true]]");
    auto code = client.WaitForEndWhile([&] { RestartServer(); });
    EXPECT_EQ(code, std::optional<uint16_t>(1001));
    if (client.client->close_info()) {
      EXPECT_EQ(client.client->close_info()->reason, "module exited");
    }
  }
  // client_disconnected ran for her before the server stopped.
  EXPECT_EQ(online(), "[[false]]");
  WsClient again(port(), "chat", testing::kV2Protocol, alice.token);
  ASSERT_TRUE(again.client);
  EXPECT_EQ(again.NextAs<v2::InitialConnection>().identity.ToHex(), alice.identity);
  again.Send(v2::Subscribe{1, 1, {"SELECT * FROM user WHERE identity = 0x" + alice.identity}});
  EXPECT_EQ(again.NextAs<v2::SubscribeApplied>().rows.tables.at(0).rows.size(), 1u);
  EXPECT_EQ(again.Call(2, "send_message", testing::Args({sats::AlgebraicValue::String("back")})).result.index(), 0u);
  EXPECT_EQ(online(), "[[true]]");
  EXPECT_EQ(SqlRows("chat", "SELECT name FROM user WHERE identity = 0x" + alice.identity).Dump(), R"([[[0,"alice"]]])");
}

}  // namespace
}  // namespace stdb::server
