// The legacy v1 protocol end to end: v1.bsatn and v1.json clients of a real server subscribe (single, multi,
// legacy), call reducers (BSATN and JSON arguments), run one-off queries and unsubscribe.
#include "server/v1_client_connection.h"

#include <gtest/gtest.h>

#include <limits>

#include "server/protocol/server_codecs.h"
#include "server/protocol/v1_client_message.h"
#include "server/protocol/v1_server_message.h"
#include "server/testing/server_test.h"

namespace stdb::server {
namespace {

namespace v1 = protocol::v1;
using testing::NameArg;
using testing::TestWebSocketClient;

constexpr const char* kV1Bsatn = "v1.bsatn.spacetimedb";
constexpr const char* kV1Json = "v1.json.spacetimedb";

// A v1 client: sends BSATN (binary) or JSON (text) messages, reads BSATN or JSON replies.
class V1Client {
 public:
  V1Client(uint16_t port, const std::string& db, std::vector<std::string> protocols, const std::string& token = "") {
    TestWebSocketClient::Options o;
    o.target = "/v1/database/" + db + "/subscribe?compression=Gzip";
    o.subprotocols = std::move(protocols);
    if (!token.empty()) o.headers.Set("Authorization", "Bearer " + token);
    auto c = TestWebSocketClient::Connect(port, o);
    EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message());
    if (c.ok()) client = std::move(*c);
  }

  void SendBsatn(const v1::ClientMessage& m) {
    auto bytes = v1::EncodeClientMessageBsatn(m);
    ASSERT_TRUE(bytes.ok()) << bytes.error().message();
    ASSERT_TRUE(client->Send(std::string(reinterpret_cast<const char*>(bytes->data()), bytes->size())).ok());
  }
  void SendJson(const std::string& text) { ASSERT_TRUE(client->Send(text, /*binary=*/false).ok()); }

  v1::BsatnServerMessage NextBsatn() {
    auto msg = client->Receive();
    EXPECT_TRUE(msg.ok()) << (msg.ok() ? "" : msg.error().message());
    if (!msg.ok()) return {};
    EXPECT_FALSE(msg->is_text);
    sats::ByteSpan frame(reinterpret_cast<const uint8_t*>(msg->payload.data()), msg->payload.size());
    auto body = protocol::ReadServerFrame(frame, protocol::ServerFrameDecompressor(1u << 30));
    EXPECT_TRUE(body.ok()) << (body.ok() ? "" : body.error().message());
    if (!body.ok()) return {};
    auto m = v1::DecodeServerMessage(sats::ByteSpan(*body));
    EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message());
    return m.ok() ? std::move(*m) : v1::BsatnServerMessage{};
  }
  template <typename T>
  T NextBsatnAs() {
    auto m = NextBsatn();
    const T* t = std::get_if<T>(&m);
    EXPECT_TRUE(t) << "got " << v1::ServerMessageName(m.index());
    return t ? *t : T{};
  }

  // The next JSON message: {"<Kind>": {...}} -> the kind and its payload.
  std::pair<std::string, sats::Json> NextJson() {
    auto msg = client->Receive();
    EXPECT_TRUE(msg.ok()) << (msg.ok() ? "" : msg.error().message());
    if (!msg.ok()) return {};
    EXPECT_TRUE(msg->is_text) << "v1.json replies are text frames";
    sats::Json json = testing::ParseJson(msg->payload);
    EXPECT_TRUE(json.is_object() && json.members().size() == 1) << msg->payload;
    if (!json.is_object() || json.members().size() != 1) return {};
    return json.members()[0];
  }

  std::unique_ptr<TestWebSocketClient> client;
};

using v1::BsatnFormat;

size_t Inserts(const v1::DatabaseUpdate<BsatnFormat>& update, const std::string& table) {
  size_t n = 0;
  for (const auto& t : update.tables)
    if (t.table_name == table)
      for (const auto& u : t.updates) n += u.inserts.size();
  return n;
}

class V1ProtocolTest : public testing::ServerTest {};

TEST_F(V1ProtocolTest, BsatnSubscribeCallQueryAndUnsubscribe) {
  StartServer();
  Publish("people");
  V1Client caller(port(), "people", {kV1Bsatn}, token_);
  V1Client watcher(port(), "people", {kV1Bsatn});
  auto hello = caller.NextBsatnAs<v1::IdentityToken>();
  EXPECT_FALSE(hello.token.empty());
  watcher.NextBsatnAs<v1::IdentityToken>();

  watcher.SendBsatn(v1::SubscribeSingle{"SELECT * FROM person", 1, 10});
  auto applied = watcher.NextBsatnAs<v1::SubscribeApplied<BsatnFormat>>();
  EXPECT_EQ(applied.request_id, 1u);
  EXPECT_EQ(applied.query_id, 10u);
  EXPECT_EQ(applied.rows.table_name, "person");
  ASSERT_EQ(applied.rows.table_rows.updates.size(), 1u);
  EXPECT_EQ(applied.rows.table_rows.updates[0].inserts.size(), 1u);  // the init row
  EXPECT_EQ(applied.rows.table_rows.num_rows, 1u);

  // flags 0: the caller gets a full TransactionUpdate; the watcher a light one (V10 module).
  caller.SendBsatn(v1::CallReducer{"add", v1::FunctionArgs::Bsatn(NameArg("carol")), 5, v1::CallReducerFlags::kFullUpdate});
  auto done = caller.NextBsatnAs<v1::TransactionUpdate<BsatnFormat>>();
  ASSERT_EQ(done.status.index(), 0u) << "Committed";
  EXPECT_EQ(done.reducer_call.reducer_name, "add");
  EXPECT_EQ(done.reducer_call.request_id, 5u);
  EXPECT_EQ(done.reducer_call.args, NameArg("carol"));
  EXPECT_EQ(done.caller_identity, hello.identity);
  auto seen = watcher.NextBsatnAs<v1::TransactionUpdateLight<BsatnFormat>>();
  EXPECT_EQ(Inserts(seen.update, "person"), 1u);

  // Failures answer with Failed and keep the connection.
  caller.SendBsatn(v1::CallReducer{"nope", v1::FunctionArgs::Bsatn({}), 6, v1::CallReducerFlags::kFullUpdate});
  auto unknown = caller.NextBsatnAs<v1::TransactionUpdate<BsatnFormat>>();
  ASSERT_EQ(unknown.status.index(), 1u);
  EXPECT_EQ(unknown.reducer_call.reducer_id, std::numeric_limits<uint32_t>::max());
  caller.SendBsatn(v1::CallReducer{"add", v1::FunctionArgs::Bsatn(NameArg("")), 7, v1::CallReducerFlags::kFullUpdate});
  auto refused = caller.NextBsatnAs<v1::TransactionUpdate<BsatnFormat>>();
  ASSERT_EQ(refused.status.index(), 1u);
  EXPECT_EQ(std::get<v1::Failed>(refused.status).message, "empty name");

  // A text frame is decoded as JSON on either flavour; the reply stays BSATN.
  caller.SendJson(R"({"CallReducer":{"reducer":"add","args":"[\"dan\"]","request_id":8,"flags":0}})");
  auto json_call = caller.NextBsatnAs<v1::TransactionUpdate<BsatnFormat>>();
  EXPECT_EQ(json_call.status.index(), 0u);
  EXPECT_EQ(json_call.reducer_call.args, NameArg("dan"));
  EXPECT_EQ(Inserts(watcher.NextBsatnAs<v1::TransactionUpdateLight<BsatnFormat>>().update, "person"), 1u);
  caller.SendJson(R"({"CallReducer":{"reducer":"add","args":"[42]","request_id":9,"flags":0}})");
  EXPECT_EQ(caller.NextBsatnAs<v1::TransactionUpdate<BsatnFormat>>().status.index(), 1u);

  watcher.SendBsatn(v1::OneOffQuery{{1, 2, 3}, "SELECT * FROM person WHERE name = 'dan'"});
  auto answer = watcher.NextBsatnAs<v1::OneOffQueryResponse<BsatnFormat>>();
  EXPECT_EQ(answer.message_id, (sats::Bytes{1, 2, 3}));
  EXPECT_FALSE(answer.error.has_value());
  ASSERT_EQ(answer.tables.size(), 1u);
  EXPECT_EQ(answer.tables[0].table_name, "person");
  EXPECT_EQ(answer.tables[0].rows.size(), 1u);
  watcher.SendBsatn(v1::OneOffQuery{{4}, "SELECT * FROM nowhere"});
  EXPECT_TRUE(watcher.NextBsatnAs<v1::OneOffQueryResponse<BsatnFormat>>().error.has_value());

  watcher.SendBsatn(v1::Unsubscribe{2, 10});
  auto left = watcher.NextBsatnAs<v1::UnsubscribeApplied<BsatnFormat>>();
  EXPECT_EQ(left.query_id, 10u);
  ASSERT_EQ(left.rows.table_rows.updates.size(), 1u);
  EXPECT_EQ(left.rows.table_rows.updates[0].deletes.size(), 3u);
  watcher.SendBsatn(v1::Unsubscribe{3, 10});  // no longer subscribed
  EXPECT_EQ(watcher.NextBsatnAs<v1::SubscriptionError>().request_id, std::optional<uint32_t>(3));

  // Legacy Subscribe answers with InitialSubscription; multi-query errors name the request.
  watcher.SendBsatn(v1::Subscribe{{"SELECT * FROM person"}, 4});
  auto initial = watcher.NextBsatnAs<v1::InitialSubscription<BsatnFormat>>();
  EXPECT_EQ(initial.request_id, 4u);
  EXPECT_EQ(Inserts(initial.database_update, "person"), 3u);
  watcher.SendBsatn(v1::SubscribeMulti{{"SELECT * FROM nowhere"}, 5, 11});
  auto error = watcher.NextBsatnAs<v1::SubscriptionError>();
  EXPECT_EQ(error.request_id, std::optional<uint32_t>(5));
  EXPECT_EQ(error.query_id, std::optional<uint32_t>(11));

  // NoSuccessNotify: a committed call is heard like any subscriber's (light here), not as the caller's reply.
  watcher.SendBsatn(v1::CallReducer{"add", v1::FunctionArgs::Bsatn(NameArg("eve")), 12, v1::CallReducerFlags::kNoSuccessNotify});
  EXPECT_EQ(Inserts(watcher.NextBsatnAs<v1::TransactionUpdateLight<BsatnFormat>>().update, "person"), 1u);

  // An undecodable message closes that connection with 1011; others carry on.
  ASSERT_TRUE(watcher.client->Send(std::string("\x07\x01", 2)).ok());
  EXPECT_FALSE(watcher.client->Receive().ok());
  ASSERT_TRUE(watcher.client->close_info().has_value());
  EXPECT_EQ(watcher.client->close_info()->code, 1011);
  caller.SendBsatn(v1::CallReducer{"add", v1::FunctionArgs::Bsatn(NameArg("fay")), 13, v1::CallReducerFlags::kFullUpdate});
  EXPECT_EQ(caller.NextBsatnAs<v1::TransactionUpdate<BsatnFormat>>().status.index(), 0u);
}

TEST_F(V1ProtocolTest, JsonFlavourSendsTextWithTableAndDeltaRows) {
  StartServer();
  Publish("people");
  V1Client client(port(), "people", {kV1Json}, token_);
  auto [kind, hello] = client.NextJson();
  EXPECT_EQ(kind, "IdentityToken");
  ASSERT_TRUE(hello.Find("identity") && hello.Find("identity")->Find("__identity__"));

  client.SendJson(R"({"SubscribeMulti":{"query_strings":["SELECT * FROM person"],"request_id":1,"query_id":{"id":4}}})");
  auto [applied_kind, applied] = client.NextJson();
  ASSERT_EQ(applied_kind, "SubscribeMultiApplied");
  const sats::Json* tables = applied.Find("update") ? applied.Find("update")->Find("tables") : nullptr;
  ASSERT_TRUE(tables && tables->items().size() == 1) << applied.Dump();
  const sats::Json& initial_row = tables->items()[0].Find("updates")->items()[0].Find("inserts")->items()[0];
  // Table rows are objects keyed by column name, inside a string.
  EXPECT_NE(initial_row.text().find("\"name\":\"init\""), std::string::npos) << initial_row.text();

  client.SendJson(R"({"CallReducer":{"reducer":"add","args":"[\"erin\"]","request_id":2,"flags":0}})");
  auto [update_kind, update] = client.NextJson();
  ASSERT_EQ(update_kind, "TransactionUpdate");
  EXPECT_EQ(update.Find("reducer_call")->Find("args")->text(), "[\"erin\"]");
  const sats::Json* committed = update.Find("status")->Find("Committed");
  ASSERT_TRUE(committed) << update.Dump();
  const sats::Json& delta_row = committed->Find("tables")->items()[0].Find("updates")->items()[0].Find("inserts")->items()[0];
  // Delta rows are positional arrays.
  EXPECT_EQ(delta_row.text().front(), '[');
  EXPECT_NE(delta_row.text().find("\"erin\""), std::string::npos) << delta_row.text();

  // A binary (BSATN) message on the JSON flavour gets a JSON reply, with the arguments rendered as JSON.
  client.SendBsatn(v1::CallReducer{"add", v1::FunctionArgs::Bsatn(NameArg("finn")), 3, v1::CallReducerFlags::kFullUpdate});
  auto [bsatn_kind, bsatn_update] = client.NextJson();
  ASSERT_EQ(bsatn_kind, "TransactionUpdate");
  EXPECT_NE(bsatn_update.Find("reducer_call")->Find("args")->text().find("finn"), std::string::npos);

  client.SendJson(R"({"OneOffQuery":{"message_id":"0a0b","query_string":"SELECT name FROM person WHERE name = 'finn'"}})");
  auto [query_kind, query] = client.NextJson();
  ASSERT_EQ(query_kind, "OneOffQueryResponse");
  EXPECT_EQ(query.Find("message_id")->text(), "0a0b");
  EXPECT_EQ(query.Find("tables")->items()[0].Find("rows")->items()[0].text(), "{\"name\":\"finn\"}");
}

TEST_F(V1ProtocolTest, ServerPreferenceDecidesTheProtocol) {
  StartServer();
  Publish("people");
  V1Client both(port(), "people", {kV1Json, kV1Bsatn});
  EXPECT_EQ(both.client->handshake_headers().Get("sec-websocket-protocol"), std::optional<std::string_view>(kV1Bsatn));
  V1Client newest(port(), "people", {kV1Json, testing::kV2Protocol, testing::kV3Protocol});
  EXPECT_EQ(newest.client->handshake_headers().Get("sec-websocket-protocol"),
            std::optional<std::string_view>(testing::kV3Protocol));
}

}  // namespace
}  // namespace stdb::server
