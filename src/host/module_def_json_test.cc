#include "host/module_def_json.h"

#include <gtest/gtest.h>

#include "host/module_def_builder.h"

namespace stdb::host {
namespace {

using host::testing::T;
using host::testing::V10Builder;

host::RawModuleDefV10 ChatModule() {
  V10Builder b;
  uint32_t user = b.AddType(
      sats::NamedProduct({{"identity", T::Identity()}, {"name", T::Option(T::String())}, {"online", T::Bool()}}), "User");
  auto& t = b.AddTable("user", user);
  V10Builder::PrimaryKeyAutoInc(t, 0, "identity");
  t.sequences.clear();
  b.AddReducer("set_name", sats::ProductType({{std::string("name"), T::String()}}));
  b.AddReducer("client_connected", {}, host::FunctionVisibility::kPrivate);
  b.lifecycles.push_back({host::Lifecycle::kOnConnect, "client_connected"});
  b.schedules.push_back({std::nullopt, "user", 0, "set_name"});
  b.policy = host::CaseConversionPolicy::kSnakeCase;
  b.explicit_names.entries.push_back({host::ExplicitNameEntry::Kind::kTable, {"user", "user"}});
  b.routes.push_back({"h", host::HttpMethod{host::HttpMethod::Kind::kExtension, "PURGE"}, "/p"});
  b.rls.push_back({"SELECT * FROM user"});
  return b.Build();
}

TEST(ModuleDefJsonTest, V10RoundTripsThroughJson) {
  host::RawModuleDef def(std::in_place_index<1>, ChatModule());
  std::string json = WriteRawModuleDefJson(def);
  EXPECT_EQ(json.rfind("{\"V10\":{\"sections\":[{\"Typespace\":", 0), 0u) << json;
  auto read = ReadRawModuleDefJson(json);
  ASSERT_TRUE(read.ok()) << read.error().message();
  EXPECT_EQ(host::EncodeRawModuleDef(*read), host::EncodeRawModuleDef(def));
}

TEST(ModuleDefJsonTest, V9RoundTripsThroughJson) {
  host::RawModuleDefV9 v9;
  v9.typespace.types.push_back(sats::NamedProduct({{"id", T::U32()}, {"name", T::String()}}));
  host::RawTableDefV9 table;
  table.name = "person";
  table.product_type_ref = 0;
  table.primary_key = {0};
  table.indexes.push_back({std::string("person_id_idx_btree"), std::string("id"), host::RawIndexAlgorithm::Direct(0)});
  table.schedule = host::RawScheduleDefV9{std::nullopt, "tick", 1};
  v9.tables.push_back(table);
  v9.reducers.push_back({"add", sats::ProductType({{std::string("name"), T::String()}}), std::nullopt});
  v9.reducers.push_back({"init", {}, host::Lifecycle::kInit});
  v9.types.push_back({{}, "Person", 0, true});
  v9.misc_exports.push_back(host::RawColumnDefaultValueV9{"person", 1, {1, 2, 3}});
  host::RawModuleDef def(std::in_place_index<0>, v9);
  std::string json = WriteRawModuleDefJson(def);
  auto read = ReadRawModuleDefJson(json);
  ASSERT_TRUE(read.ok()) << read.error().message();
  EXPECT_EQ(host::EncodeRawModuleDef(*read), host::EncodeRawModuleDef(def));
}

TEST(ModuleDefJsonTest, ReadsTheReferenceSpellingOfTypes) {
  // The reference writes unit payloads as [] and options as {"some": ...} / {"none": []}; a bare V10 object is what
  // /schema?version=10 returns.
  const char* json = R"({"sections":[
    {"Typespace":{"types":[{"Product":{"elements":[
      {"name":{"some":"id"},"algebraic_type":{"U32":[]}},
      {"name":{"some":"tags"},"algebraic_type":{"Array":{"String":[]}}},
      {"name":{"some":"owner"},"algebraic_type":{"Product":{"elements":[{"name":{"some":"__identity__"},"algebraic_type":{"U256":[]}}]}}}]}}]}},
    {"Types":[{"source_name":{"scope":[],"source_name":"Thing"},"ty":0,"custom_ordering":true}]},
    {"Tables":[{"source_name":"thing","product_type_ref":0,"primary_key":[0],
      "indexes":[{"source_name":{"some":"thing_id_idx_btree"},"accessor_name":{"some":"id"},"algorithm":{"BTree":{"columns":[0]}}}],
      "constraints":[{"source_name":{"none":[]},"data":{"Unique":{"columns":[0]}}}],
      "sequences":[{"source_name":{"none":[]},"column":0,"start":{"none":[]},"min_value":{"none":[]},"max_value":{"some":1000},"increment":1}],
      "table_type":{"User":[]},"table_access":{"Public":[]},"default_values":[],"is_event":false}]},
    {"Reducers":[{"source_name":"add","params":{"elements":[{"name":{"some":"id"},"algebraic_type":{"U32":[]}}]},
      "visibility":{"ClientCallable":[]},"ok_return_type":{"Product":{"elements":[]}},"err_return_type":{"String":[]}}]}
  ]})";
  auto read = ReadSchemaJson(json, 10);
  ASSERT_TRUE(read.ok()) << read.error().message();
  const auto& v10 = std::get<host::RawModuleDefV10>(*read);
  ASSERT_NE(v10.tables(), nullptr);
  const auto& table = v10.tables()->at(0);
  EXPECT_EQ(table.source_name, "thing");
  EXPECT_EQ(table.sequences[0].max_value, host::i128(1000));
  EXPECT_TRUE(v10.typespace()->types[0].product().elements[2].type.IsIdentity());
  EXPECT_EQ(v10.reducers()->at(0).source_name, "add");
  auto bare = ReadRawModuleDefJson(json);
  ASSERT_TRUE(bare.ok());
}

TEST(ModuleDefJsonTest, ErrorsSayWhatIsWrong) {
  auto not_json = ReadRawModuleDefJson("{");
  ASSERT_FALSE(not_json.ok());
  EXPECT_NE(not_json.error().message().find("not a SpacetimeDB module definition"), std::string::npos);
  auto v8 = ReadRawModuleDefJson(R"({"V8BackCompat": {}})");
  ASSERT_FALSE(v8.ok());
  EXPECT_NE(v8.error().message().find("V8 (SpacetimeDB before 1.0)"), std::string::npos);
  auto wrong = ReadRawModuleDefJson(R"({"V10": {"sections": [{"Tables": [{"source_name": 5}]}]}})");
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message().find("not a SpacetimeDB module definition"), std::string::npos);
  auto other = ReadRawModuleDefJson(R"({"hello": 1})");
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.error().message().find("expected {\"V10\": {...}}"), std::string::npos);
}

}  // namespace
}  // namespace stdb::host
