#include "server/protocol/v2_server_message.h"

#include <gtest/gtest.h>

#include "server/protocol/test_util.h"

namespace stdb::server::protocol::v2 {
namespace {

using sats::ByteSpan;
using sats::Bytes;
using testing_util::Hex;
using testing_util::Str;

// Rows of a table t(id: u32, name: string).
Bytes PersonRow(uint32_t id, std::string_view name) {
  Bytes out;
  sats::bsatn::Writer w(out);
  w.U32(id);
  w.String(name);
  return out;
}

BsatnRowList Rows(std::initializer_list<std::pair<uint32_t, std::string_view>> rows) {
  BsatnRowListBuilder b;
  for (auto [id, name] : rows) b.Append(PersonRow(id, name));
  return b.Finish();
}

TableUpdate SampleTableUpdate() {
  return TableUpdate{"person",
                     {PersistentTableRows{Rows({{1, "alice"}, {2, "bob"}}), Rows({{3, "carol"}})},
                      EventTableRows{Rows({{4, "ev"}})}}};
}

QueryRows SampleQueryRows() {
  return QueryRows{{SingleTableRows{"person", Rows({{1, "alice"}, {2, "bob"}})},
                    SingleTableRows{"person", BsatnRowList()},
                    SingleTableRows{"empty", BsatnRowList()}}};
}

TransactionUpdate SampleTransactionUpdate() {
  return TransactionUpdate{{QuerySetUpdate{0, {SampleTableUpdate()}},
                            QuerySetUpdate{7, {TableUpdate{"other", {}}, SampleTableUpdate()}},
                            QuerySetUpdate{9, {}}}};
}

sats::Identity SampleIdentity() {
  uint8_t le[32] = {};
  le[0] = 1;
  le[31] = 0xc2;
  return sats::Identity::FromLittleEndian(le);
}

std::vector<ServerMessage> AllVariants() {
  return {
      InitialConnection{SampleIdentity(), sats::ConnectionId((sats::u128(0x0123456789abcdefULL) << 64) | 42),
                        "eyJhbGciOiJFUzI1NiJ9.x.y"},
      SubscribeApplied{1, 2, SampleQueryRows()},
      SubscribeApplied{1, 2, QueryRows{}},
      UnsubscribeApplied{3, 2, SampleQueryRows()},
      UnsubscribeApplied{4, 5, std::nullopt},
      SubscriptionError{6, 2, "no such table: `nope`"},
      SubscriptionError{std::nullopt, 2, "evaluation failed"},
      SampleTransactionUpdate(),
      TransactionUpdate{},
      OneOffQueryResult{8, SampleQueryRows()},
      OneOffQueryResult{9, std::string("syntax error")},
      ReducerResult{10, sats::Timestamp(1'700'000'000'123'456), ReducerOk{{}, SampleTransactionUpdate()}},
      ReducerResult{11, sats::Timestamp(-5), ReducerOk{Hex("2a000000"), TransactionUpdate{}}},
      ReducerResult{12, sats::Timestamp(0), ReducerOkEmpty{}},
      ReducerResult{13, sats::Timestamp(1), ReducerErr::FromMessage("duplicate id 1")},
      ReducerResult{14, sats::Timestamp(2), ReducerInternalError{"reducer panicked: oops"}},
      ProcedureResult{ProcedureReturned{Hex("01 02")}, sats::Timestamp(3), sats::TimeDuration(1500), 15},
      ProcedureResult{ProcedureInternalError{"no such procedure"}, sats::Timestamp(0), sats::TimeDuration(0), 16},
  };
}

TEST(V2ServerMessage, EveryVariantRoundTrips) {
  for (const ServerMessage& m : AllVariants()) {
    Bytes bytes = EncodeServerMessage(m);
    EXPECT_EQ(bytes[0], m.index());
    EXPECT_EQ(bytes.size(), EncodedSize(m)) << ServerMessageName(m);
    auto decoded = DecodeServerMessage(bytes);
    ASSERT_TRUE(decoded.ok()) << ServerMessageName(m) << ": " << decoded.error().message();
    EXPECT_EQ(*decoded, m) << ServerMessageName(m);
    EXPECT_EQ(EncodeServerMessage(*decoded), bytes);
  }
}

TEST(V2ServerMessage, ExactLayouts) {
  EXPECT_EQ(EncodeServerMessage(SubscriptionError{std::nullopt, 2, "e"}), Hex("03 01 02000000 01000000 65"));
  EXPECT_EQ(EncodeServerMessage(SubscriptionError{5, 2, "e"}), Hex("03 00 05000000 02000000 01000000 65"));
  EXPECT_EQ(EncodeServerMessage(UnsubscribeApplied{1, 2, std::nullopt}), Hex("02 01000000 02000000 01"));
  EXPECT_EQ(EncodeServerMessage(OneOffQueryResult{1, std::string("x")}), Hex("05 01000000 01 01000000 78"));
  EXPECT_EQ(EncodeServerMessage(ReducerResult{1, sats::Timestamp(2), ReducerOkEmpty{}}),
            Hex("06 01000000 0200000000000000 01"));
  EXPECT_EQ(EncodeServerMessage(ReducerResult{1, sats::Timestamp(2), ReducerErr::FromMessage("no")}),
            Hex("06 01000000 0200000000000000 02 06000000 02000000 6e6f"));
  EXPECT_EQ(EncodeServerMessage(ReducerResult{1, sats::Timestamp(2), ReducerInternalError{"no"}}),
            Hex("06 01000000 0200000000000000 03 02000000 6e6f"));
  // ProcedureResult: status first, request_id last.
  EXPECT_EQ(EncodeServerMessage(ProcedureResult{ProcedureReturned{Hex("aa")}, sats::Timestamp(1),
                                                sats::TimeDuration(2), 3}),
            Hex("07 00 01000000 aa 0100000000000000 0200000000000000 03000000"));
  // Event tables: tag 1 with a single list.
  EXPECT_EQ(EncodeServerMessage(TransactionUpdate{{QuerySetUpdate{4, {TableUpdate{"e", {EventTableRows{}}}}}}}),
            Hex("04 01000000 04000000 01000000 01000000 65 01000000 01 01 00000000 00000000"));
}

TEST(V2ServerMessage, PersistentRowsAreInsertsFirst) {
  TableUpdate t{"t", {PersistentTableRows{Rows({{1, "i"}}), BsatnRowList()}}};
  Bytes b;
  sats::bsatn::Writer w(b);
  EncodeTableUpdate(t, w);
  EXPECT_EQ(b, Hex("01000000 74 01000000 00 | 00 0900 09000000 01000000 01000000 69 | 01 00000000 00000000"));
}

TEST(V2ServerMessage, EncodedTableUpdatesSpliceToTheSameBytes) {
  TableUpdate t = SampleTableUpdate();
  EncodedTableUpdate shared(t);
  EXPECT_EQ(shared.bytes().size(), EncodedSize(t));

  // Two clients with different query set ids receive the same table update.
  for (uint32_t query_set_id : {0u, 42u}) {
    ServerMessage built = TransactionUpdate{{QuerySetUpdate{query_set_id, {t, TableUpdate{"x", {}}}}}};
    ServerMessage spliced = TransactionUpdate{{QuerySetUpdate{query_set_id, {shared, TableUpdate{"x", {}}}}}};
    Bytes a = EncodeServerMessage(built);
    Bytes b = EncodeServerMessage(spliced);
    EXPECT_EQ(a, b);
    EXPECT_EQ(EncodedSize(spliced), b.size());
    auto decoded = DecodeServerMessage(b);
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(*decoded, built);  // decoding always yields TableUpdate
  }
  // The caller's ReducerResult can splice it too.
  ServerMessage reducer = ReducerResult{1, sats::Timestamp(0), ReducerOk{{}, {{QuerySetUpdate{3, {shared}}}}}};
  ServerMessage reducer_built = ReducerResult{1, sats::Timestamp(0), ReducerOk{{}, {{QuerySetUpdate{3, {t}}}}}};
  EXPECT_EQ(EncodeServerMessage(reducer), EncodeServerMessage(reducer_built));

  // Copies of an EncodedTableUpdate share their bytes.
  EncodedTableUpdate copy = shared;
  EXPECT_EQ(copy.bytes().data(), shared.bytes().data());
}

TEST(V2ServerMessage, EncodeAppendsToAnExistingBuffer) {
  Bytes buf = {0x00};
  ServerMessage m = SubscriptionError{1, 2, "x"};
  EncodeServerMessage(m, buf);
  EncodeServerMessage(m, buf);
  EXPECT_EQ(buf.size(), 1 + 2 * EncodedSize(m));
  EXPECT_EQ(buf[0], 0);
  EXPECT_EQ(buf[1], 3);
}

TEST(V2ServerMessage, EveryTruncationIsRejected) {
  for (const ServerMessage& m : AllVariants()) {
    Bytes bytes = EncodeServerMessage(m);
    for (size_t n = 0; n < bytes.size(); ++n)
      EXPECT_FALSE(DecodeServerMessage(ByteSpan(bytes.data(), n)).ok()) << ServerMessageName(m) << " cut at " << n;
  }
}

TEST(V2ServerMessage, RejectsUnknownTagsAndTrailingBytes) {
  struct Case {
    const char* hex;
    const char* why;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"08", "unknown tag 8"},
           {"03 02 00000000 00000000", "invalid Option tag 2"},
           {"02 01000000 02000000 05", "invalid Option tag 5"},
           {"05 01000000 02 00000000", "unknown Result tag 2"},
           {"06 01000000 0000000000000000 04", "unknown ReducerOutcome tag 4"},
           {"07 02 00000000", "unknown ProcedureStatus tag 2"},
           {"04 01000000 00000000 01000000 01000000 74 01000000 02 01 00000000 00000000",
            "unknown TableUpdateRows tag 2"},
           {"04 01000000 00000000 01000000 01000000 74 01000000 01 03 00000000 00000000", "unknown RowSizeHint tag 3"},
           {"06 01000000 0000000000000000 01 00", "1 trailing bytes"},
           {"01 01000000 02000000 01000000 01000000 ff 01 00000000 00000000", "UTF-8"},
           {"04 ffffff7f", "claims 2147483647 elements"},
       }) {
    auto m = DecodeServerMessage(Hex(c.hex));
    ASSERT_FALSE(m.ok()) << c.hex;
    EXPECT_EQ(m.error().code(), ErrorCode::kDecode);
    EXPECT_NE(m.error().message().find(c.why), std::string::npos) << c.hex << ": " << m.error().message();
  }
}

}  // namespace
}  // namespace stdb::server::protocol::v2
