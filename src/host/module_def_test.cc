#include "host/module_def.h"

#include <gtest/gtest.h>

#include "host/module_def_builder.h"
#include "sats/bsatn.h"

namespace stdb::host {
namespace {

using T = sats::AlgebraicType;
using V = sats::AlgebraicValue;
using sats::ProductType;
using S = RawModuleDefV10Section;
using testing::V10Builder;

sats::Bytes Hex(std::string_view hex) {
  sats::Bytes out;
  std::string clean;
  for (char c : hex)
    if (std::isxdigit(static_cast<unsigned char>(c))) clean.push_back(c);
  for (size_t i = 0; i + 1 < clean.size(); i += 2) out.push_back(uint8_t(std::stoi(clean.substr(i, 2), nullptr, 16)));
  return out;
}

const char* kGoldenV10Hex =
    "020500000000010000000202000000000200000069640b00040000006e616d65"
    "0401010000000000000006000000506572736f6e000000000102010000000600"
    "0000706572736f6e00000000010000000000010000000013000000706572736f"
    "6e5f69645f6964785f6274726565000200000069640001000000000001000000"
    "0100010000000000010000000100000101010100000000000000000000000000"
    "000001000000000000030200000004000000696e697400000000000200000000"
    "04030000006164640100000000040000006e616d650401020000000004070100"
    "00000004000000696e6974";

// The golden module of spec/module-abi.md §5.7 written with the builder.
V10Builder GoldenLike() {
  V10Builder b;
  uint32_t person = b.AddType(sats::NamedProduct({{"id", T::U32()}, {"name", T::String()}}), "Person");
  V10Builder::PrimaryKeyAutoInc(b.AddTable("person", person), 0, "id");
  b.AddReducer("init", {}, FunctionVisibility::kPrivate);
  b.AddReducer("add", ProductType({{"name", T::String()}}));
  b.lifecycles.push_back({Lifecycle::kInit, "init"});
  return b;
}

void ExpectInvalid(const Result<ModuleDef>& r, const std::string& needle) {
  ASSERT_FALSE(r.ok()) << "expected an error containing: " << needle;
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message().find(needle), std::string::npos) << r.error().message();
}

// --- The golden vector ---------------------------------------------------------------------------------------

void ExpectGoldenModule(const ModuleDef& def) {
  ASSERT_EQ(def.tables().size(), 1u);
  const TableDef& person = def.tables()[0];
  EXPECT_EQ(person.name, "person");
  EXPECT_EQ(person.accessor_name, "person");
  EXPECT_EQ(person.product_type_ref, 0u);
  ASSERT_EQ(person.columns.size(), 2u);
  EXPECT_EQ(person.columns[0].name, "id");
  EXPECT_EQ(person.columns[0].type, T::U32());
  EXPECT_EQ(person.columns[0].position, 0);
  EXPECT_EQ(person.columns[1].name, "name");
  EXPECT_EQ(person.columns[1].type, T::String());
  EXPECT_EQ(person.columns[1].position, 1);
  EXPECT_EQ(person.primary_key, std::optional<uint16_t>(0));
  ASSERT_EQ(person.indexes.size(), 1u);
  EXPECT_EQ(person.indexes[0].name, "person_id_idx_btree");
  EXPECT_EQ(person.indexes[0].source_name, "person_id_idx_btree");
  EXPECT_EQ(person.indexes[0].accessor_name, "id");
  EXPECT_EQ(person.indexes[0].algorithm, IndexAlgorithmKind::kBTree);
  EXPECT_EQ(person.indexes[0].columns, (std::vector<uint16_t>{0}));
  EXPECT_TRUE(person.indexes[0].is_unique);
  ASSERT_EQ(person.constraints.size(), 1u);
  EXPECT_EQ(person.constraints[0], (UniqueConstraintDef{"person_id_key", {0}}));
  ASSERT_EQ(person.sequences.size(), 1u);
  const SequenceDef& seq = person.sequences[0];
  EXPECT_EQ(seq.name, "person_id_seq");
  EXPECT_EQ(seq.column, 0);
  EXPECT_TRUE(seq.increment == 1);
  EXPECT_TRUE(seq.effective_start() == 1);
  EXPECT_TRUE(seq.effective_min() == 1);
  EXPECT_TRUE(seq.effective_max() == SequenceDef::kDefaultMax);
  EXPECT_EQ(sats::ToDecimal(seq.effective_max()), "170141183460469231731687303715884105727");
  EXPECT_FALSE(person.schedule.has_value());
  EXPECT_EQ(person.table_type, TableType::kUser);
  EXPECT_EQ(person.table_access, TableAccess::kPublic);

  ASSERT_EQ(def.reducers().size(), 2u);
  EXPECT_EQ(def.reducers()[0].name, "init");
  EXPECT_EQ(def.reducers()[0].lifecycle, Lifecycle::kInit);
  EXPECT_EQ(def.reducers()[1].name, "add");
  EXPECT_EQ(def.reducers()[1].lifecycle, std::nullopt);
  EXPECT_EQ(def.reducers()[1].params, ProductType({{"name", T::String()}}));
  EXPECT_EQ(def.LifecycleReducer(Lifecycle::kInit), std::optional<uint32_t>(0));
  EXPECT_EQ(def.LifecycleReducer(Lifecycle::kOnConnect), std::nullopt);
  EXPECT_EQ(def.FindReducer("add"), std::optional<uint32_t>(1));
  EXPECT_EQ(def.FindReducer("init"), std::optional<uint32_t>(0));
  EXPECT_EQ(def.FindReducer("nope"), std::nullopt);
  EXPECT_EQ(def.FindTable("person"), &person);
  auto index = def.FindIndex("person_id_idx_btree");
  ASSERT_TRUE(index.has_value());
  EXPECT_EQ(index->table, &person);
  EXPECT_EQ(index->index, &person.indexes[0]);

  ASSERT_EQ(def.types().size(), 1u);
  EXPECT_EQ(def.types()[0].name, "Person");
  EXPECT_EQ(def.types()[0].ty, 0u);
  EXPECT_EQ(def.FindTypeDef(0), &def.types()[0]);
}

TEST(ModuleDef, GoldenVectorValidates) {
  auto def = ModuleDef::FromBsatn(Hex(kGoldenV10Hex));
  ASSERT_TRUE(def.ok()) << def.error().message();
  EXPECT_EQ(def->version(), RawModuleDefVersion::kV10);
  ExpectGoldenModule(*def);
  EXPECT_EQ(def->reducers()[0].visibility, FunctionVisibility::kPrivate);
  EXPECT_EQ(def->reducers()[1].visibility, FunctionVisibility::kClientCallable);
}

TEST(ModuleDef, BuilderReproducesTheGoldenBytes) {
  EXPECT_EQ(EncodeRawModuleDef(RawModuleDef(std::in_place_index<1>, GoldenLike().Build())), Hex(kGoldenV10Hex));
}

TEST(ModuleDef, EquivalentV9DefinitionValidatesToTheSameModule) {
  RawModuleDefV9 v9;
  v9.typespace.types.push_back(sats::NamedProduct({{"id", T::U32()}, {"name", T::String()}}));
  RawTableDefV9 t;
  t.name = "person";
  t.primary_key = {0};
  t.indexes = {{std::nullopt, "id", RawIndexAlgorithm::BTree({0})}};  // V9: the host generates the name
  t.constraints = {{std::nullopt, {0}}};
  t.sequences = {{std::nullopt, 0, std::nullopt, std::nullopt, std::nullopt, 1}};
  v9.tables.push_back(t);
  v9.reducers.push_back({"init", {}, Lifecycle::kInit});
  v9.reducers.push_back({"add", ProductType({{"name", T::String()}}), std::nullopt});
  v9.types.push_back({{}, "Person", 0, true});
  auto def9 = ModuleDef::FromBsatn(EncodeRawModuleDef(RawModuleDef(std::in_place_index<0>, v9)));
  ASSERT_TRUE(def9.ok()) << def9.error().message();
  EXPECT_EQ(def9->version(), RawModuleDefVersion::kV9OrEarlier);
  ExpectGoldenModule(*def9);

  auto def10 = ModuleDef::FromBsatn(Hex(kGoldenV10Hex));
  ASSERT_TRUE(def10.ok());
  EXPECT_EQ(def9->tables(), def10->tables());
  EXPECT_EQ(def9->types(), def10->types());
  EXPECT_EQ(def9->typespace(), def10->typespace());
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(def9->reducers()[i].name, def10->reducers()[i].name);
    EXPECT_EQ(def9->reducers()[i].params, def10->reducers()[i].params);
    EXPECT_EQ(def9->reducers()[i].lifecycle, def10->reducers()[i].lifecycle);
  }
  // V9 has no visibility: every reducer is client-callable (clients are still refused lifecycle reducers).
  EXPECT_EQ(def9->reducers()[0].visibility, FunctionVisibility::kClientCallable);
}

// --- Naming ----------------------------------------------------------------------------------------------------

TEST(ModuleDef, V10SnakeCasesNamesAndKeepsSourceNamesAsAliases) {
  V10Builder b;
  uint32_t state = b.AddType(sats::NamedSum({{"WaitingForPlayers", T::Unit()}, {"InProgress", T::Unit()}}), "game_state");
  uint32_t row = b.AddType(sats::NamedProduct({{"playerId", T::U64()},
                                               {"HTTPScore", T::I32()},
                                               {"State", T::Ref(state)},
                                               {"nextAt", T::ScheduleAt()},
                                               {"maybe", T::Option(T::String())}}),
                           "PlayerStats");
  auto& t = b.AddTable("PlayerStats", row);
  V10Builder::PrimaryKeyAutoInc(t, 0, "playerId");
  t.indexes.push_back({"PlayerStats_HTTPScore_State_idx_btree", "by_score", RawIndexAlgorithm::BTree({1, 2})});
  b.AddReducer("AddPlayer", ProductType({{"PlayerName", T::String()}}));
  b.AddReducer("tick", ProductType({{"row", T::Ref(row)}}));
  b.schedules.push_back({std::nullopt, "PlayerStats", 3, "tick"});
  auto def = b.Validate();
  ASSERT_TRUE(def.ok()) << def.error().message();

  const TableDef& table = def->tables()[0];
  EXPECT_EQ(table.name, "player_stats");
  EXPECT_EQ(table.accessor_name, "PlayerStats");
  EXPECT_EQ(def->FindTable("PlayerStats"), &table);
  EXPECT_EQ(def->FindTable("player_stats"), &table);
  std::vector<std::string> names, accessors;
  for (const auto& c : table.columns) {
    names.push_back(c.name);
    accessors.push_back(c.accessor_name);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"player_id", "http_score", "state", "next_at", "maybe"}));
  EXPECT_EQ(accessors, (std::vector<std::string>{"playerId", "HTTPScore", "State", "nextAt", "maybe"}));
  EXPECT_EQ(table.FindColumn("HTTPScore"), &table.columns[1]);

  // Generated names are built from canonical names; the SDK's names stay as aliases.
  ASSERT_EQ(table.indexes.size(), 2u);
  EXPECT_EQ(table.indexes[0].name, "player_stats_player_id_idx_btree");
  EXPECT_EQ(table.indexes[0].source_name, "PlayerStats_playerId_idx_btree");
  EXPECT_EQ(table.indexes[1].name, "player_stats_http_score_state_idx_btree");
  EXPECT_FALSE(table.indexes[1].is_unique);
  EXPECT_EQ(def->FindIndex("PlayerStats_playerId_idx_btree")->index, &table.indexes[0]);
  EXPECT_EQ(def->FindIndex("player_stats_player_id_idx_btree")->index, &table.indexes[0]);
  EXPECT_EQ(table.constraints[0].name, "player_stats_player_id_key");
  EXPECT_EQ(table.sequences[0].name, "player_stats_player_id_seq");
  ASSERT_TRUE(table.schedule.has_value());
  EXPECT_EQ(table.schedule->name, "player_stats_sched");
  EXPECT_EQ(table.schedule->function_name, "tick");
  EXPECT_EQ(table.schedule->at_column, 3);
  EXPECT_EQ(table.schedule->id_column, 0);

  EXPECT_EQ(def->reducers()[0].name, "add_player");
  EXPECT_EQ(def->reducers()[0].accessor_name, "AddPlayer");
  EXPECT_EQ(def->FindReducer("add_player"), std::optional<uint32_t>(0));
  EXPECT_EQ(def->FindReducer("AddPlayer"), std::optional<uint32_t>(0));
  // Scheduled functions become private.
  EXPECT_EQ(def->reducers()[1].visibility, FunctionVisibility::kPrivate);

  // Types: PascalCase names, camelCase variants, snake_case fields; special types keep their names.
  EXPECT_EQ(def->types()[0].name, "GameState");
  EXPECT_EQ(def->types()[0].source_name, "game_state");
  EXPECT_EQ(def->typespace().types[state], sats::NamedSum({{"waitingForPlayers", T::Unit()}, {"inProgress", T::Unit()}}));
  const auto& converted_row = def->typespace().types[row].product();
  EXPECT_EQ(converted_row.elements[1].name, "http_score");
  EXPECT_EQ(converted_row.elements[3].type, T::ScheduleAt());
  // The column type is inlined with canonical variant names.
  EXPECT_EQ(table.columns[2].type, sats::NamedSum({{"waitingForPlayers", T::Unit()}, {"inProgress", T::Unit()}}));
  EXPECT_EQ(table.columns[2].declared_type, T::Ref(state));
  EXPECT_EQ(table.RowType().elements[2].name, "state");
}

TEST(ModuleDef, ExplicitNamesOverrideCaseConversion) {
  V10Builder b = GoldenLike();
  b.tables[0].source_name = "Person";
  b.tables[0].indexes[0].name = "Person_id_idx_btree";
  b.explicit_names.entries = {{ExplicitNameEntry::Kind::kTable, {"Person", "people"}},
                              {ExplicitNameEntry::Kind::kFunction, {"add", "add_person"}},
                              {ExplicitNameEntry::Kind::kIndex, {"Person_id_idx_btree", "people_by_id"}}};
  auto def = b.Validate();
  ASSERT_TRUE(def.ok()) << def.error().message();
  EXPECT_EQ(def->tables()[0].name, "people");
  EXPECT_EQ(def->tables()[0].indexes[0].name, "people_by_id");
  EXPECT_EQ(def->FindIndex("Person_id_idx_btree")->index->name, "people_by_id");
  EXPECT_EQ(def->tables()[0].constraints[0].name, "people_id_key");
  EXPECT_EQ(def->FindReducer("add_person"), std::optional<uint32_t>(1));
  EXPECT_EQ(def->FindReducer("add"), std::optional<uint32_t>(1));
}

TEST(ModuleDef, PolicyNoneKeepsNamesAsWritten) {
  V10Builder b = GoldenLike();
  b.policy = CaseConversionPolicy::kNone;
  b.tables[0].source_name = "PersonTable";
  b.tables[0].indexes[0].name = "PersonTable_id_idx_btree";
  b.AddReducer("DoThing");
  auto def = b.Validate();
  ASSERT_TRUE(def.ok()) << def.error().message();
  EXPECT_EQ(def->tables()[0].name, "PersonTable");
  EXPECT_EQ(def->tables()[0].indexes[0].name, "PersonTable_id_idx_btree");
  EXPECT_EQ(def->reducers()[2].name, "DoThing");
  EXPECT_EQ(def->types()[0].name, "Person");
}

TEST(ModuleDef, ReducerIdsFollowDefinitionOrder) {
  // The C++ SDK's order: lifecycle reducers sorted by kind name, then user reducers alphabetically.
  V10Builder b;
  b.AddReducer("client_connected", {}, FunctionVisibility::kPrivate);
  b.AddReducer("client_disconnected", {}, FunctionVisibility::kPrivate);
  b.AddReducer("send_message", ProductType({{"text", T::String()}}));
  b.AddReducer("set_name", ProductType({{"name", T::String()}}));
  b.lifecycles = {{Lifecycle::kOnConnect, "client_connected"}, {Lifecycle::kOnDisconnect, "client_disconnected"}};
  auto def = b.Validate();
  ASSERT_TRUE(def.ok()) << def.error().message();
  EXPECT_EQ(def->FindReducer("client_connected"), std::optional<uint32_t>(0));
  EXPECT_EQ(def->FindReducer("set_name"), std::optional<uint32_t>(3));
  EXPECT_EQ(def->LifecycleReducer(Lifecycle::kOnConnect), std::optional<uint32_t>(0));
  EXPECT_EQ(def->LifecycleReducer(Lifecycle::kOnDisconnect), std::optional<uint32_t>(1));
  EXPECT_EQ(def->LifecycleReducer(Lifecycle::kInit), std::nullopt);
}

TEST(ModuleDef, KeepsDefaultsProceduresViewsHttpAndRls) {
  V10Builder b = GoldenLike();
  b.tables[0].default_values.push_back({1, sats::bsatn::EncodeValue(V::String("anon"))});
  b.procedures.push_back({"fetch", ProductType({{"url", T::String()}}), T::String(), FunctionVisibility::kClientCallable});
  b.views.push_back({"everyone", 0, true, true, {}, T::Array(T::Ref(0))});
  b.views.push_back({"people_query", 1, true, false, {}, sats::NamedProduct({{"__query__", T::Ref(0)}})});
  b.handlers.push_back({"hello"});
  b.routes.push_back({"hello", std::nullopt, "/hello"});
  b.routes.push_back({"hello", HttpMethod{HttpMethod::Kind::kPost, ""}, "/hello/post"});
  b.routes.push_back({"hello", HttpMethod{HttpMethod::Kind::kGet, ""}, ""});
  b.rls.push_back({"SELECT * FROM person WHERE id = 1"});
  b.view_keys.push_back({"everyone", {"id"}});
  auto def = b.Validate();
  ASSERT_TRUE(def.ok()) << def.error().message();
  ASSERT_TRUE(def->tables()[0].columns[1].default_value.has_value());
  EXPECT_EQ(*def->tables()[0].columns[1].default_value, V::String("anon"));
  EXPECT_EQ(def->procedures()[0].name, "fetch");
  EXPECT_EQ(def->FindProcedure("fetch"), std::optional<uint32_t>(0));
  ASSERT_EQ(def->views().size(), 2u);
  EXPECT_EQ(def->views()[0].primary_key, std::optional<uint16_t>(0));
  EXPECT_FALSE(def->views()[0].is_query);
  EXPECT_TRUE(def->views()[1].is_query);
  EXPECT_EQ(def->views()[1].primary_key, std::optional<uint16_t>(0)) << "inherited from table person";
  EXPECT_EQ(def->views()[1].columns.size(), 2u);
  EXPECT_EQ(def->FindView("people_query"), std::optional<uint32_t>(1));
  EXPECT_EQ(def->FindHttpHandler("hello"), std::optional<uint32_t>(0));
  ASSERT_EQ(def->http_routes().size(), 3u);
  EXPECT_EQ(def->http_routes()[1].method->kind, HttpMethod::Kind::kPost);
  EXPECT_EQ(def->row_level_security(), (std::vector<std::string>{"SELECT * FROM person WHERE id = 1"}));
}

// --- Validation rules: one failing definition per rule, each with its own message -----------------------------

TEST(ModuleDefValidation, IdentifierRules) {
  RawModuleDefV9 v9;
  v9.reducers.push_back({"1abc", {}, std::nullopt});
  v9.reducers.push_back({"", {}, std::nullopt});
  v9.reducers.push_back({"my-reducer", {}, std::nullopt});
  v9.reducers.push_back({"_A\u030A", {}, std::nullopt});
  auto r = ModuleDef::FromRaw(v9);
  ExpectInvalid(r, "reducer `1abc`: identifier `1abc` starts with '1'");
  ExpectInvalid(r, "empty identifiers are not allowed");
  ExpectInvalid(r, "reducer `my-reducer`: identifier `my-reducer` contains '-'");
  ExpectInvalid(r, "is not in Unicode Normalization Form C");
  ExpectInvalid(r, "4 problems");
}

TEST(ModuleDefValidation, V10ConvertsBeforeCheckingIdentifiers) {
  // "my-reducer" snake_cases to "my_reducer", a valid canonical name; the accessor keeps the written form only if
  // it is itself an identifier, which it is not.
  V10Builder b;
  b.AddReducer("my-reducer");
  ExpectInvalid(b.Validate(), "reducer `my-reducer`: identifier `my-reducer` contains '-'");
}

TEST(ModuleDefValidation, GlobalNamespaceIsShared) {
  V10Builder b = GoldenLike();
  b.AddTable("person_id_idx_btree", 0);  // a table named like the person index
  ExpectInvalid(b.Validate(), "name `person_id_idx_btree` is used for more than one table, index");
  V10Builder c = GoldenLike();
  c.AddTable("person", 0);
  ExpectInvalid(c.Validate(), "name `person` is used for more than one");
}

TEST(ModuleDefValidation, UserTablesMayNotStartWithSt) {
  V10Builder b;
  b.AddTable("st_things", b.AddType(sats::NamedProduct({{"a", T::U8()}}), "Things"));
  ExpectInvalid(b.Validate(), "table name `st_things` is reserved for system tables");
  b.tables[0].table_type = TableType::kSystem;
  EXPECT_TRUE(b.Validate().ok());
}

TEST(ModuleDefValidation, PrimaryKeyRules) {
  V10Builder b = GoldenLike();
  b.tables[0].primary_key = {0, 1};
  ExpectInvalid(b.Validate(), "table `person` declares more than one primary key column: [0, 1]");
  V10Builder c = GoldenLike();
  c.tables[0].constraints.clear();
  ExpectInvalid(c.Validate(), "table `person` column `id` is the primary key but has no unique constraint");
  V10Builder d = GoldenLike();
  d.tables[0].primary_key = {9};
  ExpectInvalid(d.Validate(), "primary key column 9 does not exist");
}

TEST(ModuleDefValidation, UniqueConstraintNeedsAnIndexOnTheSameColumns) {
  V10Builder b = GoldenLike();
  b.tables[0].constraints.push_back({std::nullopt, {1}});
  ExpectInvalid(b.Validate(), "unique constraint `person_name_key` on columns [1] of table `person` has no index");
  b.tables[0].indexes.push_back({"person_name_idx_hash", std::nullopt, RawIndexAlgorithm::Hash({1})});
  auto ok = b.Validate();
  ASSERT_TRUE(ok.ok()) << ok.error().message();
  EXPECT_TRUE(ok->tables()[0].indexes[1].is_unique);
}

TEST(ModuleDefValidation, SequenceRules) {
  V10Builder b = GoldenLike();
  b.tables[0].sequences.push_back({std::nullopt, 1, std::nullopt, std::nullopt, std::nullopt, 1});
  ExpectInvalid(b.Validate(), "sequence `person_name_seq` is on table `person` column `name` of type String, but "
                              "sequences need an integer column");
  V10Builder c = GoldenLike();
  c.tables[0].sequences.push_back({"second", 0, std::nullopt, std::nullopt, std::nullopt, 1});
  ExpectInvalid(c.Validate(), "table `person` column `id` has more than one sequence");
  V10Builder d = GoldenLike();
  d.tables[0].sequences[0].min_value = 10;
  d.tables[0].sequences[0].start = 5;
  ExpectInvalid(d.Validate(), "sequence `person_id_seq` has an invalid range: expected min 10 <= start 5 <= max none");
  V10Builder e = GoldenLike();
  e.tables[0].sequences[0].column = 7;
  ExpectInvalid(e.Validate(), "sequence `person_col_7_seq` refers to column 7 of table `person`, which has only 2");
}

TEST(ModuleDefValidation, IndexColumnRules) {
  V10Builder b = GoldenLike();
  b.tables[0].indexes.push_back({"bad", std::nullopt, RawIndexAlgorithm::BTree({5})});
  ExpectInvalid(b.Validate(), "index `person_col_5_idx_btree` refers to column 5 of table `person`");
  V10Builder c = GoldenLike();
  c.tables[0].indexes.push_back({"dup", std::nullopt, RawIndexAlgorithm::BTree({1, 1})});
  ExpectInvalid(c.Validate(), "lists a column more than once: [1, 1]");
  V10Builder d = GoldenLike();
  d.tables[0].indexes[0].name.reset();
  ExpectInvalid(d.Validate(), "table `person`: index 0 has no source name");
}

TEST(ModuleDefValidation, DirectIndexColumnTypes) {
  V10Builder b;
  uint32_t color = b.AddType(sats::NamedSum({{"Red", T::Unit()}, {"Green", T::Unit()}}), "Color");
  uint32_t row = b.AddType(sats::NamedProduct({{"id", T::U64()}, {"name", T::String()}, {"color", T::Ref(color)}}), "Row");
  auto& t = b.AddTable("things", row);
  t.indexes.push_back({"a", std::nullopt, RawIndexAlgorithm::Direct(0)});
  t.indexes.push_back({"c", std::nullopt, RawIndexAlgorithm::Direct(2)});
  auto ok = b.Validate();
  ASSERT_TRUE(ok.ok()) << ok.error().message();
  EXPECT_EQ(ok->tables()[0].indexes[0].name, "things_id_idx_direct");
  b.tables[0].indexes.push_back({"b", std::nullopt, RawIndexAlgorithm::Direct(1)});
  ExpectInvalid(b.Validate(), "direct index `things_name_idx_direct` on column `name` of table `things`: a direct "
                              "index needs a u8, u16, u32 or u64 column or a simple enum, not String");
}

V10Builder ScheduledModule() {
  V10Builder b;
  uint32_t row = b.AddType(sats::NamedProduct({{"scheduled_id", T::U64()}, {"scheduled_at", T::ScheduleAt()},
                                               {"note", T::String()}}),
                           "Reminder");
  V10Builder::PrimaryKeyAutoInc(b.AddTable("reminder", row), 0, "scheduled_id");
  b.AddReducer("remind", ProductType({{"arg", T::Ref(row)}}));
  b.schedules.push_back({std::nullopt, "reminder", 1, "remind"});
  return b;
}

TEST(ModuleDefValidation, ScheduleRules) {
  auto ok = ScheduledModule().Validate();
  ASSERT_TRUE(ok.ok()) << ok.error().message();
  EXPECT_EQ(ok->reducers()[0].visibility, FunctionVisibility::kPrivate) << "scheduled reducers are forced private";
  EXPECT_EQ(ok->tables()[0].schedule->function_kind, FunctionKind::kReducer);

  V10Builder at = ScheduledModule();
  at.schedules[0].schedule_at_col = 2;
  ExpectInvalid(at.Validate(), "schedule `reminder_sched` on table `reminder`: a scheduled table needs a u64 primary "
                               "key (scheduled_id) and a ScheduleAt column, but column 2 is not of type ScheduleAt");
  V10Builder pk = ScheduledModule();
  pk.tables[0].primary_key.clear();
  ExpectInvalid(pk.Validate(), "but its primary key is not a single u64 column");
  V10Builder fn = ScheduledModule();
  fn.schedules[0].function_name = "missing";
  ExpectInvalid(fn.Validate(), "schedule `reminder_sched` calls `missing`, which is neither a reducer nor a procedure");
  V10Builder params = ScheduledModule();
  params.reducers[0].params = ProductType({{"a", T::U64()}});
  ExpectInvalid(params.Validate(), "scheduled reducer `remind` must take exactly one parameter of the row type of table "
                                   "`reminder`");
  V10Builder table = ScheduledModule();
  table.schedules[0].table_name = "nowhere";
  ExpectInvalid(table.Validate(), "schedule for table `nowhere`: no such table");
  V10Builder twice = ScheduledModule();
  twice.schedules.push_back(twice.schedules[0]);
  ExpectInvalid(twice.Validate(), "table `reminder` has more than one schedule");
}

TEST(ModuleDefValidation, ScheduledProcedureIsAcceptedAndMadePrivate) {
  V10Builder b = ScheduledModule();
  b.reducers.clear();
  b.procedures.push_back({"remind", ProductType({{"arg", T::Ref(0)}}), T::Unit(), FunctionVisibility::kClientCallable});
  auto def = b.Validate();
  ASSERT_TRUE(def.ok()) << def.error().message();
  EXPECT_EQ(def->tables()[0].schedule->function_kind, FunctionKind::kProcedure);
  EXPECT_EQ(def->procedures()[0].visibility, FunctionVisibility::kPrivate);
}

TEST(ModuleDefValidation, V9ScheduleLivesInTheTable) {
  RawModuleDefV9 v9;
  v9.typespace.types.push_back(sats::NamedProduct({{"scheduled_id", T::U64()}, {"at", T::ScheduleAt()}}));
  RawTableDefV9 t;
  t.name = "jobs";
  t.primary_key = {0};
  t.indexes = {{std::nullopt, std::nullopt, RawIndexAlgorithm::BTree({0})}};
  t.constraints = {{std::nullopt, {0}}};
  t.schedule = RawScheduleDefV9{std::nullopt, "run", 1};
  v9.tables.push_back(t);
  v9.types.push_back({{}, "Job", 0, true});
  v9.reducers.push_back({"run", ProductType({{"job", T::Ref(0)}}), std::nullopt});
  v9.misc_exports.push_back(RawColumnDefaultValueV9{"jobs", 1, sats::bsatn::EncodeValue(V::Sum(0, V::Product({V::I64(5)})))});
  auto def = ModuleDef::FromRaw(v9);
  ASSERT_TRUE(def.ok()) << def.error().message();
  EXPECT_EQ(def->tables()[0].schedule->name, "jobs_sched");
  EXPECT_EQ(def->tables()[0].indexes[0].name, "jobs_scheduled_id_idx_btree");
  EXPECT_EQ(def->reducers()[0].visibility, FunctionVisibility::kClientCallable);
  EXPECT_TRUE(def->tables()[0].columns[1].default_value.has_value());
  v9.reducers[0].name = "other";
  ExpectInvalid(ModuleDef::FromRaw(v9), "schedule `jobs_sched` calls `run`");
  v9.reducers[0].name = "run";
  v9.misc_exports.push_back(RawColumnDefaultValueV9{"nope", 0, {}});
  ExpectInvalid(ModuleDef::FromRaw(v9), "default value for table `nope`: no such table");
}

TEST(ModuleDefValidation, LifecycleRules) {
  V10Builder dup = GoldenLike();
  dup.AddReducer("init2", {}, FunctionVisibility::kPrivate);
  dup.lifecycles.push_back({Lifecycle::kInit, "init2"});
  ExpectInvalid(dup.Validate(), "more than one reducer is registered for lifecycle event Init");
  V10Builder missing = GoldenLike();
  missing.lifecycles.push_back({Lifecycle::kOnConnect, "nope"});
  ExpectInvalid(missing.Validate(), "lifecycle event OnConnect names reducer `nope`, which does not exist");
  V10Builder forced = GoldenLike();
  forced.reducers[0].visibility = FunctionVisibility::kClientCallable;
  auto def = forced.Validate();
  ASSERT_TRUE(def.ok());
  EXPECT_EQ(def->reducers()[0].visibility, FunctionVisibility::kPrivate) << "lifecycle reducers are forced private";
  RawModuleDefV9 v9;
  v9.reducers.push_back({"a", {}, Lifecycle::kOnDisconnect});
  v9.reducers.push_back({"b", {}, Lifecycle::kOnDisconnect});
  ExpectInvalid(ModuleDef::FromRaw(v9), "more than one reducer is registered for lifecycle event OnDisconnect");
}

TEST(ModuleDefValidation, ReducerReturnTypes) {
  V10Builder b = GoldenLike();
  b.reducers[1].ok_return_type = T::U32();
  ExpectInvalid(b.Validate(), "reducer `add` must return Result<(), String>, but returns Result<U32, String>");
  V10Builder c = GoldenLike();
  c.reducers[1].err_return_type = T::Unit();
  ExpectInvalid(c.Validate(), "reducer `add` must return Result<(), String>");
}

TEST(ModuleDefValidation, FunctionNamesAreUnique) {
  V10Builder b = GoldenLike();
  b.procedures.push_back({"add", {}, T::Unit(), FunctionVisibility::kClientCallable});
  ExpectInvalid(b.Validate(), "name `add` is used by more than one reducer, procedure or view");
  V10Builder c = GoldenLike();
  c.AddReducer("Add");  // snake_cases to "add"
  ExpectInvalid(c.Validate(), "name `add` is used by more than one reducer");
}

TEST(ModuleDefValidation, HttpRouteRules) {
  V10Builder base = GoldenLike();
  base.handlers.push_back({"hello"});
  V10Builder path = base;
  path.routes.push_back({"hello", std::nullopt, "api"});
  ExpectInvalid(path.Validate(), "HTTP route `api` is invalid");
  V10Builder upper = base;
  upper.routes.push_back({"hello", std::nullopt, "/Api"});
  ExpectInvalid(upper.Validate(), "HTTP route `/Api` is invalid");
  V10Builder overlap = base;
  overlap.routes.push_back({"hello", HttpMethod{HttpMethod::Kind::kGet, ""}, "/x"});
  overlap.routes.push_back({"hello", std::nullopt, "/x"});
  ExpectInvalid(overlap.Validate(), "HTTP route `/x` is declared twice for any method");
  V10Builder distinct = base;
  distinct.routes.push_back({"hello", HttpMethod{HttpMethod::Kind::kGet, ""}, "/x"});
  distinct.routes.push_back({"hello", HttpMethod{HttpMethod::Kind::kPost, ""}, "/x"});
  EXPECT_TRUE(distinct.Validate().ok());
  V10Builder handler = base;
  handler.routes.push_back({"nobody", std::nullopt, "/x"});
  ExpectInvalid(handler.Validate(), "HTTP route `/x` refers to HTTP handler `nobody`, which does not exist");
}

TEST(ModuleDefValidation, ClientCodegenTypeRules) {
  V10Builder inline_product = GoldenLike();
  inline_product.AddReducer("p", ProductType({{"point", sats::NamedProduct({{"x", T::F32()}})}}));
  ExpectInvalid(inline_product.Validate(),
                "reducer `p` parameter 0 (`point`): the type (x: F32) is a user-defined product written inline");
  V10Builder unnamed_ref = GoldenLike();
  uint32_t anonymous = unnamed_ref.AddType(sats::NamedSum({{"A", T::U8()}, {"B", T::String()}}));  // no type def
  unnamed_ref.AddReducer("s", ProductType({{"v", T::Ref(anonymous)}}));
  ExpectInvalid(unnamed_ref.Validate(), "reducer `s` parameter 0 (`v`): the type (A: U8 | B: String)");
  V10Builder dangling = GoldenLike();
  dangling.AddReducer("d", ProductType({{"v", T::Array(T::Ref(42))}}));
  ExpectInvalid(dangling.Validate(), "reducer `d` parameter 0 (`v`): type reference 42 is outside the typespace");
  V10Builder nameless = GoldenLike();
  nameless.AddReducer("n", ProductType({{std::nullopt, T::U8()}}));
  ExpectInvalid(nameless.Validate(), "reducer `n` parameter 0 has no name; every parameter needs one");
  V10Builder allowed = GoldenLike();
  allowed.AddReducer("ok", ProductType({{"a", T::Option(T::Array(T::Identity()))},
                                        {"b", T::Result(T::Timestamp(), T::String())},
                                        {"c", T::Unit()},
                                        {"d", T::Never()},
                                        {"e", T::Ref(0)},
                                        {"f", T::ScheduleAt()},
                                        {"g", T::Uuid()}}));
  auto def = allowed.Validate();
  EXPECT_TRUE(def.ok()) << def.error().message();
}

TEST(ModuleDefValidation, TypeDefinitionRules) {
  V10Builder not_product = GoldenLike();
  not_product.AddType(T::U32(), "Alias");
  ExpectInvalid(not_product.Validate(), "type `Alias` names typespace entry 1 of type U32, but only products and sums");
  V10Builder unnamed = GoldenLike();
  unnamed.AddType(T::Product(ProductType({{std::nullopt, T::U8()}})), "Tuple");
  ExpectInvalid(unnamed.Validate(), "type `Tuple`: element 0 has no name");
  V10Builder ordering = GoldenLike();
  ordering.AddType(sats::NamedProduct({{"b", T::U8()}, {"a", T::U8()}}), "Unsorted", /*custom_ordering=*/false);
  ExpectInvalid(ordering.Validate(), "type `Unsorted` is not marked as having a custom ordering");
  V10Builder sorted = GoldenLike();
  sorted.AddType(sats::NamedProduct({{"a", T::U8()}, {"b", T::U8()}}), "Sorted", /*custom_ordering=*/false);
  EXPECT_TRUE(sorted.Validate().ok());
  V10Builder duplicate = GoldenLike();
  duplicate.AddType(sats::NamedProduct({{"x", T::U8()}}), "person");  // PascalCases to "Person"
  ExpectInvalid(duplicate.Validate(), "type name `Person` is used for more than one type");
  V10Builder dangling = GoldenLike();
  dangling.types.push_back({{}, "Ghost", 77, true});
  ExpectInvalid(dangling.Validate(), "type `Ghost` refers to typespace entry 77, which does not exist");
}

TEST(ModuleDefValidation, CppSdkRegistrationErrorsAreReportedByName) {
  // What the C++ SDK emits after a registration error: only a type definition pointing at index 999999.
  V10Builder b;
  b.types.push_back({{}, "ERROR_MULTIPLE_PRIMARY_KEYS_person", 999999, false});
  auto r = b.Validate();
  ExpectInvalid(r, "ERROR_MULTIPLE_PRIMARY_KEYS_person");
  ExpectInvalid(r, "a table declares more than one primary key");
  V10Builder c;
  c.types.push_back({{}, "ERROR_CIRCULAR_REFERENCE_Node", 999999, false});
  ExpectInvalid(c.Validate(), "the module's SDK reported a registration error: ERROR_CIRCULAR_REFERENCE_Node");
}

TEST(ModuleDefValidation, ColumnRules) {
  V10Builder unnamed;
  unnamed.AddTable("t", unnamed.AddType(T::Product(ProductType({{std::nullopt, T::U8()}})), "T"));
  ExpectInvalid(unnamed.Validate(), "table `t` has an unnamed column 0");
  V10Builder bad_ref = GoldenLike();
  bad_ref.tables[0].product_type_ref = 9;
  ExpectInvalid(bad_ref.Validate(), "table `person` has row type reference 9, which is not a product type");
  V10Builder recursive;
  // Node = {value: u32, next: Option<Node>}: fine for clients, but a table cannot store it inline.
  uint32_t node = recursive.AddType(T::Unit(), "Node");
  recursive.typespace.types[node] = sats::NamedProduct({{"value", T::U32()}, {"next", T::Option(T::Ref(node))}});
  recursive.AddTable("nodes", node);
  ExpectInvalid(recursive.Validate(), "table `nodes` column `next`: the type is recursive");
}

TEST(ModuleDefValidation, DefaultValues) {
  V10Builder malformed = GoldenLike();
  malformed.tables[0].default_values.push_back({1, {0xff, 0, 0, 0}});
  ExpectInvalid(malformed.Validate(), "default value for table `person` column 1 (`name`) is not a valid String");
  V10Builder missing = GoldenLike();
  missing.tables[0].default_values.push_back({4, {}});
  ExpectInvalid(missing.Validate(), "default value for table `person` column 4: the table has only 2 columns");
  V10Builder twice = GoldenLike();
  twice.tables[0].default_values.push_back({1, sats::bsatn::EncodeValue(V::String("a"))});
  twice.tables[0].default_values.push_back({1, sats::bsatn::EncodeValue(V::String("b"))});
  ExpectInvalid(twice.Validate(), "table `person` column `name` has more than one default value");
}

TEST(ModuleDefValidation, ViewRules) {
  V10Builder b = GoldenLike();
  b.views.push_back({"bad", 0, true, false, {}, T::U32()});
  ExpectInvalid(b.Validate(), "view `bad` returns U32, but a view must return Vec<T>, Option<T> or Query<T>");
  V10Builder key = GoldenLike();
  key.views.push_back({"v", 0, true, false, {}, T::Option(T::Ref(0))});
  key.view_keys.push_back({"v", {"nope"}});
  ExpectInvalid(key.Validate(), "primary key of view `v`: the view has no column `nope`");
  V10Builder clash = GoldenLike();
  clash.views.push_back({"person", 0, true, false, {}, T::Array(T::Ref(0))});
  ExpectInvalid(clash.Validate(), "name `person` is used for more than one table");
}

TEST(ModuleDefValidation, SubmodulesMayNotDeclareLifecycleReducers) {
  V10Builder inner;
  inner.AddReducer("boot", {}, FunctionVisibility::kPrivate);
  inner.lifecycles.push_back({Lifecycle::kInit, "boot"});
  V10Builder outer = GoldenLike();
  outer.submodules.push_back({"lib", inner.Build()});
  ExpectInvalid(outer.Validate(), "submodule `lib` declares a lifecycle reducer for Init");
  inner.lifecycles.clear();
  V10Builder fine = GoldenLike();
  fine.submodules.push_back({"lib", inner.Build()});
  auto def = fine.Validate();
  ASSERT_TRUE(def.ok()) << def.error().message();
  ASSERT_EQ(def->submodules().size(), 1u);
  EXPECT_EQ(def->submodules()[0].module.reducers()[0].name, "boot");
  V10Builder long_name = GoldenLike();
  long_name.submodules.push_back({std::string(64, 'n'), inner.Build()});
  ExpectInvalid(long_name.Validate(), "more than the 63-byte limit");
}

TEST(ModuleDefValidation, AllErrorsAreReportedTogether) {
  V10Builder b = GoldenLike();
  b.tables[0].primary_key = {0, 1};
  b.reducers[1].ok_return_type = T::String();
  b.lifecycles.push_back({Lifecycle::kOnConnect, "ghost"});
  auto r = b.Validate();
  ExpectInvalid(r, "3 problems");
  ExpectInvalid(r, "more than one primary key column");
  ExpectInvalid(r, "reducer `add` must return");
  ExpectInvalid(r, "names reducer `ghost`");
}

TEST(ModuleDefValidation, HostileTypespacesFailFast) {
  // A diamond of references without type definitions: each level is Result<next, next>, the last an inline product.
  // The checker must remember failures instead of walking 2^100 paths.
  V10Builder diamond = GoldenLike();
  size_t base = diamond.typespace.types.size();
  for (uint32_t i = 0; i < 100; ++i)
    diamond.AddType(T::Result(T::Ref(uint32_t(base + i + 1)), T::Ref(uint32_t(base + i + 1))));
  diamond.AddType(sats::NamedProduct({{"x", T::U8()}}));
  diamond.AddReducer("r", ProductType({{"v", T::Ref(uint32_t(base))}}));
  auto r = diamond.Validate();
  ExpectInvalid(r, "is a user-defined product written inline");
  ExpectInvalid(r, "(1 problem)");

  // Named products forming a diamond are fine for clients, but inlining a column of that type would be huge.
  V10Builder wide;
  for (uint32_t i = 0; i < 40; ++i)
    wide.AddType(sats::NamedProduct({{"a", T::Ref(i + 1)}, {"b", T::Ref(i + 1)}}), "Level" + std::to_string(i));
  wide.AddType(sats::NamedProduct({{"x", T::U8()}}), "Leaf");
  wide.AddTable("big", wide.AddType(sats::NamedProduct({{"root", T::Ref(0)}}), "Big"));
  ExpectInvalid(wide.Validate(), "table `big` column `root`: the type has more than 65536 nodes");

  // A chain of references deeper than any real type.
  V10Builder deep = GoldenLike();
  base = deep.typespace.types.size();
  for (uint32_t i = 0; i < 5000; ++i) deep.AddType(T::Option(T::Ref(uint32_t(base + i + 1))));
  deep.AddType(T::U8());
  deep.AddReducer("r", ProductType({{"v", T::Ref(uint32_t(base))}}));
  ExpectInvalid(deep.Validate(), "type nested more than 512 levels deep");
}

TEST(ModuleDefValidation, GarbageAndMutatedBytesAreRejectedNotCrashed) {
  auto r = ModuleDef::FromBsatn(Hex("02 01000000 02 01000000"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kDecode);
  // Every single-byte mutation of the golden module either fails (decoding or validation) or validates; none crash.
  sats::Bytes golden = Hex(kGoldenV10Hex);
  int validated = 0;
  for (size_t i = 0; i < golden.size(); ++i) {
    for (uint8_t value : {uint8_t(0), uint8_t(1), uint8_t(2), uint8_t(0x13), uint8_t(0xff)}) {
      sats::Bytes m = golden;
      m[i] = value;
      auto def = ModuleDef::FromBsatn(m);
      if (def.ok()) ++validated;
      else EXPECT_FALSE(def.error().message().empty());
    }
  }
  EXPECT_GT(validated, 0);
}

}  // namespace
}  // namespace stdb::host
