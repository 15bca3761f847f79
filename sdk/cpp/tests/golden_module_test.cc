// The golden module (golden_module.cc) against spec/module-abi.md §5.7: its __describe_module__ output is the
// 235-byte vector of the spec, byte for byte; it decodes with src/sats into the described structure; the host's
// preinit order is the one §7.2 gives; and its reducers run through __call_reducer__ with the sequence
// write-back of an auto-increment insert.
#include <gtest/gtest.h>

#include <algorithm>

#include "fake_host.h"
#include "sats/special_types.h"
#include "spacetimedb/internal/preinit.h"

namespace stdb::sdk_test {
namespace {

sats::Bytes Hex(std::string_view hex) {
  sats::Bytes out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(uint8_t(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

const char* kGoldenHex =
    "020500000000010000000202000000000200000069640b00040000006e616d65"
    "0401010000000000000006000000506572736f6e000000000102010000000600"
    "0000706572736f6e00000000010000000000010000000013000000706572736f"
    "6e5f69645f6964785f6274726565000200000069640001000000000001000000"
    "0100010000000000010000000100000101010100000000000000000000000000"
    "000001000000000000030200000004000000696e697400000000000200000000"
    "04030000006164640100000000040000006e616d650401020000000004070100"
    "00000004000000696e6974";

sats::Identity Caller() {
  uint8_t bytes[32] = {};
  bytes[0] = 0x2a;
  bytes[31] = 0xc0;
  return sats::Identity::FromLittleEndian(bytes);
}

std::vector<std::string> InfoMessages() {
  std::vector<std::string> out;
  for (const LogRecord& r : FakeHost::Get().logs)
    if (r.level == 2) out.push_back(r.message);
  return out;
}

class GoldenModule : public ::testing::Test {
 protected:
  void SetUp() override { FakeHost::Get().LoadModule(); }
  void TearDown() override { EXPECT_EQ(FakeHost::Get().violations, std::vector<std::string>{}); }
  FakeHost& host = FakeHost::Get();
};

TEST_F(GoldenModule, DescribesExactlyTheSpecGoldenVector) {
  const sats::Bytes golden = Hex(kGoldenHex);
  ASSERT_EQ(golden.size(), 235u);
  EXPECT_EQ(host.module_def_bytes(), golden);
}

TEST_F(GoldenModule, DefinitionDecodesWithTheSpecStructure) {
  const ModuleDefView& def = host.module_def();
  EXPECT_EQ(def.section_tags, (std::vector<uint8_t>{0, 1, 2, 3, 7}));
  ASSERT_EQ(def.typespace.types.size(), 1u);
  EXPECT_EQ(def.typespace.types[0], sats::NamedProduct({{"id", sats::AlgebraicType::U32()},
                                                         {"name", sats::AlgebraicType::String()}}));
  ASSERT_EQ(def.types.size(), 1u);
  EXPECT_EQ(def.types[0].name, "Person");
  EXPECT_TRUE(def.types[0].scope.empty());
  EXPECT_EQ(def.types[0].ty, 0u);
  EXPECT_TRUE(def.types[0].custom_ordering);

  const TableView* person = def.table("person");
  ASSERT_NE(person, nullptr);
  EXPECT_EQ(person->primary_key, (std::vector<uint16_t>{0}));
  ASSERT_EQ(person->indexes.size(), 1u);
  EXPECT_EQ(person->indexes[0].source_name, "person_id_idx_btree");
  EXPECT_EQ(person->indexes[0].accessor_name, "id");
  EXPECT_EQ(person->indexes[0].algorithm, 0);
  ASSERT_EQ(person->constraints.size(), 1u);
  EXPECT_EQ(person->constraints[0].source_name, std::nullopt);
  EXPECT_EQ(person->constraints[0].unique_columns, (std::vector<uint16_t>{0}));
  ASSERT_EQ(person->sequences.size(), 1u);
  EXPECT_EQ(person->sequences[0].column, 0);
  EXPECT_EQ(person->sequences[0].increment, 1);
  EXPECT_FALSE(person->sequences[0].start.has_value());
  EXPECT_EQ(person->table_type, 1);    // User
  EXPECT_EQ(person->table_access, 0);  // Public
  EXPECT_FALSE(person->is_event);

  EXPECT_EQ(def.reducer_names(), (std::vector<std::string>{"init", "add"}));
  EXPECT_EQ(def.reducers[0].visibility, 0);  // Private: lifecycle
  EXPECT_TRUE(def.reducers[0].params.elements.empty());
  EXPECT_EQ(def.reducers[1].visibility, 1);  // ClientCallable
  ASSERT_EQ(def.reducers[1].params.elements.size(), 1u);
  EXPECT_EQ(def.reducers[1].params.elements[0].name, "name");
  EXPECT_TRUE(def.reducers[1].params.elements[0].type.IsString());
  EXPECT_TRUE(def.reducers[1].ok_return_type.IsUnit());
  EXPECT_TRUE(def.reducers[1].err_return_type.IsString());

  ASSERT_EQ(def.lifecycle.size(), 1u);
  EXPECT_EQ(def.lifecycle[0].kind, 0);  // Init
  EXPECT_EQ(def.lifecycle[0].function, "init");
}

TEST_F(GoldenModule, PreinitExportsAreNamedForTheHostsOrder) {
  std::vector<std::string> names;
  for (const auto& [name, function] : SpacetimeDB::Internal::NativePreinits()) names.push_back(name);
  std::sort(names.begin(), names.end());
  ASSERT_EQ(names.size(), 6u);
  EXPECT_EQ(names[0], "__preinit__01_clear_global_state");
  EXPECT_TRUE(names[1].starts_with("__preinit__20_reducer_init")) << names[1];
  EXPECT_TRUE(names[2].starts_with("__preinit__20_register_table_Person_line_")) << names[2];
  EXPECT_TRUE(names[3].starts_with("__preinit__21_field_constraint_person_id_line_")) << names[3];
  EXPECT_EQ(names[4], "__preinit__30_reducer_add");
  EXPECT_EQ(names[5], "__preinit__99_validate_types");
}

TEST_F(GoldenModule, EveryInstanceDescribesTheSameModule) {
  const sats::Bytes first = host.module_def_bytes();
  host.LoadModule();  // a new instance runs every preinit again
  EXPECT_EQ(host.module_def_bytes(), first);
}

TEST_F(GoldenModule, InsertFillsTheAutoIncrementColumnFromTheHostsWriteBack) {
  ReducerCall call = host.CallReducer("add", Encode(sats::AlgebraicValue::String("Ada")), Caller());
  EXPECT_EQ(call.code, 0) << call.error;
  call = host.CallReducer("add", Encode(sats::AlgebraicValue::String("Grace")), Caller());
  EXPECT_EQ(call.code, 0) << call.error;
  EXPECT_EQ(InfoMessages(), (std::vector<std::string>{"added Ada as 1", "added Grace as 2"}));

  const auto rows = host.Rows("person");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].AsProduct().elements[0].as<uint32_t>(), 2u);
  EXPECT_EQ(rows[1].AsProduct().elements[1].AsString(), "Grace");
}

TEST_F(GoldenModule, ErrReturnsOneWithTheMessageAndRollsBack) {
  const ReducerCall call = host.CallReducer("add", Encode(sats::AlgebraicValue::String("")), Caller());
  EXPECT_EQ(call.code, 1);
  EXPECT_EQ(call.error, "name is empty");
  EXPECT_TRUE(host.Rows("person").empty());
}

TEST_F(GoldenModule, LifecycleReducerRunsWithoutArguments) {
  const ReducerCall call = host.CallReducer("init", {}, Caller());
  EXPECT_EQ(call.code, 0) << call.error;
  EXPECT_EQ(InfoMessages(), (std::vector<std::string>{"init with 0 people"}));
  // Logs carry the caller's function name and the source file.
  const LogRecord& record = host.logs.back();
  EXPECT_EQ(record.filename, "golden_module.cc");
  EXPECT_TRUE(record.target.has_value());
  EXPECT_GT(record.line, 0u);
}

TEST_F(GoldenModule, UnknownReducerIdIsAnInternalErrorWithAMessage) {
  const ReducerCall call = host.CallReducerById(7, {}, Caller());
  EXPECT_EQ(call.code, -1);
  EXPECT_EQ(call.error, "Invalid reducer ID: 7");
}

TEST_F(GoldenModule, ArgumentsThatDoNotDecodeAreRejected) {
  // A u32 where a String is expected: too short to be a string of that length.
  const ReducerCall call = host.CallReducer("add", sats::Bytes{0x05, 0, 0, 0, 'a'}, Caller());
  EXPECT_EQ(call.code, 1);
  EXPECT_NE(call.error.find("decode"), std::string::npos) << call.error;
  EXPECT_TRUE(host.Rows("person").empty());
}

}  // namespace
}  // namespace stdb::sdk_test
