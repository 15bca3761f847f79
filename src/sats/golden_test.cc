// Golden vectors from the specs, decoded with generic SATS types written from the spec tables:
//  - the V10 module definition of spec/module-abi.md §5.7 (decodes, has the described structure, re-encodes
//    to the same 235 bytes);
//  - the WebSocket bytes captured between the official TypeScript SDK and a mock server in
//    spec/client-protocol.md §11.6.
#include <gtest/gtest.h>

#include "sats/bsatn.h"
#include "sats/special_types.h"

namespace stdb::sats {
namespace {

using T = AlgebraicType;
using V = AlgebraicValue;

Bytes Hex(std::string_view hex) {
  Bytes out;
  std::string clean;
  for (char c : hex)
    if (std::isxdigit(static_cast<unsigned char>(c))) clean.push_back(c);
  for (size_t i = 0; i + 1 < clean.size(); i += 2) out.push_back(uint8_t(std::stoi(clean.substr(i, 2), nullptr, 16)));
  return out;
}

T Unit() { return T::Unit(); }
T ColList() { return T::Array(T::U16()); }

// The SATS type of AlgebraicType itself, and of ProductType, as a typespace (refs 0, 1, 2).
Typespace MetaTypespace() {
  Typespace ts;
  T element = NamedProduct({{"name", T::Option(T::String())}, {"algebraic_type", T::Ref(0)}});
  std::vector<std::pair<std::string, T>> variants = {
      {"Ref", T::U32()}, {"Sum", T::Ref(1)}, {"Product", T::Ref(2)}, {"Array", T::Ref(0)}};
  for (const char* prim : {"String", "Bool", "I8", "U8", "I16", "U16", "I32", "U32", "I64", "U64", "I128", "U128",
                           "I256", "U256", "F32", "F64"})
    variants.emplace_back(prim, Unit());
  ts.types.push_back(NamedSum(variants));                                // 0: AlgebraicType
  ts.types.push_back(NamedProduct({{"variants", T::Array(element)}}));   // 1: SumType
  ts.types.push_back(NamedProduct({{"elements", T::Array(element)}}));   // 2: ProductType
  return ts;
}

T RawModuleDefType() {
  T opt_string = T::Option(T::String());
  T typespace = NamedProduct({{"types", T::Array(T::Ref(0))}});
  T type_def = NamedProduct({{"source_name", NamedProduct({{"scope", T::Array(T::String())}, {"source_name", T::String()}})},
                             {"ty", T::U32()},
                             {"custom_ordering", T::Bool()}});
  T index_algo = NamedSum({{"BTree", NamedProduct({{"columns", ColList()}})},
                           {"Hash", NamedProduct({{"columns", ColList()}})},
                           {"Direct", NamedProduct({{"column", T::U16()}})}});
  T index = NamedProduct({{"source_name", opt_string}, {"accessor_name", opt_string}, {"algorithm", index_algo}});
  T constraint = NamedProduct(
      {{"source_name", opt_string}, {"data", NamedSum({{"Unique", NamedProduct({{"columns", ColList()}})}})}});
  T opt_i128 = T::Option(T::I128());
  T sequence = NamedProduct({{"source_name", opt_string}, {"column", T::U16()}, {"start", opt_i128},
                             {"min_value", opt_i128}, {"max_value", opt_i128}, {"increment", T::I128()}});
  T table = NamedProduct({{"source_name", T::String()},
                          {"product_type_ref", T::U32()},
                          {"primary_key", ColList()},
                          {"indexes", T::Array(index)},
                          {"constraints", T::Array(constraint)},
                          {"sequences", T::Array(sequence)},
                          {"table_type", NamedSum({{"System", Unit()}, {"User", Unit()}})},
                          {"table_access", NamedSum({{"Public", Unit()}, {"Private", Unit()}})},
                          {"default_values", T::Array(NamedProduct({{"col_id", T::U16()}, {"value", T::Bytes()}}))},
                          {"is_event", T::Bool()}});
  T reducer = NamedProduct({{"source_name", T::String()},
                            {"params", T::Ref(2)},
                            {"visibility", NamedSum({{"Private", Unit()}, {"ClientCallable", Unit()}})},
                            {"ok_return_type", T::Ref(0)},
                            {"err_return_type", T::Ref(0)}});
  T lifecycle = NamedProduct({{"lifecycle_spec", NamedSum({{"Init", Unit()}, {"OnConnect", Unit()}, {"OnDisconnect", Unit()}})},
                              {"function_name", T::String()}});
  T section = NamedSum({{"Typespace", typespace},
                        {"Types", T::Array(type_def)},
                        {"Tables", T::Array(table)},
                        {"Reducers", T::Array(reducer)},
                        {"Procedures", T::Never()},
                        {"Views", T::Never()},
                        {"Schedules", T::Never()},
                        {"LifeCycleReducers", T::Array(lifecycle)}});
  T v10 = NamedProduct({{"sections", T::Array(section)}});
  return NamedSum({{"V8BackCompat", T::Never()}, {"V9", T::Never()}, {"V10", v10}});
}

const char* kModuleDefHex =
    "020500000000010000000202000000000200000069640b00040000006e616d65"
    "0401010000000000000006000000506572736f6e000000000102010000000600"
    "0000706572736f6e00000000010000000000010000000013000000706572736f"
    "6e5f69645f6964785f6274726565000200000069640001000000000001000000"
    "0100010000000000010000000100000101010100000000000000000000000000"
    "000001000000000000030200000004000000696e697400000000000200000000"
    "04030000006164640100000000040000006e616d650401020000000004070100"
    "00000004000000696e6974";

const V& Field(const V& product, size_t i) { return product.AsProduct().elements.at(i); }
const V& Payload(const V& sum) { return *sum.AsSum().payload; }

TEST(Golden, ModuleDefV10DecodesAndReencodes) {
  Bytes bytes = Hex(kModuleDefHex);
  ASSERT_EQ(bytes.size(), 235u);
  Typespace meta = MetaTypespace();
  auto decoded = bsatn::DecodeValue(RawModuleDefType(), bytes, &meta);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message();
  EXPECT_EQ(bsatn::EncodeValue(*decoded), bytes);

  ASSERT_EQ(decoded->AsSum().tag, 2);  // V10
  const auto& sections = Field(Payload(*decoded), 0).AsArray().elements;
  ASSERT_EQ(sections.size(), 5u);
  std::vector<int> tags;
  for (const auto& s : sections) tags.push_back(s.AsSum().tag);
  EXPECT_EQ(tags, (std::vector<int>{0, 1, 2, 3, 7}));

  // Typespace: [Product{id: U32, name: String}]
  const V& types = Field(Payload(sections[0]), 0);
  ASSERT_EQ(types.AsArray().elements.size(), 1u);
  const V& person_type = types.AsArray().elements[0];
  EXPECT_EQ(person_type.AsSum().tag, 2);  // Product
  const auto& elements = Field(Payload(person_type), 0).AsArray().elements;
  ASSERT_EQ(elements.size(), 2u);
  EXPECT_EQ(Payload(Field(elements[0], 0)).AsString(), "id");
  EXPECT_EQ(Field(elements[0], 1).AsSum().tag, static_cast<int>(TypeTag::kU32));
  EXPECT_EQ(Payload(Field(elements[1], 0)).AsString(), "name");
  EXPECT_EQ(Field(elements[1], 1).AsSum().tag, static_cast<int>(TypeTag::kString));

  // Types: Person -> 0, custom ordering.
  const V& type_def = Payload(sections[1]).AsArray().elements.at(0);
  EXPECT_EQ(Field(Field(type_def, 0), 1).AsString(), "Person");
  EXPECT_EQ(Field(type_def, 1).as<uint32_t>(), 0u);
  EXPECT_TRUE(Field(type_def, 2).AsBool());

  // Table person: pk [0], btree index, unique constraint, sequence, User, Public.
  const V& table = Payload(sections[2]).AsArray().elements.at(0);
  EXPECT_EQ(Field(table, 0).AsString(), "person");
  EXPECT_EQ(Field(table, 2).AsArray().elements.size(), 1u);
  const V& index = Field(table, 3).AsArray().elements.at(0);
  EXPECT_EQ(Payload(Field(index, 0)).AsString(), "person_id_idx_btree");
  EXPECT_EQ(Payload(Field(index, 1)).AsString(), "id");
  EXPECT_EQ(Field(index, 2).AsSum().tag, 0);  // BTree
  const V& constraint = Field(table, 4).AsArray().elements.at(0);
  EXPECT_EQ(Field(constraint, 0).AsSum().tag, 1);  // name None
  const V& sequence = Field(table, 5).AsArray().elements.at(0);
  EXPECT_EQ(Field(sequence, 1).as<uint16_t>(), 0);
  EXPECT_EQ(Field(sequence, 5).as<i128>(), 1);
  EXPECT_EQ(Field(table, 6).AsSum().tag, 1);  // User
  EXPECT_EQ(Field(table, 7).AsSum().tag, 0);  // Public
  EXPECT_FALSE(Field(table, 9).AsBool());

  // Reducers init (Private) and add(name: String) (ClientCallable); unit ok type, String err type.
  const auto& reducers = Payload(sections[3]).AsArray().elements;
  ASSERT_EQ(reducers.size(), 2u);
  EXPECT_EQ(Field(reducers[0], 0).AsString(), "init");
  EXPECT_EQ(Field(reducers[0], 2).AsSum().tag, 0);
  EXPECT_EQ(Field(reducers[1], 0).AsString(), "add");
  EXPECT_EQ(Field(reducers[1], 2).AsSum().tag, 1);
  EXPECT_EQ(Field(reducers[1], 3).AsSum().tag, static_cast<int>(TypeTag::kProduct));
  EXPECT_EQ(Field(reducers[1], 4).AsSum().tag, static_cast<int>(TypeTag::kString));

  // Lifecycle Init -> init.
  const V& lifecycle = Payload(sections[4]).AsArray().elements.at(0);
  EXPECT_EQ(Field(lifecycle, 0).AsSum().tag, 0);
  EXPECT_EQ(Field(lifecycle, 1).AsString(), "init");

  // Every truncation of the vector is rejected.
  for (size_t n = 0; n < bytes.size(); ++n)
    EXPECT_FALSE(bsatn::ValidateValue(RawModuleDefType(), ByteSpan(bytes.data(), n), &meta).ok()) << n;
}

// v2 protocol types (client-protocol.md §4, §7).
T RowList() {
  return NamedProduct({{"size_hint", NamedSum({{"FixedSize", T::U16()}, {"RowOffsets", T::Array(T::U64())}})},
                       {"rows_data", T::Bytes()}});
}

T ClientMessageV2() {
  return NamedSum({{"Subscribe", NamedProduct({{"request_id", T::U32()}, {"query_set_id", T::U32()},
                                               {"query_strings", T::Array(T::String())}})},
                   {"Unsubscribe", NamedProduct({{"request_id", T::U32()}, {"query_set_id", T::U32()}, {"flags", T::U8()}})},
                   {"OneOffQuery", NamedProduct({{"request_id", T::U32()}, {"query_string", T::String()}})},
                   {"CallReducer", NamedProduct({{"request_id", T::U32()}, {"flags", T::U8()},
                                                 {"reducer", T::String()}, {"args", T::Bytes()}})}});
}

T ServerMessageV2() {
  T query_rows = NamedProduct({{"tables", T::Array(NamedProduct({{"table", T::String()}, {"rows", RowList()}}))}});
  T table_update_rows = NamedSum({{"PersistentTable", NamedProduct({{"inserts", RowList()}, {"deletes", RowList()}})},
                                  {"EventTable", NamedProduct({{"events", RowList()}})}});
  T table_update = NamedProduct({{"table_name", T::String()}, {"rows", T::Array(table_update_rows)}});
  T query_set_update = NamedProduct({{"query_set_id", T::U32()}, {"tables", T::Array(table_update)}});
  T tx_update = NamedProduct({{"query_sets", T::Array(query_set_update)}});
  T reducer_outcome = NamedSum({{"Ok", NamedProduct({{"ret_value", T::Bytes()}, {"transaction_update", tx_update}})},
                                {"OkEmpty", Unit()},
                                {"Err", T::Bytes()},
                                {"InternalError", T::String()}});
  return NamedSum(
      {{"InitialConnection",
        NamedProduct({{"identity", T::Identity()}, {"connection_id", T::ConnectionId()}, {"token", T::String()}})},
       {"SubscribeApplied", NamedProduct({{"request_id", T::U32()}, {"query_set_id", T::U32()}, {"rows", query_rows}})},
       {"UnsubscribeApplied", T::Never()},
       {"SubscriptionError", T::Never()},
       {"TransactionUpdate", tx_update},
       {"OneOffQueryResult", T::Never()},
       {"ReducerResult", NamedProduct({{"request_id", T::U32()}, {"timestamp", T::Timestamp()},
                                       {"result", reducer_outcome}})}});
}

TEST(Golden, TypeScriptSdkClientMessages) {
  Bytes subscribe = Hex("00 00000000 00000000 01000000 0f000000 53454c454354202a2046524f4d2074");
  ASSERT_EQ(subscribe.size(), 32u);
  auto m = bsatn::DecodeValue(ClientMessageV2(), subscribe);
  ASSERT_TRUE(m.ok()) << m.error().message();
  EXPECT_EQ(m->AsSum().tag, 0);
  EXPECT_EQ(Field(Payload(*m), 2).AsArray().elements.at(0).AsString(), "SELECT * FROM t");

  Bytes call = Hex("03 01000000 00 03000000 616464 0b000000 2a000000 03000000 626f62");
  ASSERT_EQ(call.size(), 28u);
  m = bsatn::DecodeValue(ClientMessageV2(), call);
  ASSERT_TRUE(m.ok()) << m.error().message();
  EXPECT_EQ(m->AsSum().tag, 3);
  EXPECT_EQ(Field(Payload(*m), 2).AsString(), "add");
  auto args = bsatn::DecodeValue(NamedProduct({{"id", T::U32()}, {"name", T::String()}}), Field(Payload(*m), 3).AsBytes());
  ASSERT_TRUE(args.ok());
  EXPECT_EQ(Field(*args, 0).as<uint32_t>(), 42u);
  EXPECT_EQ(Field(*args, 1).AsString(), "bob");
}

TEST(Golden, ServerMessagesTheSdkAccepted) {
  // SubscribeApplied after the compression byte 00.
  Bytes applied = Hex("01 00000000 00000000 01000000 01000000 74 01 01000000 0000000000000000 0d000000 01000000 05000000 616c696365");
  auto m = bsatn::DecodeValue(ServerMessageV2(), applied);
  ASSERT_TRUE(m.ok()) << m.error().message();
  EXPECT_EQ(m->AsSum().tag, 1);
  const V& table = Field(Field(Payload(*m), 2), 0).AsArray().elements.at(0);
  EXPECT_EQ(Field(table, 0).AsString(), "t");
  const V& rows = Field(table, 1);
  EXPECT_EQ(Field(rows, 0).AsSum().tag, 1);  // RowOffsets
  auto row = bsatn::DecodeValue(NamedProduct({{"id", T::U32()}, {"name", T::String()}}), Field(rows, 1).AsBytes());
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(Field(*row, 1).AsString(), "alice");

  // ReducerResult with an Ok outcome holding one query set update (timestamp bytes chosen here).
  Bytes result = Hex(
      "06 01000000 0100000000000000 00 00000000 01000000 00000000 01000000 01000000 74 01000000 00"
      " 01 01000000 0000000000000000 0b000000 2a00000003000000626f62"
      " 01 00000000 00000000");
  m = bsatn::DecodeValue(ServerMessageV2(), result);
  ASSERT_TRUE(m.ok()) << m.error().message();
  EXPECT_EQ(m->AsSum().tag, 6);
  const V& outcome = Field(Payload(*m), 2);
  EXPECT_EQ(outcome.AsSum().tag, 0);
  const V& set = Field(Field(Payload(outcome), 1), 0).AsArray().elements.at(0);
  const V& update = Field(set, 1).AsArray().elements.at(0);
  EXPECT_EQ(Field(update, 0).AsString(), "t");
  const V& persistent = Field(update, 1).AsArray().elements.at(0);
  EXPECT_EQ(persistent.AsSum().tag, 0);
  EXPECT_EQ(Field(Field(Payload(persistent), 0), 1).AsBytes().size(), 11u);  // inserts first
  EXPECT_EQ(Field(Field(Payload(persistent), 1), 1).AsBytes().size(), 0u);

  // InitialConnection: identity LE bytes 01 00 .. 00 c2 display as c200...0001 (big-endian hex).
  Bytes hello = Hex("00");
  Bytes identity(32, 0);
  identity[0] = 0x01;
  identity[31] = 0xc2;
  hello.insert(hello.end(), identity.begin(), identity.end());
  Bytes conn(16, 0x11);
  hello.insert(hello.end(), conn.begin(), conn.end());
  Bytes token = Hex("03000000 616263");
  hello.insert(hello.end(), token.begin(), token.end());
  m = bsatn::DecodeValue(ServerMessageV2(), hello);
  ASSERT_TRUE(m.ok()) << m.error().message();
  auto id = Identity::FromValue(Field(Payload(*m), 0));
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->ToHex(), "c2" + std::string(60, '0') + "01");
  EXPECT_EQ(Field(Payload(*m), 2).AsString(), "abc");
}

}  // namespace
}  // namespace stdb::sats
