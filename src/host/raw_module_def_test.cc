#include "host/raw_module_def.h"

#include <gtest/gtest.h>

#include <random>

namespace stdb::host {
namespace {

using T = sats::AlgebraicType;

sats::Bytes Hex(std::string_view hex) {
  sats::Bytes out;
  std::string clean;
  for (char c : hex)
    if (std::isxdigit(static_cast<unsigned char>(c))) clean.push_back(c);
  for (size_t i = 0; i + 1 < clean.size(); i += 2) out.push_back(uint8_t(std::stoi(clean.substr(i, 2), nullptr, 16)));
  return out;
}

// spec/module-abi.md §5.7, produced by the C++ SDK's serializer.
const char* kGoldenV10Hex =
    "020500000000010000000202000000000200000069640b00040000006e616d65"
    "0401010000000000000006000000506572736f6e000000000102010000000600"
    "0000706572736f6e00000000010000000000010000000013000000706572736f"
    "6e5f69645f6964785f6274726565000200000069640001000000000001000000"
    "0100010000000000010000000100000101010100000000000000000000000000"
    "000001000000000000030200000004000000696e697400000000000200000000"
    "04030000006164640100000000040000006e616d650401020000000004070100"
    "00000004000000696e6974";

TEST(RawModuleDef, GoldenVectorDecodesIntoTypedStructs) {
  sats::Bytes bytes = Hex(kGoldenV10Hex);
  ASSERT_EQ(bytes.size(), 235u);
  auto decoded = DecodeRawModuleDef(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message();
  ASSERT_TRUE(std::holds_alternative<RawModuleDefV10>(*decoded));
  const auto& def = std::get<RawModuleDefV10>(*decoded);

  std::vector<RawModuleDefV10::SectionKind> kinds;
  for (const auto& s : def.sections) kinds.push_back(s.kind());
  using K = RawModuleDefV10::SectionKind;
  EXPECT_EQ(kinds, (std::vector<K>{K::kTypespace, K::kTypes, K::kTables, K::kReducers, K::kLifecycleReducers}));

  ASSERT_NE(def.typespace(), nullptr);
  ASSERT_EQ(def.typespace()->types.size(), 1u);
  EXPECT_EQ(def.typespace()->types[0], sats::NamedProduct({{"id", T::U32()}, {"name", T::String()}}));

  ASSERT_NE(def.types(), nullptr);
  EXPECT_EQ(*def.types(), (std::vector<RawTypeDef>{{{}, "Person", 0, true}}));

  ASSERT_NE(def.tables(), nullptr);
  ASSERT_EQ(def.tables()->size(), 1u);
  const RawTableDefV10& table = def.tables()->at(0);
  EXPECT_EQ(table.source_name, "person");
  EXPECT_EQ(table.product_type_ref, 0u);
  EXPECT_EQ(table.primary_key, (ColList{0}));
  ASSERT_EQ(table.indexes.size(), 1u);
  EXPECT_EQ(table.indexes[0].name, "person_id_idx_btree");
  EXPECT_EQ(table.indexes[0].accessor_name, "id");
  EXPECT_EQ(table.indexes[0].algorithm, RawIndexAlgorithm::BTree({0}));
  ASSERT_EQ(table.constraints.size(), 1u);
  EXPECT_EQ(table.constraints[0], (RawConstraintDef{std::nullopt, {0}}));
  ASSERT_EQ(table.sequences.size(), 1u);
  EXPECT_EQ(table.sequences[0], (RawSequenceDef{std::nullopt, 0, std::nullopt, std::nullopt, std::nullopt, 1}));
  EXPECT_EQ(table.table_type, TableType::kUser);
  EXPECT_EQ(table.table_access, TableAccess::kPublic);
  EXPECT_TRUE(table.default_values.empty());
  EXPECT_FALSE(table.is_event);

  ASSERT_NE(def.reducers(), nullptr);
  ASSERT_EQ(def.reducers()->size(), 2u);
  const auto& init = def.reducers()->at(0);
  EXPECT_EQ(init.source_name, "init");
  EXPECT_TRUE(init.params.elements.empty());
  EXPECT_EQ(init.visibility, FunctionVisibility::kPrivate);
  EXPECT_TRUE(init.ok_return_type.IsUnit());
  EXPECT_TRUE(init.err_return_type.IsString());
  const auto& add = def.reducers()->at(1);
  EXPECT_EQ(add.source_name, "add");
  EXPECT_EQ(add.params, sats::ProductType({{"name", T::String()}}));
  EXPECT_EQ(add.visibility, FunctionVisibility::kClientCallable);

  ASSERT_NE(def.lifecycle_reducers(), nullptr);
  EXPECT_EQ(*def.lifecycle_reducers(), (std::vector<RawLifecycleReducerDefV10>{{Lifecycle::kInit, "init"}}));

  EXPECT_EQ(def.procedures(), nullptr);
  EXPECT_EQ(def.schedules(), nullptr);
  EXPECT_FALSE(def.case_conversion_policy().has_value());
}

TEST(RawModuleDef, GoldenVectorReencodesToTheSameBytes) {
  sats::Bytes bytes = Hex(kGoldenV10Hex);
  auto decoded = DecodeRawModuleDef(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message();
  EXPECT_EQ(EncodeRawModuleDef(*decoded), bytes);
}

RawModuleDefV10 EverySectionV10() {
  using S = RawModuleDefV10Section;
  RawModuleDefV10 def;
  sats::Typespace ts;
  ts.types.push_back(sats::NamedProduct({{"scheduled_id", T::U64()}, {"at", T::ScheduleAt()}}));
  def.sections.push_back({S::Payload(std::in_place_index<0>, ts)});
  def.sections.push_back({S::Payload(std::in_place_index<1>, std::vector<RawTypeDef>{{{"Ns"}, "Tick", 0, false}})});
  RawTableDefV10 table;
  table.source_name = "tick";
  table.primary_key = {0};
  table.indexes = {{"tick_scheduled_id_idx_btree", "scheduled_id", RawIndexAlgorithm::BTree({0})},
                   {"h", std::nullopt, RawIndexAlgorithm::Hash({0, 1})},
                   {"d", "direct", RawIndexAlgorithm::Direct(0)}};
  table.constraints = {{"c", {0}}};
  table.sequences = {{"s", 0, sats::i128(5), sats::i128(-3), std::nullopt, -2}};
  table.table_type = TableType::kSystem;
  table.table_access = TableAccess::kPrivate;
  table.default_values = {{1, {1, 2, 3}}};
  table.is_event = true;
  def.sections.push_back({S::Payload(std::in_place_index<2>, std::vector<RawTableDefV10>{table})});
  def.sections.push_back({S::Payload(std::in_place_index<3>, std::vector<RawReducerDefV10>{
                                                                 {"tick", sats::ProductType({{"arg", T::Ref(0)}}),
                                                                  FunctionVisibility::kPrivate, T::Unit(), T::String()}})});
  def.sections.push_back({S::Payload(std::in_place_index<4>, std::vector<RawProcedureDefV10>{
                                                                 {"proc", {}, T::U32(), FunctionVisibility::kPrivate}})});
  def.sections.push_back({S::Payload(std::in_place_index<5>, std::vector<RawViewDefV10>{
                                                                 {"v", 7, true, true, {}, T::Array(T::Ref(0))}})});
  def.sections.push_back(
      {S::Payload(std::in_place_index<6>, std::vector<RawScheduleDefV10>{{"sched", "tick", 1, "tick"}})});
  def.sections.push_back({S::Payload(std::in_place_index<7>, std::vector<RawLifecycleReducerDefV10>{
                                                                 {Lifecycle::kOnDisconnect, "bye"}})});
  def.sections.push_back(
      {S::Payload(std::in_place_index<8>, std::vector<RawRowLevelSecurityDef>{{"SELECT * FROM tick"}})});
  def.sections.push_back({S::Payload(std::in_place_index<9>, CaseConversionPolicy::kNone)});
  def.sections.push_back({S::Payload(std::in_place_index<10>,
                                     ExplicitNames{{{ExplicitNameEntry::Kind::kTable, {"tick", "ticks"}},
                                                    {ExplicitNameEntry::Kind::kFunction, {"proc", "p"}},
                                                    {ExplicitNameEntry::Kind::kIndex, {"h", "hh"}}}})});
  def.sections.push_back({S::Payload(std::in_place_index<11>, std::vector<RawHttpHandlerDefV10>{{"handler"}})});
  HttpMethod ext{HttpMethod::Kind::kExtension, "PURGE"};
  def.sections.push_back({S::Payload(std::in_place_index<12>,
                                     std::vector<RawHttpRouteDefV10>{{"handler", std::nullopt, "/a"},
                                                                     {"handler", HttpMethod{HttpMethod::Kind::kPatch, ""}, "/b"},
                                                                     {"handler", ext, "/c"}})});
  def.sections.push_back({S::Payload(std::in_place_index<13>, std::vector<RawViewPrimaryKeyDefV10>{{"v", {"scheduled_id"}}})});
  RawModuleDefV10 inner;
  inner.sections.push_back({S::Payload(std::in_place_index<9>, CaseConversionPolicy::kSnakeCase)});
  def.sections.push_back({S::Payload(std::in_place_index<14>, std::vector<RawSubmoduleV10>{{"lib", inner}})});
  // A second Tables section: kept for re-encoding, ignored by readers.
  def.sections.push_back({S::Payload(std::in_place_index<2>, std::vector<RawTableDefV10>{})});
  return def;
}

TEST(RawModuleDef, EverySectionRoundTrips) {
  RawModuleDef def(std::in_place_index<1>, EverySectionV10());
  sats::Bytes bytes = EncodeRawModuleDef(def);
  auto decoded = DecodeRawModuleDef(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message();
  EXPECT_EQ(*decoded, def);
  EXPECT_EQ(EncodeRawModuleDef(*decoded), bytes);

  const auto& v10 = std::get<RawModuleDefV10>(*decoded);
  ASSERT_NE(v10.tables(), nullptr);
  EXPECT_EQ(v10.tables()->size(), 1u) << "the first Tables section wins";
  EXPECT_EQ(v10.case_conversion_policy(), CaseConversionPolicy::kNone);
  ASSERT_NE(v10.submodules(), nullptr);
  EXPECT_EQ(v10.submodules()->at(0).module.case_conversion_policy(), CaseConversionPolicy::kSnakeCase);
  EXPECT_EQ(v10.http_routes()->at(2).method->ToString(), "PURGE");
  EXPECT_EQ(v10.tables()->at(0).sequences[0].min_value, sats::i128(-3));
}

RawModuleDefV9 RichV9() {
  RawModuleDefV9 def;
  def.typespace.types.push_back(sats::NamedProduct({{"id", T::U64()}, {"at", T::ScheduleAt()}}));
  RawTableDefV9 t;
  t.name = "jobs";
  t.primary_key = {0};
  t.indexes = {{std::nullopt, "id", RawIndexAlgorithm::BTree({0})}};
  t.constraints = {{std::nullopt, {0}}};
  t.sequences = {{std::nullopt, 0, std::nullopt, std::nullopt, sats::i128(100), 1}};
  t.schedule = RawScheduleDefV9{std::nullopt, "run", 1};
  t.table_access = TableAccess::kPrivate;
  def.tables.push_back(t);
  def.reducers.push_back({"run", sats::ProductType({{"job", T::Ref(0)}}), std::nullopt});
  def.reducers.push_back({"init", {}, Lifecycle::kInit});
  def.types.push_back({{}, "Job", 0, true});
  def.misc_exports.push_back(RawColumnDefaultValueV9{"jobs", 1, {0, 0}});
  def.misc_exports.push_back(RawProcedureDefV9{"p", {}, T::String()});
  def.misc_exports.push_back(RawViewDefV9{"all_jobs", 0, true, false, {}, T::Array(T::Ref(0))});
  def.row_level_security.push_back({"SELECT * FROM jobs"});
  return def;
}

TEST(RawModuleDef, V9RoundTrips) {
  RawModuleDef def(std::in_place_index<0>, RichV9());
  sats::Bytes bytes = EncodeRawModuleDef(def);
  EXPECT_EQ(bytes[0], 1) << "V9 is tag 1";
  auto decoded = DecodeRawModuleDef(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message();
  EXPECT_EQ(*decoded, def);
  EXPECT_EQ(EncodeRawModuleDef(*decoded), bytes);
}

TEST(RawModuleDef, RejectsEveryTruncation) {
  for (const sats::Bytes& bytes : {Hex(kGoldenV10Hex), EncodeRawModuleDef(RawModuleDef(std::in_place_index<0>, RichV9())),
                                   EncodeRawModuleDef(RawModuleDef(std::in_place_index<1>, EverySectionV10()))}) {
    for (size_t n = 0; n < bytes.size(); ++n) {
      auto r = DecodeRawModuleDef(sats::ByteSpan(bytes.data(), n));
      ASSERT_FALSE(r.ok()) << "prefix of " << n << " bytes decoded";
      EXPECT_EQ(r.error().code(), ErrorCode::kDecode);
    }
  }
}

TEST(RawModuleDef, RejectsTrailingBytes) {
  sats::Bytes bytes = Hex(kGoldenV10Hex);
  bytes.push_back(0);
  auto r = DecodeRawModuleDef(bytes);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("1 trailing bytes"), std::string::npos) << r.error().message();
}

TEST(RawModuleDef, RejectsBadTags) {
  auto expect_error = [](sats::Bytes bytes, const std::string& needle) {
    auto r = DecodeRawModuleDef(bytes);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message().find(needle), std::string::npos) << r.error().message();
  };
  expect_error(Hex("03"), "invalid tag 3 for RawModuleDef version");
  expect_error(Hex("02 01000000 0f"), "invalid tag 15 for RawModuleDefV10Section");
  expect_error(Hex("02 01000000 09 02"), "invalid tag 2 for CaseConversionPolicy");
  // An index algorithm tag 3 inside the golden table (offset of the algorithm byte after "id").
  sats::Bytes golden = Hex(kGoldenV10Hex);
  std::string text(golden.begin(), golden.end());
  // The index's accessor "id" is followed by its algorithm: tag 0 (BTree) and a one-column list.
  size_t accessor = text.find(std::string("\x02\x00\x00\x00id\x00\x01", 8));
  ASSERT_NE(accessor, std::string::npos);
  golden[accessor + 6] = 3;
  expect_error(golden, "invalid tag 3 for RawIndexAlgorithm");
  // is_event is a bool: 2 is not one.
  sats::Bytes table_bool = Hex(kGoldenV10Hex);
  // The table's is_event byte is the one before the Reducers section tag (03) and its count (02000000).
  std::string t2(table_bool.begin(), table_bool.end());
  size_t at = t2.find(std::string("\x03\x02\x00\x00\x00", 5));
  ASSERT_NE(at, std::string::npos);
  table_bool[at - 1] = 2;
  expect_error(table_bool, "invalid bool byte 2");
}

TEST(RawModuleDef, V8IsRejectedAsUnsupported) {
  auto r = DecodeRawModuleDef(Hex("00 00000000"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kUnsupported);
  EXPECT_NE(r.error().message().find("V8"), std::string::npos);
}

TEST(RawModuleDef, HugeCountsFailWithoutAllocating) {
  auto r = DecodeRawModuleDef(Hex("02 ffffffff"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("sections"), std::string::npos) << r.error().message();
  r = DecodeRawModuleDef(Hex("02 01000000 02 ffffff7f"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("tables"), std::string::npos) << r.error().message();
}

TEST(RawModuleDef, DeeplyNestedSubmodulesAreRejected) {
  RawModuleDefV10 def;
  for (int i = 0; i <= kMaxSubmoduleDepth; ++i) {
    RawModuleDefV10 outer;
    outer.sections.push_back({RawModuleDefV10Section::Payload(std::in_place_index<14>,
                                                              std::vector<RawSubmoduleV10>{{"m", std::move(def)}})});
    def = std::move(outer);
  }
  auto r = DecodeRawModuleDef(EncodeRawModuleDef(RawModuleDef(std::in_place_index<1>, def)));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("submodules nested deeper"), std::string::npos) << r.error().message();
}

// Whatever the bytes, decoding either fails cleanly or yields a definition that re-encodes to exactly those bytes.
TEST(RawModuleDef, MutatedAndRandomInputsNeverCrashAndRoundTripWhenAccepted) {
  std::mt19937 rng(12345);
  std::vector<sats::Bytes> seeds = {Hex(kGoldenV10Hex),
                                    EncodeRawModuleDef(RawModuleDef(std::in_place_index<0>, RichV9())),
                                    EncodeRawModuleDef(RawModuleDef(std::in_place_index<1>, EverySectionV10()))};
  int accepted = 0;
  for (const auto& seed : seeds) {
    for (size_t i = 0; i < seed.size(); ++i) {
      for (uint8_t value : {uint8_t(0), uint8_t(1), uint8_t(2), uint8_t(0xff), uint8_t(rng())}) {
        sats::Bytes m = seed;
        m[i] = value;
        auto r = DecodeRawModuleDef(m);
        if (r.ok()) {
          ++accepted;
          ASSERT_EQ(EncodeRawModuleDef(*r), m) << "byte " << i << " = " << int(value);
        }
      }
    }
  }
  EXPECT_GT(accepted, 0);
  for (int i = 0; i < 2000; ++i) {
    sats::Bytes junk(rng() % 64);
    for (auto& b : junk) b = uint8_t(rng() % 4 == 0 ? rng() : rng() % 3);
    if (!junk.empty()) junk[0] = uint8_t(1 + rng() % 2);
    auto r = DecodeRawModuleDef(junk);
    if (r.ok()) {
      ASSERT_EQ(EncodeRawModuleDef(*r), junk);
    }
  }
}

}  // namespace
}  // namespace stdb::host
