// The wire trace of spec/client-protocol.md §11.6, captured between the official TypeScript SDK 2.10.1 and a
// mock server: each captured message decodes to the described struct, our encoder reproduces the bytes exactly,
// and every truncation of every message is rejected.
#include <gtest/gtest.h>

#include "server/protocol/server_frame.h"
#include "server/protocol/test_util.h"
#include "server/protocol/v2_client_message.h"
#include "server/protocol/v2_server_message.h"
#include "server/protocol/v3_framing.h"

namespace stdb::server::protocol {
namespace {

using sats::ByteSpan;
using sats::Bytes;
using testing_util::Concat;
using testing_util::Hex;

// Client -> server (no compression tag).
const Bytes kSubscribe = Hex("00 00000000 00000000 01000000 0f000000 53454c454354202a2046524f4d2074");
const Bytes kCallReducer = Hex("03 01000000 00 03000000 616464 0b000000 2a000000 03000000 626f62");

// Server -> client frames (leading 00 = uncompressed).
const Bytes kSubscribeApplied = Hex(
    "00 01 00000000 00000000 01000000 01000000 74 01 01000000 0000000000000000 0d000000 01000000 05000000 616c696365");
// The trace elides the timestamp; 1_700_000_000_000_000 µs is used here.
const Bytes kReducerResult = Hex(
    "00 06 01000000 00401e18240a0600 00 00000000 01000000 00000000 01000000 01000000 74 01000000 00"
    " 01 01000000 0000000000000000 0b000000 2a00000003000000626f62"
    " 01 00000000 00000000");

Bytes InitialConnectionFrame() {
  Bytes identity(32, 0);
  identity[0] = 0x01;
  identity[31] = 0xc2;
  Bytes conn(16, 0x11);
  return Concat({Hex("00 00"), identity, conn, Hex("03000000 616263")});
}

// A row of t(id: u32, name: string).
Bytes Row(uint32_t id, std::string_view name) {
  Bytes out;
  sats::bsatn::Writer w(out);
  w.U32(id);
  w.String(name);
  return out;
}

// The mock server sent single rows as RowOffsets([0]) (our builder would choose FixedSize; both are valid).
BsatnRowList OneRow(uint32_t id, std::string_view name) {
  std::vector<uint64_t> offsets = {0};
  return BsatnRowList::RowOffsets(offsets, Row(id, name)).value();
}

v2::ServerMessage ExpectedSubscribeApplied() {
  return v2::SubscribeApplied{0, 0, v2::QueryRows{{v2::SingleTableRows{"t", OneRow(1, "alice")}}}};
}

v2::ServerMessage ExpectedReducerResult() {
  v2::TableUpdate t{"t", {v2::PersistentTableRows{OneRow(42, "bob"), BsatnRowList()}}};
  return v2::ReducerResult{1, sats::Timestamp(1'700'000'000'000'000),
                           v2::ReducerOk{{}, v2::TransactionUpdate{{v2::QuerySetUpdate{0, {t}}}}}};
}

v2::ServerMessage ExpectedInitialConnection() {
  uint8_t le[32] = {};
  le[0] = 0x01;
  le[31] = 0xc2;
  sats::u128 conn = 0;
  for (int i = 0; i < 16; ++i) conn = (conn << 8) | 0x11;
  return v2::InitialConnection{sats::Identity::FromLittleEndian(le), sats::ConnectionId(conn), "abc"};
}

Result<v2::ServerMessage> DecodeFrame(ByteSpan frame) {
  auto body = ReadServerFrame(frame, nullptr);
  if (!body.ok()) return std::move(body).error();
  return v2::DecodeServerMessage(*body);
}

Bytes EncodeFrame(const v2::ServerMessage& m) {
  Bytes frame;
  BeginServerFrame(frame);
  v2::EncodeServerMessage(m, frame);
  EXPECT_TRUE(FinishServerFrame(frame, Compression::kGzip, nullptr).ok());  // small: never compressed
  return frame;
}

TEST(ProtocolGolden, ClientSubscribe) {
  ASSERT_EQ(kSubscribe.size(), 32u);
  auto m = v2::DecodeClientMessage(kSubscribe);
  ASSERT_TRUE(m.ok()) << m.error().message();
  EXPECT_EQ(*m, v2::ClientMessage(v2::Subscribe{0, 0, {"SELECT * FROM t"}}));
  EXPECT_EQ(v2::EncodeClientMessage(*m), kSubscribe);
}

TEST(ProtocolGolden, ClientCallReducer) {
  ASSERT_EQ(kCallReducer.size(), 28u);
  auto m = v2::DecodeClientMessage(kCallReducer);
  ASSERT_TRUE(m.ok()) << m.error().message();
  const auto& call = std::get<v2::CallReducer>(*m);
  EXPECT_EQ(call.request_id, 1u);
  EXPECT_EQ(call.reducer, "add");
  EXPECT_EQ(call.args, Row(42, "bob"));
  EXPECT_EQ(v2::EncodeClientMessage(*m), kCallReducer);
}

TEST(ProtocolGolden, ClientMessagesCoalescedAsV3) {
  Bytes payload = Concat({kSubscribe, kCallReducer});
  auto msgs = v3::SplitClientPayload(payload);
  ASSERT_TRUE(msgs.ok()) << msgs.error().message();
  ASSERT_EQ(msgs->size(), 2u);
  EXPECT_EQ((*msgs)[0].index(), 0u);
  EXPECT_EQ((*msgs)[1].index(), 3u);
}

TEST(ProtocolGolden, ServerSubscribeApplied) {
  auto m = DecodeFrame(kSubscribeApplied);
  ASSERT_TRUE(m.ok()) << m.error().message();
  EXPECT_EQ(*m, ExpectedSubscribeApplied());
  const auto& rows = std::get<v2::SubscribeApplied>(*m).rows.tables.at(0).rows;
  ASSERT_EQ(rows.size(), 1u);
  sats::bsatn::Reader r(rows.row(0));
  EXPECT_EQ(r.U32(), 1u);
  EXPECT_EQ(r.String(), "alice");
  EXPECT_EQ(EncodeFrame(ExpectedSubscribeApplied()), kSubscribeApplied);
}

TEST(ProtocolGolden, ServerReducerResult) {
  auto m = DecodeFrame(kReducerResult);
  ASSERT_TRUE(m.ok()) << m.error().message();
  EXPECT_EQ(*m, ExpectedReducerResult());
  EXPECT_EQ(EncodeFrame(ExpectedReducerResult()), kReducerResult);
  // The same bytes with the table update spliced from a shared encoding.
  v2::TableUpdate t{"t", {v2::PersistentTableRows{OneRow(42, "bob"), BsatnRowList()}}};
  v2::EncodedTableUpdate shared(t);
  v2::ServerMessage spliced = v2::ReducerResult{
      1, sats::Timestamp(1'700'000'000'000'000), v2::ReducerOk{{}, {{v2::QuerySetUpdate{0, {shared}}}}}};
  EXPECT_EQ(EncodeFrame(spliced), kReducerResult);
}

TEST(ProtocolGolden, ServerInitialConnection) {
  Bytes frame = InitialConnectionFrame();
  auto m = DecodeFrame(frame);
  ASSERT_TRUE(m.ok()) << m.error().message();
  EXPECT_EQ(*m, ExpectedInitialConnection());
  EXPECT_EQ(std::get<v2::InitialConnection>(*m).identity.ToHex(), "c2" + std::string(60, '0') + "01");
  EXPECT_EQ(EncodeFrame(ExpectedInitialConnection()), frame);
}

TEST(ProtocolGolden, EveryTruncationOfEveryMessageIsRejected) {
  for (const Bytes* client : {&kSubscribe, &kCallReducer}) {
    for (size_t n = 0; n < client->size(); ++n) {
      EXPECT_FALSE(v2::DecodeClientMessage(ByteSpan(client->data(), n)).ok()) << n;
      EXPECT_FALSE(v3::SplitClientPayload(ByteSpan(client->data(), n)).ok()) << n;
    }
  }
  const Bytes hello = InitialConnectionFrame();
  for (const Bytes* server : {&kSubscribeApplied, &kReducerResult, &hello}) {
    for (size_t n = 0; n < server->size(); ++n)
      EXPECT_FALSE(DecodeFrame(ByteSpan(server->data(), n)).ok()) << n;
  }
}

}  // namespace
}  // namespace stdb::server::protocol
