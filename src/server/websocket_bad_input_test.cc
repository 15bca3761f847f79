// Bad input on /v1/database/:noi/subscribe (spec/client-protocol.md §2, §3, §4, §8): refused upgrades, malformed,
// truncated and oversized messages, unknown tags, text frames on binary protocols, broken WebSocket frames, and
// requests the server answers with an error but keeps the connection for (unknown reducers, arguments of the
// wrong type, bad SQL). After each, a bystander connected before keeps working and new clients are served.
#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <thread>

#include "server/testing/server_test.h"

namespace stdb::server {
namespace {

namespace v2 = protocol::v2;
using testing::Args;
using testing::ClientResponse;
using testing::NameArg;
using testing::TestHttpClient;
using testing::WsClient;

constexpr const char* kUpgradeHeaders =
    "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";

std::string Bytes(const sats::Bytes& b) { return std::string(reinterpret_cast<const char*>(b.data()), b.size()); }

class WebSocketBadInputTest : public testing::ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    StartServer();
    Publish("people");
    bystander_ = std::make_unique<WsClient>(port(), "people", testing::kV2Protocol);
    ASSERT_TRUE(bystander_->client);
    ASSERT_TRUE(std::holds_alternative<v2::InitialConnection>(bystander_->Next()));
    bystander_->Send(v2::Subscribe{1, 1, {"SELECT * FROM person"}});
    ASSERT_TRUE(std::holds_alternative<v2::SubscribeApplied>(bystander_->Next()));
  }

  // A connected client of `protocol` that has read its InitialConnection.
  std::unique_ptr<WsClient> Connected(const std::string& protocol) {
    auto c = std::make_unique<WsClient>(port(), "people", protocol);
    EXPECT_TRUE(c->client);
    if (c->client) {
      EXPECT_TRUE(std::holds_alternative<v2::InitialConnection>(c->Next()));
    }
    return c;
  }

  // The bystander's calls still commit (its subscription delivers other clients' rows meanwhile), and new
  // clients are served.
  void ExpectOthersUnaffected() {
    uint32_t id = next_request_++;
    bystander_->Send(v2::CallReducer{id, v2::CallFlags::kDefault, "add", NameArg("still-here-" + std::to_string(id))});
    for (;;) {
      auto m = bystander_->TryNext();
      ASSERT_TRUE(m.ok()) << "the bystander lost its connection: " << m.error().message();
      if (std::holds_alternative<v2::TransactionUpdate>(*m)) continue;
      ASSERT_TRUE(std::holds_alternative<v2::ReducerResult>(*m)) << v2::ServerMessageName(*m);
      EXPECT_EQ(std::get<v2::ReducerResult>(*m).request_id, id);
      EXPECT_EQ(std::get<v2::ReducerResult>(*m).result.index(), 0u) << "the bystander's call failed";
      break;
    }
    ExpectStillServes("people", "person");
  }

  // The raw answer to an upgrade request for `target` with `extra_headers`.
  ClientResponse Upgrade(const std::string& method, const std::string& target, const std::string& extra_headers) {
    auto client = TestHttpClient::Connect(port());
    EXPECT_TRUE(client.ok());
    if (!client.ok()) return {};
    EXPECT_TRUE((*client)->SendRaw(method + " " + target + " HTTP/1.1\r\nHost: x\r\n" + extra_headers + "\r\n").ok());
    auto r = (*client)->ReadResponse();
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message());
    return r.ok() ? *r : ClientResponse{};
  }

  void TearDown() override {
    bystander_.reset();  // before the server stops, which would otherwise wait for its close handshake
    ServerTest::TearDown();
  }

  std::unique_ptr<WsClient> bystander_;
  uint32_t next_request_ = 100;
};

// The same bad input on v3 and v2.
class WebSocketBadMessageTest : public WebSocketBadInputTest, public ::testing::WithParamInterface<const char*> {};

INSTANTIATE_TEST_SUITE_P(V3AndV2, WebSocketBadMessageTest, ::testing::Values(testing::kV3Protocol, testing::kV2Protocol),
                         [](const auto& info) { return std::string(info.param).substr(0, 2); });

// --- refused upgrades -------------------------------------------------------------------------------------------

TEST_F(WebSocketBadInputTest, NoMatchingSubprotocolIs400) {
  for (std::string offered : {"", "Sec-WebSocket-Protocol: chat\r\n", "Sec-WebSocket-Protocol: v4.bsatn.spacetimedb\r\n",
                              "Sec-WebSocket-Protocol: v2.json.spacetimedb, v3.bsatn\r\n"}) {
    auto r = Upgrade("GET", "/v1/database/people/subscribe", kUpgradeHeaders + offered);
    EXPECT_EQ(r.status, 400) << offered;
    EXPECT_EQ(r.body, "no valid protocol selected") << offered;
  }
  // The server's preference decides among the offered ones.
  auto chosen = Upgrade("GET", "/v1/database/people/subscribe",
                        std::string(kUpgradeHeaders) + "Sec-WebSocket-Protocol: v2.bsatn.spacetimedb, v3.bsatn.spacetimedb\r\n");
  EXPECT_EQ(chosen.status, 101);
  EXPECT_EQ(chosen.headers.Get("sec-websocket-protocol"), std::optional<std::string_view>(testing::kV3Protocol));
  ExpectOthersUnaffected();
}

TEST_F(WebSocketBadInputTest, OtherRefusedUpgrades) {
  std::string protocol = "Sec-WebSocket-Protocol: v3.bsatn.spacetimedb\r\n";
  std::string good = kUpgradeHeaders + protocol;
  EXPECT_EQ(Upgrade("GET", "/v1/database/people/subscribe", protocol).status, 426);  // not an upgrade
  EXPECT_EQ(Upgrade("GET", "/v1/database/nobody/subscribe", good).status, 404);
  EXPECT_EQ(Upgrade("GET", "/v1/database/Bad_Name/subscribe", good).status, 400);
  EXPECT_EQ(Upgrade("GET", "/v1/database/people/subscribe?compression=zstd", good).status, 400);
  auto zero = Upgrade("GET", "/v1/database/people/subscribe?connection_id=" + std::string(32, '0'), good);
  EXPECT_EQ(zero.status, 400);
  EXPECT_NE(zero.body.find("reserved"), std::string::npos) << zero.body;
  EXPECT_EQ(Upgrade("GET", "/v1/database/people/subscribe?connection_id=xyz", good).status, 400);
  ExpectOthersUnaffected();
}

// --- undecodable messages: close 1011 ------------------------------------------------------------------------------

TEST_P(WebSocketBadMessageTest, MalformedMessagesCloseThatConnectionWith1011) {
  sats::Bytes call = v2::EncodeClientMessage(v2::CallReducer{1, v2::CallFlags::kDefault, "add", NameArg("x")});
  std::string whole = Bytes(call);
  struct Case {
    std::string name;
    std::string payload;
  };
  std::vector<Case> cases = {
      {"empty message", ""},
      {"unknown tag 9", std::string("\x09\x01\x00\x00\x00", 5)},
      {"unknown tag 255", std::string("\xff", 1)},
      {"truncated CallReducer", whole.substr(0, whole.size() - 3)},
      {"truncated Subscribe", std::string("\x00\x01\x00\x00\x00", 5)},
      {"a string longer than the message", std::string("\x02\x01\x00\x00\x00\xff\xff\x00\x00SELECT", 15)},
      {"array count larger than the message", std::string("\x00\x01\x00\x00\x00\x01\x00\x00\x00\xff\xff\xff\xff", 13)},
      {"invalid call flags", std::string("\x03\x01\x00\x00\x00\x07\x03\x00\x00\x00" "add\x00\x00\x00\x00", 17)},
      {"invalid unsubscribe flags", std::string("\x01\x01\x00\x00\x00\x01\x00\x00\x00\x05", 10)},
      {"invalid UTF-8 in a name", std::string("\x03\x01\x00\x00\x00\x00\x02\x00\x00\x00\xc3\x28\x00\x00\x00\x00", 16)},
      {"a valid message with trailing garbage", whole + "\x03"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto client = Connected(GetParam());
    ASSERT_TRUE(client->client);
    ASSERT_TRUE(client->client->Send(c.payload).ok());
    auto code = client->WaitForEnd();
    EXPECT_EQ(code, std::optional<uint16_t>(1011));
    if (client->client->close_info()) {
      EXPECT_FALSE(client->client->close_info()->reason.empty());
    }
  }
  ExpectOthersUnaffected();
  // None of the malformed calls ran.
  EXPECT_EQ(SqlRows("people", "SELECT * FROM person WHERE name = 'x'").items().size(), 0u);
}

TEST_P(WebSocketBadMessageTest, TextFramesOnABinaryProtocolClose1011) {
  auto client = Connected(GetParam());
  ASSERT_TRUE(client->client->Send(R"({"CallReducer":{"reducer":"add","args":"[\"t\"]","request_id":1,"flags":0}})",
                                   /*binary=*/false)
                  .ok());
  EXPECT_EQ(client->WaitForEnd(), std::optional<uint16_t>(1011));
  ExpectOthersUnaffected();
  EXPECT_EQ(SqlRows("people", "SELECT * FROM person WHERE name = 't'").items().size(), 0u);
}

// Several messages in one WebSocket message are v3 only; on v2 they are one message with trailing bytes.
TEST_P(WebSocketBadMessageTest, ConcatenatedMessagesAreV3Only) {
  sats::Bytes two;
  v2::EncodeClientMessage(v2::CallReducer{1, v2::CallFlags::kDefault, "add", NameArg("one")}, two);
  v2::EncodeClientMessage(v2::CallReducer{2, v2::CallFlags::kDefault, "add", NameArg("two")}, two);
  auto client = Connected(GetParam());
  ASSERT_TRUE(client->client->Send(Bytes(two)).ok());
  if (std::string(GetParam()) == testing::kV3Protocol) {
    EXPECT_EQ(client->NextAs<v2::ReducerResult>().request_id, 1u);
    EXPECT_EQ(client->NextAs<v2::ReducerResult>().request_id, 2u);
  } else {
    EXPECT_EQ(client->WaitForEnd(), std::optional<uint16_t>(1011));
  }
  ExpectOthersUnaffected();
}

// --- broken WebSocket frames ------------------------------------------------------------------------------------

// A raw client that completed the upgrade.
std::unique_ptr<TestHttpClient> RawUpgraded(uint16_t port, const char* protocol) {
  auto raw = TestHttpClient::Connect(port);
  EXPECT_TRUE(raw.ok());
  if (!raw.ok()) return nullptr;
  EXPECT_TRUE((*raw)->SendRaw(std::string("GET /v1/database/people/subscribe?compression=None HTTP/1.1\r\nHost: x\r\n") +
                              kUpgradeHeaders + "Sec-WebSocket-Protocol: " + protocol + "\r\n\r\n")
                  .ok());
  auto switching = (*raw)->ReadResponse();
  EXPECT_TRUE(switching.ok() && switching->status == 101);
  return std::move(*raw);
}

TEST_P(WebSocketBadMessageTest, AnUnmaskedFrameIsAProtocolError) {
  auto raw = RawUpgraded(port(), GetParam());
  ASSERT_TRUE(raw);
  ASSERT_TRUE(raw->SendRaw(std::string("\x82\x03" "abc", 5)).ok());  // FIN + binary, no mask bit
  auto rest = raw->ReadRawUntilClose();
  ASSERT_TRUE(rest.ok()) << rest.error().message();
  EXPECT_NE(rest->find(std::string("\x88\x02\x03\xea", 4)), std::string::npos);  // close 1002
  raw->Close();
  ExpectOthersUnaffected();
}

// The value of an unlabelled sample in Prometheus text.
double Metric(const std::string& text, const std::string& name) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line))
    if (line.rfind(name + " ", 0) == 0) return std::stod(line.substr(name.size() + 1));
  return -1;
}

// A client that sends half a frame and hangs up is cleaned up like any other (client_disconnected, counters).
TEST_P(WebSocketBadMessageTest, ATruncatedFrameAndAHangUp) {
  auto raw = RawUpgraded(port(), GetParam());
  ASSERT_TRUE(raw);
  // Masked binary frame announcing 100 bytes, of which 10 arrive.
  ASSERT_TRUE(raw->SendRaw(std::string("\x82\xe4\x01\x02\x03\x04" "0123456789", 16)).ok());
  raw->Close();
  // Only the bystander is left.
  double open = -1;
  for (int i = 0; i < 500 && open != 1; ++i) {
    open = Metric(app_->MetricsText(), "spacetime_websocket_connections");
    if (open != 1) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(open, 1);
  ExpectOthersUnaffected();
}

// Messages over 32 MiB are refused with a close frame 1009 (the reference aborts without one).
TEST_P(WebSocketBadMessageTest, AnOversizedMessageIsClosedWith1009) {
  auto client = Connected(GetParam());
  ASSERT_TRUE(client->client->SendWhileAwaitingClose(std::string(32 * 1024 * 1024 + 1024, '\x03')).ok())
      << "no close frame";
  ASSERT_TRUE(client->client->close_info());
  EXPECT_EQ(client->client->close_info()->code, 1009);
  ExpectOthersUnaffected();
}

// --- errors answered on an open connection ---------------------------------------------------------------------------

TEST_P(WebSocketBadMessageTest, BadCallsAreAnsweredAndTheConnectionStays) {
  auto client = Connected(GetParam());
  auto internal_error = [&](const v2::ReducerResult& r) {
    const auto* e = std::get_if<v2::ReducerInternalError>(&r.result);
    EXPECT_TRUE(e) << "outcome " << r.result.index();
    return e ? e->message : std::string();
  };
  EXPECT_FALSE(internal_error(client->Call(1, "no_such_reducer", {})).empty());
  // Arguments of the wrong type: a u32 where a string is expected, nothing, a truncated string, extra bytes.
  EXPECT_FALSE(internal_error(client->Call(2, "add", Args({sats::AlgebraicValue::U32(7)}))).empty());
  EXPECT_FALSE(internal_error(client->Call(3, "add", {})).empty());
  sats::Bytes truncated = NameArg("truncated");
  truncated.resize(truncated.size() - 2);
  EXPECT_FALSE(internal_error(client->Call(4, "add", truncated)).empty());
  sats::Bytes extra = NameArg("extra");
  extra.push_back(1);
  EXPECT_FALSE(internal_error(client->Call(5, "add", extra)).empty());
  // Lifecycle reducers are not callable.
  EXPECT_FALSE(internal_error(client->Call(6, "init", {})).empty());
  // A trap rolls back; the next call gets a fresh instance.
  EXPECT_FALSE(internal_error(client->Call(7, "add", NameArg("trap"))).empty());
  // A user error is Err with the message as a BSATN string.
  auto err = client->Call(8, "add", NameArg(""));
  ASSERT_TRUE(std::holds_alternative<v2::ReducerErr>(err.result));
  EXPECT_EQ(std::get<v2::ReducerErr>(err.result), v2::ReducerErr::FromMessage("empty name"));
  // Procedures are answered with ProcedureResult.
  client->Send(v2::CallProcedure{9, v2::CallFlags::kDefault, "no_such_procedure", {}});
  auto procedure = client->NextAs<v2::ProcedureResult>();
  EXPECT_EQ(procedure.request_id, 9u);
  EXPECT_TRUE(std::holds_alternative<v2::ProcedureInternalError>(procedure.status));
  // After all that the connection works, and nothing of it committed.
  EXPECT_EQ(client->Call(10, "add", NameArg("fine")).result.index(), 0u);
  EXPECT_EQ(SqlRows("people", "SELECT name FROM person").Dump(), R"([["init"],["fine"]])");
  ExpectOthersUnaffected();
}

TEST_P(WebSocketBadMessageTest, BadQueriesAreAnsweredAndTheConnectionStays) {
  auto client = Connected(GetParam());
  for (const char* sql : {"SELECT * FROM nowhere", "SELEC garbage", "DELETE FROM person", "SELECT * FROM person WHERE id = 'x'"}) {
    SCOPED_TRACE(sql);
    client->Send(v2::Subscribe{1, 5, {sql}});
    auto error = client->NextAs<v2::SubscriptionError>();
    EXPECT_EQ(error.request_id, std::optional<uint32_t>(1));
    EXPECT_EQ(error.query_set_id, 5u);
    EXPECT_FALSE(error.error.empty());
    client->Send(v2::OneOffQuery{2, sql});
    auto one_off = client->NextAs<v2::OneOffQueryResult>();
    EXPECT_EQ(one_off.request_id, 2u);
    EXPECT_EQ(one_off.result.index(), 1u);
  }
  client->Send(v2::Unsubscribe{3, 42, v2::UnsubscribeFlags::kSendDroppedRows});  // never subscribed
  EXPECT_TRUE(std::holds_alternative<v2::SubscriptionError>(client->Next()));
  // The failed set ids are free again.
  client->Send(v2::Subscribe{4, 5, {"SELECT * FROM person"}});
  EXPECT_EQ(client->NextAs<v2::SubscribeApplied>().query_set_id, 5u);
  EXPECT_EQ(SqlRows("people", "SELECT * FROM person").items().size(), 1u);  // the DELETE did not run
  ExpectOthersUnaffected();
}

}  // namespace
}  // namespace stdb::server
