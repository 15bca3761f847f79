#include "server/protocol/v1_server_message.h"

#include <gtest/gtest.h>

#include "sats/sats_json.h"
#include "server/protocol/test_util.h"

namespace stdb::server::protocol::v1 {
namespace {

using sats::AlgebraicType;
using sats::AlgebraicValue;
using sats::ByteSpan;
using sats::Bytes;
using testing_util::Hex;
using B = BsatnFormat;
using J = JsonFormat;
using T = AlgebraicType;

// --- Fixtures --------------------------------------------------------------------------------------------------

Bytes Row(uint32_t id, std::string_view name) {
  Bytes out;
  sats::bsatn::Writer w(out);
  w.U32(id);
  w.String(name);
  return out;
}

BsatnRowList Rows(std::initializer_list<std::pair<uint32_t, std::string_view>> rows) {
  BsatnRowListBuilder b;
  for (auto [id, name] : rows) b.Append(Row(id, name));
  return b.Finish();
}

sats::Identity SampleIdentity() {
  uint8_t le[32] = {};
  le[0] = 0x01;
  le[31] = 0xc2;
  return sats::Identity::FromLittleEndian(le);
}
const char* kSampleIdentityJson = R"({"__identity__":"0xc200000000000000000000000000000000000000000000000000000000000001"})";

TableUpdate<B> BsatnTable() {
  std::vector<QueryUpdate<B>> updates = {{Rows({{1, "a"}}), Rows({{2, "b"}, {3, "c"}})}, {BsatnRowList(), Rows({{4, "d"}})}};
  return TableUpdate<B>{4096, "person", CountRows(updates), updates};
}

DatabaseUpdate<B> BsatnDb() { return DatabaseUpdate<B>{{BsatnTable(), TableUpdate<B>{4097, "empty", 0, {}}}}; }

std::vector<BsatnServerMessage> BsatnVariants() {
  return {
      InitialSubscription<B>{BsatnDb(), 1, sats::TimeDuration(250)},
      TransactionUpdate<B>{Committed<B>{BsatnDb()}, sats::Timestamp(1'700'000'000'000'000), SampleIdentity(),
                           sats::ConnectionId(7), ReducerCallInfo<B>{"add", 3, Row(2, "b"), 5},
                           (sats::u128(1) << 100) + 5, sats::TimeDuration(150)},
      TransactionUpdate<B>{Failed{"duplicate id"}, sats::Timestamp(1), SampleIdentity(), sats::ConnectionId(7),
                           ReducerCallInfo<B>{"nope", 0xffffffff, {}, 0}, 0, sats::TimeDuration(0)},
      TransactionUpdate<B>{OutOfEnergy{}, sats::Timestamp(2), sats::Identity(), sats::ConnectionId(0),
                           ReducerCallInfo<B>{"x", 1, {}, 2}, 0, sats::TimeDuration(3)},
      TransactionUpdateLight<B>{9, BsatnDb()},
      IdentityToken{SampleIdentity(), "abc", sats::ConnectionId(42)},
      OneOffQueryResponse<B>{Hex("0a0b"), std::nullopt, {{"person", Rows({{1, "a"}})}}, sats::TimeDuration(5)},
      OneOffQueryResponse<B>{{}, std::string("syntax error"), {}, sats::TimeDuration(0)},
      SubscribeApplied<B>{1, 77, 2, SubscribeRows<B>{4096, "person", BsatnTable()}},
      UnsubscribeApplied<B>{2, 78, 2, SubscribeRows<B>{4096, "person", BsatnTable()}},
      SubscriptionError{12, 3, 1, std::nullopt, "no such table"},
      SubscriptionError{0, std::nullopt, std::nullopt, 4096, "evaluation failed"},
      SubscribeMultiApplied<B>{4, 10, 3, BsatnDb()},
      UnsubscribeMultiApplied<B>{5, 11, 3, DatabaseUpdate<B>{}},
      ProcedureResult<B>{ProcedureReturned<B>{Hex("2a000000")}, sats::Timestamp(3), sats::TimeDuration(4), 6},
      ProcedureResult<B>{ProcedureOutOfEnergy{}, sats::Timestamp(3), sats::TimeDuration(4), 7},
      ProcedureResult<B>{ProcedureInternalError{"trap"}, sats::Timestamp(0), sats::TimeDuration(0), 8},
  };
}

// --- BSATN -----------------------------------------------------------------------------------------------------

TEST(V1ServerMessage, BsatnRoundTrips) {
  for (const BsatnServerMessage& m : BsatnVariants()) {
    Bytes bytes;
    EncodeServerMessage(m, bytes);
    EXPECT_EQ(bytes[0], m.index());
    auto decoded = DecodeServerMessage(bytes);
    ASSERT_TRUE(decoded.ok()) << ServerMessageName(m.index()) << ": " << decoded.error().message();
    EXPECT_EQ(*decoded, m) << ServerMessageName(m.index());
    for (size_t n = 0; n < bytes.size(); ++n)
      EXPECT_FALSE(DecodeServerMessage(ByteSpan(bytes.data(), n)).ok()) << ServerMessageName(m.index()) << n;
    bytes.push_back(0);
    EXPECT_FALSE(DecodeServerMessage(bytes).ok());
  }
}

TEST(V1ServerMessage, BsatnLayouts) {
  // IdentityToken: identity, token, connection_id (v2's InitialConnection has the token last).
  Bytes bytes;
  EncodeServerMessage(BsatnServerMessage(IdentityToken{SampleIdentity(), "abc", sats::ConnectionId(42)}), bytes);
  Bytes expected = Hex("03 01");
  expected.resize(expected.size() + 30, 0);
  expected.push_back(0xc2);
  Bytes rest = Hex("03000000 616263 2a000000000000000000000000000000");
  expected.insert(expected.end(), rest.begin(), rest.end());
  EXPECT_EQ(bytes, expected);

  // QueryUpdate: Uncompressed tag, deletes first, then inserts.
  bytes.clear();
  std::vector<QueryUpdate<B>> updates = {{Rows({{1, "d"}}), Rows({{2, "i"}})}};
  EncodeServerMessage(BsatnServerMessage(TransactionUpdateLight<B>{7, {{{5, "t", 2, updates}}}}), bytes);
  EXPECT_EQ(bytes, Hex("02 07000000 01000000 | 05000000 01000000 74 0200000000000000 01000000 | 00"
                       " 00 0900 09000000 01000000 01000000 64"
                       " 00 0900 09000000 02000000 01000000 69"));
}

TEST(V1ServerMessage, BsatnDecoderRejectsCompressedAndUnknownTags) {
  const char* table = "01000000 05000000 01000000 74 0000000000000000 01000000";
  for (auto [tag, why] : std::initializer_list<std::pair<const char*, const char*>>{
           {"01", "is not supported"}, {"02", "is not supported"}, {"03", "unknown CompressableQueryUpdate tag 3"}}) {
    auto m = DecodeServerMessage(Hex(std::string("02 07000000 ") + table + tag + " 00000000 00000000 00000000 00000000"));
    ASSERT_FALSE(m.ok()) << tag;
    EXPECT_NE(m.error().message().find(why), std::string::npos) << m.error().message();
  }
  auto m = DecodeServerMessage(Hex("0b"));
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message().find("unknown tag 11"), std::string::npos);
  m = DecodeServerMessage(Hex("01 03"));
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message().find("unknown UpdateStatus tag 3"), std::string::npos) << m.error().message();
  m = DecodeServerMessage(Hex("0a 03"));
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message().find("unknown ProcedureStatus tag 3"), std::string::npos) << m.error().message();
  m = DecodeServerMessage(Hex("07 0000000000000000 02"));
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message().find("invalid Option tag 2"), std::string::npos) << m.error().message();
}

TEST(V1ServerMessage, CountRows) {
  EXPECT_EQ(CountRows(BsatnTable().updates), 4u);
  std::vector<QueryUpdate<J>> json = {{{"[1]"}, {"[2]", "[3]"}}};
  EXPECT_EQ(CountRows(json), 3u);
}

// --- JSON ------------------------------------------------------------------------------------------------------

std::string Json(const JsonServerMessage& m) {
  std::string out;
  EncodeServerMessage(m, out);
  return out;
}

TEST(V1ServerMessage, JsonIdentityTokenAsInTheSpec) {
  EXPECT_EQ(Json(IdentityToken{SampleIdentity(), "abc", sats::ConnectionId(42)}),
            std::string(R"({"IdentityToken":{"identity":)") + kSampleIdentityJson +
                R"(,"token":"abc","connection_id":{"__connection_id__":42}}})");
}

TEST(V1ServerMessage, JsonTransactionUpdate) {
  TableUpdate<J> t{4096, "person", 2, {{{R"([1,"a"])"}, {R"([2,"b"])"}}}};
  JsonServerMessage m = TransactionUpdate<J>{Committed<J>{{{t}}},
                                             sats::Timestamp(1'700'000'000'000'000),
                                             SampleIdentity(),
                                             sats::ConnectionId(7),
                                             ReducerCallInfo<J>{"add", 3, R"([2,"b"])", 5},
                                             (sats::u128(1) << 100) + 5,
                                             sats::TimeDuration(150)};
  EXPECT_EQ(Json(m),
            std::string(R"({"TransactionUpdate":{"status":{"Committed":{"tables":[{"table_id":4096,"table_name":"person",)"
                        R"("num_rows":2,"updates":[{"deletes":["[1,\"a\"]"],"inserts":["[2,\"b\"]"]}]}]}},)"
                        R"("timestamp":{"__timestamp_micros_since_unix_epoch__":1700000000000000},"caller_identity":)") +
                kSampleIdentityJson +
                R"(,"caller_connection_id":{"__connection_id__":7},"reducer_call":{"reducer_name":"add",)"
                R"("reducer_id":3,"args":"[2,\"b\"]","request_id":5},)"
                R"("energy_quanta_used":{"quanta":1267650600228229401496703205381},)"
                R"("total_host_execution_duration":{"__time_duration_micros__":150}}})");

  JsonServerMessage failed = TransactionUpdate<J>{Failed{"boom"}, sats::Timestamp(0), SampleIdentity(),
                                                  sats::ConnectionId(1), ReducerCallInfo<J>{"x", 0, "[]", 0}, 0,
                                                  sats::TimeDuration(0)};
  EXPECT_NE(Json(failed).find(R"({"status":{"Failed":"boom"},)"), std::string::npos) << Json(failed);
  JsonServerMessage energy = TransactionUpdate<J>{OutOfEnergy{}, sats::Timestamp(0), SampleIdentity(),
                                                  sats::ConnectionId(1), ReducerCallInfo<J>{"x", 0, "[]", 0}, 0,
                                                  sats::TimeDuration(0)};
  EXPECT_NE(Json(energy).find(R"({"status":{"OutOfEnergy":[]},)"), std::string::npos) << Json(energy);
}

TEST(V1ServerMessage, JsonOtherMessages) {
  EXPECT_EQ(Json(SubscriptionError{12, 3, 1, std::nullopt, "no such table"}),
            R"({"SubscriptionError":{"total_host_execution_duration_micros":12,"request_id":{"some":3},)"
            R"("query_id":{"some":1},"table_id":{"none":[]},"error":"no such table"}})");
  EXPECT_EQ(Json(OneOffQueryResponse<J>{Hex("0a0b"), std::nullopt, {{"t", {R"({"id":1})"}}}, sats::TimeDuration(5)}),
            R"({"OneOffQueryResponse":{"message_id":"0a0b","error":{"none":[]},"tables":[{"table_name":"t",)"
            R"("rows":["{\"id\":1}"]}],"total_host_execution_duration":{"__time_duration_micros__":5}}})");
  EXPECT_EQ(Json(SubscribeApplied<J>{1, 77, 2, SubscribeRows<J>{4096, "t", TableUpdate<J>{4096, "t", 1, {{{}, {"{}"}}}}}}),
            R"({"SubscribeApplied":{"request_id":1,"total_host_execution_duration_micros":77,"query_id":{"id":2},)"
            R"("rows":{"table_id":4096,"table_name":"t","table_rows":{"table_id":4096,"table_name":"t","num_rows":1,)"
            R"("updates":[{"deletes":[],"inserts":["{}"]}]}}}})");
  EXPECT_EQ(Json(UnsubscribeMultiApplied<J>{5, 11, 3, DatabaseUpdate<J>{}}),
            R"({"UnsubscribeMultiApplied":{"request_id":5,"total_host_execution_duration_micros":11,)"
            R"("query_id":{"id":3},"update":{"tables":[]}}})");
  EXPECT_EQ(Json(ProcedureResult<J>{ProcedureReturned<J>{"42"}, sats::Timestamp(3), sats::TimeDuration(4), 6}),
            R"({"ProcedureResult":{"status":{"Returned":"42"},"timestamp":{"__timestamp_micros_since_unix_epoch__":3},)"
            R"("total_host_execution_duration":{"__time_duration_micros__":4},"request_id":6}})");
  EXPECT_NE(Json(ProcedureResult<J>{ProcedureOutOfEnergy{}, sats::Timestamp(3), sats::TimeDuration(4), 6})
                .find(R"({"status":{"OutOfEnergy":[]},)"),
            std::string::npos);
  EXPECT_EQ(Json(InitialSubscription<J>{DatabaseUpdate<J>{}, 1, sats::TimeDuration(250)}),
            R"({"InitialSubscription":{"database_update":{"tables":[]},"request_id":1,)"
            R"("total_host_execution_duration":{"__time_duration_micros__":250}}})");
  EXPECT_EQ(Json(TransactionUpdateLight<J>{9, DatabaseUpdate<J>{}}),
            R"({"TransactionUpdateLight":{"request_id":9,"update":{"tables":[]}}})");
}

// The SATS type of ServerMessage<JsonFormat>, written from the spec's tables: every JSON message we produce must
// read back as a value of it, and (when it holds no unit payload, which sats_json writes as {} where the
// reference's derived enums write []) the typed writer must reproduce our text exactly.
AlgebraicType JsonServerMessageType() {
  T rows = T::Array(T::String());
  T query_update = sats::NamedProduct({{"deletes", rows}, {"inserts", rows}});
  T table_update = sats::NamedProduct(
      {{"table_id", T::U32()}, {"table_name", T::String()}, {"num_rows", T::U64()}, {"updates", T::Array(query_update)}});
  T db = sats::NamedProduct({{"tables", T::Array(table_update)}});
  T query_id = sats::NamedProduct({{"id", T::U32()}});
  T subscribe_rows = sats::NamedProduct({{"table_id", T::U32()}, {"table_name", T::String()}, {"table_rows", table_update}});
  T applied = sats::NamedProduct({{"request_id", T::U32()}, {"total_host_execution_duration_micros", T::U64()},
                                  {"query_id", query_id}, {"rows", subscribe_rows}});
  T multi = sats::NamedProduct({{"request_id", T::U32()}, {"total_host_execution_duration_micros", T::U64()},
                                {"query_id", query_id}, {"update", db}});
  return sats::NamedSum({
      {"InitialSubscription", sats::NamedProduct({{"database_update", db}, {"request_id", T::U32()},
                                                  {"total_host_execution_duration", T::TimeDuration()}})},
      {"TransactionUpdate",
       sats::NamedProduct(
           {{"status", sats::NamedSum({{"Committed", db}, {"Failed", T::String()}, {"OutOfEnergy", T::Unit()}})},
            {"timestamp", T::Timestamp()},
            {"caller_identity", T::Identity()},
            {"caller_connection_id", T::ConnectionId()},
            {"reducer_call", sats::NamedProduct({{"reducer_name", T::String()}, {"reducer_id", T::U32()},
                                                 {"args", T::String()}, {"request_id", T::U32()}})},
            {"energy_quanta_used", sats::NamedProduct({{"quanta", T::U128()}})},
            {"total_host_execution_duration", T::TimeDuration()}})},
      {"TransactionUpdateLight", sats::NamedProduct({{"request_id", T::U32()}, {"update", db}})},
      {"IdentityToken", sats::NamedProduct({{"identity", T::Identity()}, {"token", T::String()},
                                            {"connection_id", T::ConnectionId()}})},
      {"OneOffQueryResponse",
       sats::NamedProduct({{"message_id", T::Bytes()},
                           {"error", T::Option(T::String())},
                           {"tables", T::Array(sats::NamedProduct({{"table_name", T::String()}, {"rows", rows}}))},
                           {"total_host_execution_duration", T::TimeDuration()}})},
      {"SubscribeApplied", applied},
      {"UnsubscribeApplied", applied},
      {"SubscriptionError",
       sats::NamedProduct({{"total_host_execution_duration_micros", T::U64()}, {"request_id", T::Option(T::U32())},
                           {"query_id", T::Option(T::U32())}, {"table_id", T::Option(T::U32())},
                           {"error", T::String()}})},
      {"SubscribeMultiApplied", multi},
      {"UnsubscribeMultiApplied", multi},
      {"ProcedureResult",
       sats::NamedProduct(
           {{"status", sats::NamedSum({{"Returned", T::String()}, {"OutOfEnergy", T::Unit()}, {"InternalError", T::String()}})},
            {"timestamp", T::Timestamp()},
            {"total_host_execution_duration", T::TimeDuration()},
            {"request_id", T::U32()}})},
  });
}

// The JSON counterpart of each BSATN fixture (rows rendered as delta rows, args as JSON text).
JsonRowList ToJson(const BsatnRowList& rows) {
  static const T row_type = sats::NamedProduct({{"id", T::U32()}, {"name", T::String()}});
  return RowListToJson(row_type, rows, JsonRowShape::kDeltaRow).value();
}

TEST(V1ServerMessage, JsonOfEveryVariantMatchesTheSchema) {
  const AlgebraicType schema = JsonServerMessageType();
  auto convert_table = [](const TableUpdate<B>& t) {
    TableUpdate<J> out{t.table_id, t.table_name, t.num_rows, {}};
    for (const auto& u : t.updates) out.updates.push_back({ToJson(u.deletes), ToJson(u.inserts)});
    return out;
  };
  auto convert_db = [&](const DatabaseUpdate<B>& d) {
    DatabaseUpdate<J> out;
    for (const auto& t : d.tables) out.tables.push_back(convert_table(t));
    return out;
  };
  std::vector<JsonServerMessage> messages = {
      InitialSubscription<J>{convert_db(BsatnDb()), 1, sats::TimeDuration(250)},
      TransactionUpdate<J>{Committed<J>{convert_db(BsatnDb())}, sats::Timestamp(1'700'000'000'000'000),
                           SampleIdentity(), sats::ConnectionId(7), ReducerCallInfo<J>{"add", 3, "[2,\"b\"]", 5},
                           (sats::u128(1) << 100) + 5, sats::TimeDuration(150)},
      TransactionUpdate<J>{Failed{"duplicate id"}, sats::Timestamp(1), SampleIdentity(), sats::ConnectionId(7),
                           ReducerCallInfo<J>{"nope", 0xffffffff, "[]", 0}, 0, sats::TimeDuration(0)},
      TransactionUpdate<J>{OutOfEnergy{}, sats::Timestamp(2), SampleIdentity(), sats::ConnectionId(0),
                           ReducerCallInfo<J>{"x", 1, "{}", 2}, 0, sats::TimeDuration(3)},
      TransactionUpdateLight<J>{9, convert_db(BsatnDb())},
      IdentityToken{SampleIdentity(), "abc", sats::ConnectionId((sats::u128(0x0123456789abcdefULL) << 64) | 1)},
      OneOffQueryResponse<J>{Hex("0a0b"), std::nullopt, {{"person", {"{\"id\":1}"}}}, sats::TimeDuration(5)},
      OneOffQueryResponse<J>{{}, std::string("syntax \"error\"\n"), {}, sats::TimeDuration(0)},
      SubscribeApplied<J>{1, 77, 2, SubscribeRows<J>{4096, "person", convert_table(BsatnTable())}},
      UnsubscribeApplied<J>{2, 78, 2, SubscribeRows<J>{4096, "person", convert_table(BsatnTable())}},
      SubscriptionError{12, 3, 1, std::nullopt, "no such table"},
      SubscribeMultiApplied<J>{4, 10, 3, convert_db(BsatnDb())},
      UnsubscribeMultiApplied<J>{5, 11, 3, DatabaseUpdate<J>{}},
      ProcedureResult<J>{ProcedureReturned<J>{"42"}, sats::Timestamp(3), sats::TimeDuration(4), 6},
      ProcedureResult<J>{ProcedureOutOfEnergy{}, sats::Timestamp(3), sats::TimeDuration(4), 7},
      ProcedureResult<J>{ProcedureInternalError{"trap"}, sats::Timestamp(0), sats::TimeDuration(0), 8},
  };
  size_t compared = 0;
  for (const JsonServerMessage& m : messages) {
    std::string text = Json(m);
    auto value = sats::sats_json::Read(schema, text);
    ASSERT_TRUE(value.ok()) << text << "\n" << value.error().message();
    EXPECT_EQ(value->AsSum().tag, m.index());
    bool has_unit_payload =
        text.find(R"("none":[])") != std::string::npos || text.find(R"("OutOfEnergy":[])") != std::string::npos;
    if (!has_unit_payload) {
      EXPECT_EQ(sats::sats_json::ToTypedJson(schema, *value), text);
      ++compared;
    }
  }
  EXPECT_EQ(compared, messages.size() - 4);
}

// --- JSON rows -------------------------------------------------------------------------------------------------

TEST(V1JsonRows, TableRowsAreObjectsAndDeltaRowsAreArrays) {
  T status = sats::NamedSum({{"Active", T::Unit()}, {"Banned", T::String()}});
  T row_type = sats::NamedProduct({{"id", T::U32()}, {"name", T::String()}, {"owner", T::Identity()}, {"status", status}});
  Bytes row;
  sats::bsatn::Writer w(row);
  w.U32(1);
  w.String("ann");
  SampleIdentity().Encode(w);
  w.U8(1);
  w.String("spam");

  auto table = RowToJson(row_type, row, JsonRowShape::kTableRow);
  ASSERT_TRUE(table.ok()) << table.error().message();
  EXPECT_EQ(*table, std::string(R"({"id":1,"name":"ann","owner":)") + kSampleIdentityJson + R"(,"status":{"Banned":"spam"}})");

  auto delta = RowToJson(row_type, row, JsonRowShape::kDeltaRow);
  ASSERT_TRUE(delta.ok()) << delta.error().message();
  EXPECT_EQ(*delta,
            R"([1,"ann",["0xc200000000000000000000000000000000000000000000000000000000000001"],[1,"spam"]])");

  // A typespace reference as the row type.
  sats::Typespace ts;
  ts.types.push_back(row_type);
  auto via_ref = RowToJson(T::Ref(0), row, JsonRowShape::kTableRow, &ts);
  ASSERT_TRUE(via_ref.ok()) << via_ref.error().message();
  EXPECT_EQ(*via_ref, *table);

  // Whole lists, and rows that do not match the type.
  BsatnRowList list = Rows({{1, "a"}, {2, "b"}});
  T person = sats::NamedProduct({{"id", T::U32()}, {"name", T::String()}});
  EXPECT_EQ(RowListToJson(person, list, JsonRowShape::kTableRow).value(),
            (JsonRowList{R"({"id":1,"name":"a"})", R"({"id":2,"name":"b"})"}));
  EXPECT_EQ(RowListToJson(person, list, JsonRowShape::kDeltaRow).value(), (JsonRowList{R"([1,"a"])", R"([2,"b"])"}));
  EXPECT_FALSE(RowListToJson(row_type, list, JsonRowShape::kDeltaRow).ok());
  EXPECT_FALSE(RowToJson(person, Hex("01000000"), JsonRowShape::kTableRow).ok());
}

}  // namespace
}  // namespace stdb::server::protocol::v1
