#include "cli/subscription_messages.h"

#include <gtest/gtest.h>

#include "host/module_def_builder.h"
#include "sats/bsatn.h"
#include "sats/special_types.h"

namespace stdb::cli {
namespace {

using host::testing::T;
using host::testing::V10Builder;

std::string Hex(const std::string& bytes) {
  return sats::ToHexLower(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

host::ModuleDef Module() {
  V10Builder b;
  uint32_t t = b.AddType(sats::NamedProduct({{"id", T::U32()}, {"name", T::String()}}), "T");
  b.AddTable("t", t);
  return *b.Validate();
}

// BSATN of a row list with RowOffsets.
void RowList(sats::bsatn::Writer& w, const std::vector<sats::Bytes>& rows) {
  w.U8(1);
  w.U32(static_cast<uint32_t>(rows.size()));
  uint64_t offset = 0;
  for (const auto& r : rows) {
    w.U64(offset);
    offset += r.size();
  }
  sats::Bytes data;
  for (const auto& r : rows) data.insert(data.end(), r.begin(), r.end());
  w.ByteArray(data);
}

sats::Bytes Row(uint32_t id, const std::string& name) {
  return sats::bsatn::EncodeValue(sats::AlgebraicValue::Product({sats::AlgebraicValue::U32(id), sats::AlgebraicValue::String(name)}));
}

TEST(SubscriptionMessagesTest, SubscribeMatchesTheVerifiedWireTrace) {
  // spec/client-protocol.md §11.6: `00 | 00000000 | 00000000 | 01000000 | 0f000000 "SELECT * FROM t"`.
  EXPECT_EQ(Hex(EncodeV2Subscribe(0, 0, {"SELECT * FROM t"})),
            "00" "00000000" "00000000" "01000000" "0f000000" + Hex("SELECT * FROM t"));
  EXPECT_EQ(EncodeV1JsonSubscribe(0, {"SELECT * FROM t", "SELECT 1"}),
            "{\"Subscribe\":{\"query_strings\":[\"SELECT * FROM t\",\"SELECT 1\"],\"request_id\":0}}");
}

TEST(SubscriptionMessagesTest, DecodesCoalescedV3Messages) {
  sats::Bytes bytes;
  sats::bsatn::Writer w(bytes);
  w.U8(0);  // no compression
  // InitialConnection
  w.U8(0);
  w.Raw(std::string(48, '\x01').data(), 48);
  w.String("token");
  // SubscribeApplied with one row of "t"
  w.U8(1);
  w.U32(0);
  w.U32(0);
  w.U32(1);
  w.String("t");
  RowList(w, {Row(1, "alice")});
  // TransactionUpdate: one query set, table t, PersistentTable{inserts: [2 bob], deletes: [1 alice]}
  w.U8(4);
  w.U32(1);
  w.U32(0);
  w.U32(1);
  w.String("t");
  w.U32(1);
  w.U8(0);
  RowList(w, {Row(2, "bob")});
  RowList(w, {Row(1, "alice")});
  // SubscriptionError{request_id: none, query_set_id: 0, error}
  w.U8(3);
  w.U8(1);
  w.U32(0);
  w.String("boom");
  auto events = DecodeV3Payload(std::string(bytes.begin(), bytes.end()));
  ASSERT_TRUE(events.ok()) << events.error().message();
  ASSERT_EQ(events->size(), 4u);
  EXPECT_EQ((*events)[0].kind, ServerEvent::Kind::kOther);
  EXPECT_EQ((*events)[1].kind, ServerEvent::Kind::kInitialUpdate);
  EXPECT_EQ((*events)[2].kind, ServerEvent::Kind::kTransactionUpdate);
  EXPECT_EQ((*events)[3].kind, ServerEvent::Kind::kSubscriptionError);
  EXPECT_EQ((*events)[3].error, "boom");

  SubscriptionPrinter printer(Module());
  auto initial = printer.FormatUpdate((*events)[1].tables, true);
  ASSERT_TRUE(initial.ok()) << initial.error().message();
  EXPECT_EQ(*initial, R"({"t":{"deletes":[],"inserts":[{"id":1,"name":"alice"}]}})");
  auto update = printer.FormatUpdate((*events)[2].tables, true);
  ASSERT_TRUE(update.ok());
  EXPECT_EQ(*update, R"({"t":{"deletes":[{"id":1,"name":"alice"}],"inserts":[{"id":2,"name":"bob"}]}})");
}

TEST(SubscriptionMessagesTest, RejectsCompressedAndTruncatedPayloads) {
  auto compressed = DecodeV3Payload(std::string("\x02\x00", 2));
  ASSERT_FALSE(compressed.ok());
  EXPECT_NE(compressed.error().message().find("compression=None was requested"), std::string::npos);
  auto truncated = DecodeV3Payload(std::string("\x00\x01\x00", 3));
  ASSERT_FALSE(truncated.ok());
  EXPECT_NE(truncated.error().message().find("protocol error"), std::string::npos);
  EXPECT_FALSE(DecodeV3Payload("").ok());
}

TEST(SubscriptionMessagesTest, SplitsRowLists) {
  auto fixed = SplitRowList(0, 2, {}, "aabbcc");
  ASSERT_TRUE(fixed.ok());
  EXPECT_EQ(*fixed, (std::vector<std::string>{"aa", "bb", "cc"}));
  EXPECT_FALSE(SplitRowList(0, 4, {}, "aabbcc").ok());
  auto offsets = SplitRowList(1, 0, {0, 1, 4}, "abcdef");
  ASSERT_TRUE(offsets.ok());
  EXPECT_EQ(*offsets, (std::vector<std::string>{"a", "bcd", "ef"}));
  EXPECT_FALSE(SplitRowList(1, 0, {0, 9}, "abc").ok());
}

TEST(SubscriptionMessagesTest, DecodesV1Json) {
  auto initial = DecodeV1JsonMessage(
      R"({"InitialSubscription":{"database_update":{"tables":[{"table_id":4096,"table_name":"t","num_rows":1,"updates":[{"deletes":[],"inserts":["{\"id\":1,\"name\":\"alice\"}"]}]}]},"request_id":0,"total_host_execution_duration":{"__time_duration_micros__":10}}})");
  ASSERT_TRUE(initial.ok()) << initial.error().message();
  EXPECT_EQ(initial->kind, ServerEvent::Kind::kInitialUpdate);
  SubscriptionPrinter printer(Module());
  EXPECT_EQ(*printer.FormatUpdate(initial->tables, false), R"({"t":{"deletes":[],"inserts":[{"id":1,"name":"alice"}]}})");
  auto light = DecodeV1JsonMessage(
      R"({"TransactionUpdateLight":{"request_id":1,"update":{"tables":[{"table_id":4096,"table_name":"t","num_rows":1,"updates":[{"deletes":["[1,\"alice\"]"],"inserts":[]}]}]}}})");
  ASSERT_TRUE(light.ok());
  EXPECT_EQ(*printer.FormatUpdate(light->tables, false), R"({"t":{"deletes":[{"id":1,"name":"alice"}],"inserts":[]}})");
  auto failed = DecodeV1JsonMessage(R"({"TransactionUpdate":{"status":{"Failed":"no such reducer"}}})");
  ASSERT_TRUE(failed.ok());
  EXPECT_EQ(failed->kind, ServerEvent::Kind::kTransactionFailed);
  EXPECT_EQ(failed->error, "no such reducer");
  auto identity = DecodeV1JsonMessage(R"({"IdentityToken":{"token":"x"}})");
  ASSERT_TRUE(identity.ok());
  EXPECT_EQ(identity->kind, ServerEvent::Kind::kOther);
}

TEST(SubscriptionMessagesTest, UnknownTablesAreErrors) {
  SubscriptionPrinter printer(Module());
  EncodedTableRows rows;
  rows.table = "other";
  rows.inserts.push_back("x");
  auto line = printer.FormatUpdate({rows}, true);
  ASSERT_FALSE(line.ok());
  EXPECT_NE(line.error().message().find("`other`"), std::string::npos);
}

}  // namespace
}  // namespace stdb::cli
