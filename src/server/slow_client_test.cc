// Clients that do not play along (spec/client-protocol.md §8.3, issue 7 "backpressure"): one that stops reading
// while updates keep coming is dropped — its outgoing queue is bounded — and neither the database nor the other
// clients notice; one that floods the server with calls gets every answer, in order, while others are served.
// Only behaviour is asserted (who got what, who was dropped), never how long anything took.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "server/testing/server_test.h"

namespace stdb::server {
namespace {

namespace v2 = protocol::v2;
using testing::ExampleModule;
using testing::WsClient;

// The text of a quickstart-chat message row: sender (32 bytes), sent (i64), then text (u32 length + UTF-8).
std::string MessageText(sats::ByteSpan row) {
  if (row.size() < 44) return "";
  uint32_t n = uint32_t(row[40]) | uint32_t(row[41]) << 8 | uint32_t(row[42]) << 16 | uint32_t(row[43]) << 24;
  if (row.size() < 44 + size_t(n)) return "";
  return std::string(reinterpret_cast<const char*>(row.data()) + 44, n);
}

std::string TextArgs(const std::string& text) { return "[\"" + text + "\"]"; }

class SlowClientTest : public testing::ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    StartServer();
    Publish("chat", ExampleModule("quickstart-chat"));
  }
  // Whether the user with this identity is online (the module's client_connected/client_disconnected say).
  bool Online(const std::string& identity) {
    sats::Json rows = SqlRows("chat", "SELECT online FROM user WHERE identity = 0x" + identity);
    return rows.is_array() && rows.items().size() == 1 && rows.items()[0].items().at(0).as_bool();
  }
};

TEST_F(SlowClientTest, AClientThatStopsReadingIsDroppedAndNobodyElseNotices) {
  // The stalled client subscribes eight times to the same table, so each message reaches it eightfold, with a
  // small receive window; then it never reads again.
  auto stalled_user = NewIdentity();
  WsClient stalled(port(), "chat", testing::kV2Protocol, stalled_user.token, "compression=None", 4096);
  ASSERT_TRUE(stalled.client);
  stalled.NextAs<v2::InitialConnection>();
  for (uint32_t set = 0; set < 8; ++set) {
    stalled.Send(v2::Subscribe{set, set, {"SELECT * FROM message"}});
    stalled.NextAs<v2::SubscribeApplied>();
  }
  ASSERT_TRUE(Online(stalled_user.identity));

  // A reader on another thread counts every message row it is sent, until the last one.
  WsClient reader(port(), "chat", testing::kV3Protocol, "", "compression=Gzip");
  ASSERT_TRUE(reader.client);
  reader.NextAs<v2::InitialConnection>();
  reader.Send(v2::Subscribe{1, 1, {"SELECT * FROM message"}});
  reader.NextAs<v2::SubscribeApplied>();
  std::atomic<size_t> rows_read{0};
  std::atomic<bool> reader_ok{true};
  std::thread reader_thread([&] {
    for (;;) {
      auto m = reader.TryNext();
      if (!m.ok() || !std::holds_alternative<v2::TransactionUpdate>(*m)) {
        reader_ok = false;
        return;
      }
      for (const auto& set : std::get<v2::TransactionUpdate>(*m).query_sets)
        for (const auto& table : set.tables)
          for (const auto& rows : std::get<v2::TableUpdate>(table).rows)
          {
            const auto& inserts = std::get<v2::PersistentTableRows>(rows).inserts;
            for (size_t i = 0; i < inserts.size(); ++i) {
              ++rows_read;
              if (MessageText(inserts.row(i)) == "the end") return;
            }
          }
    }
  });

  // The writer sends 64 KiB messages, eight in flight, until the stalled client has been dropped (its user is
  // offline: client_disconnected ran), then some more.
  WsClient writer(port(), "chat", testing::kV2Protocol);
  ASSERT_TRUE(writer.client);
  writer.NextAs<v2::InitialConnection>();
  const std::string text(64 * 1024, 'm');
  uint32_t sent = 0;
  uint32_t answered = 0;
  auto answer = [&] {
    auto result = writer.NextAs<v2::ReducerResult>();
    EXPECT_EQ(result.request_id, answered);
    EXPECT_EQ(result.result.index(), 0u) << "a writer's call failed";
    ++answered;
  };
  auto send = [&](const std::string& t) {
    writer.Send(v2::CallReducer{sent++, v2::CallFlags::kDefault, "send_message", testing::Args({sats::AlgebraicValue::String(t)})});
  };
  constexpr uint32_t kMaxCalls = 4000;  // far beyond what fills the stalled client's 64 MiB queue
  std::optional<uint32_t> dropped_after;
  while (sent < kMaxCalls) {
    send(text);
    if (sent - answered >= 8) answer();
    if (sent % 16 == 0 && !Online(stalled_user.identity)) {
      dropped_after = sent;
      break;
    }
  }
  ASSERT_TRUE(dropped_after) << "the stalled client was never dropped";
  for (int i = 0; i < 20; ++i) send(text);
  send("the end");
  while (answered < sent) answer();

  reader_thread.join();
  EXPECT_TRUE(reader_ok) << "the reader lost its connection or got something unexpected";
  EXPECT_EQ(rows_read.load(), size_t(sent));

  // The stalled client's connection was cut (no close frame: it was not reading anyway).
  EXPECT_EQ(stalled.WaitForEnd(), std::nullopt);
  EXPECT_EQ(SqlRows("chat", "SELECT COUNT(*) AS n FROM message").Dump(), "[[" + std::to_string(sent) + "]]");
  ExpectStillServes("chat", "user");
  // It can come back.
  WsClient back(port(), "chat", testing::kV2Protocol, stalled_user.token);
  ASSERT_TRUE(back.client);
  EXPECT_EQ(back.NextAs<v2::InitialConnection>().identity.ToHex(), stalled_user.identity);
  EXPECT_TRUE(Online(stalled_user.identity));
}

TEST_F(SlowClientTest, AFloodOfCallsIsAnsweredInOrderWhileOthersAreServed) {
  constexpr uint32_t kFrames = 16;
  constexpr uint32_t kCallsPerFrame = 1000;
  WsClient flooder(port(), "chat", testing::kV3Protocol);
  ASSERT_TRUE(flooder.client);
  flooder.NextAs<v2::InitialConnection>();
  std::atomic<bool> first_frame_sent{false};
  std::atomic<uint32_t> flood_ok{0};
  std::thread flood([&] {
    // Everything first (v3: a thousand calls per WebSocket message), then the answers.
    for (uint32_t f = 0; f < kFrames; ++f) {
      sats::Bytes frame;
      for (uint32_t i = 0; i < kCallsPerFrame; ++i) {
        uint32_t id = f * kCallsPerFrame + i;
        v2::EncodeClientMessage(v2::CallReducer{id, v2::CallFlags::kDefault, "send_message",
                                                testing::Args({sats::AlgebraicValue::String("f" + std::to_string(id))})},
                                frame);
      }
      if (!flooder.client->Send(std::string(reinterpret_cast<const char*>(frame.data()), frame.size())).ok()) return;
      first_frame_sent = true;
    }
    for (uint32_t id = 0; id < kFrames * kCallsPerFrame; ++id) {
      auto m = flooder.TryNext();
      if (!m.ok() || !std::holds_alternative<v2::ReducerResult>(*m)) return;
      const auto& result = std::get<v2::ReducerResult>(*m);
      if (result.request_id != id || result.result.index() != 0) return;
      ++flood_ok;
    }
  });
  while (!first_frame_sent) std::this_thread::yield();

  // Meanwhile another client calls, queries and is answered.
  auto other = NewIdentity();
  WsClient bystander(port(), "chat", testing::kV2Protocol, other.token);
  ASSERT_TRUE(bystander.client);
  bystander.NextAs<v2::InitialConnection>();
  for (uint32_t i = 0; i < 10; ++i) {
    auto result = bystander.Call(i, "set_name", testing::Args({sats::AlgebraicValue::String("b" + std::to_string(i))}));
    EXPECT_EQ(result.request_id, i);
    EXPECT_EQ(result.result.index(), 0u);
  }
  EXPECT_EQ(CallHttp("chat", "send_message", TextArgs("over http")).status, 200);
  flood.join();
  EXPECT_EQ(flood_ok.load(), kFrames * kCallsPerFrame) << "the flooder's answers were missing or out of order";
  EXPECT_EQ(SqlRows("chat", "SELECT COUNT(*) AS n FROM message").Dump(),
            "[[" + std::to_string(kFrames * kCallsPerFrame + 1) + "]]");
  ExpectStillServes("chat", "user");
}

}  // namespace
}  // namespace stdb::server
