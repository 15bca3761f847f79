// The feature module (feature_module.cc) run against the fake host: its module definition, decoded with
// src/sats, and every table and index operation of the SDK through its reducers.
#include <gtest/gtest.h>

#include <random>

#include "fake_host.h"
#include "sats/special_types.h"

namespace stdb::sdk_test {
namespace {

using T = sats::AlgebraicType;
using V = sats::AlgebraicValue;

sats::Identity IdentityOf(uint8_t seed) {
  uint8_t bytes[32];
  for (int i = 0; i < 32; ++i) bytes[i] = static_cast<uint8_t>(seed + i);
  return sats::Identity::FromLittleEndian(bytes);
}

// The BSATN of a reducer's arguments: the values back to back.
sats::Bytes Args(std::initializer_list<V> values) {
  sats::Bytes out;
  for (const V& v : values) {
    const sats::Bytes b = Encode(v);
    out.insert(out.end(), b.begin(), b.end());
  }
  return out;
}

class FeatureModule : public ::testing::Test {
 protected:
  void SetUp() override {
    host.LoadModule();
    ASSERT_TRUE(host.violations.empty());
  }
  void TearDown() override {
    EXPECT_EQ(host.violations, std::vector<std::string>{});
    EXPECT_EQ(host.open_iterators(), 0u) << "an iterator was neither exhausted nor closed";
  }

  // Calls a reducer that must succeed; returns the Info messages it logged.
  std::vector<std::string> Run(std::string_view reducer, const sats::Bytes& args = {},
                               const sats::Identity& sender = IdentityOf(1), sats::u128 connection = 0,
                               int64_t timestamp = 1700000000000000) {
    host.logs.clear();
    const ReducerCall call = host.CallReducer(reducer, args, sender, connection, timestamp);
    EXPECT_EQ(call.code, 0) << reducer << ": " << call.error;
    std::vector<std::string> info;
    for (const LogRecord& r : host.logs)
      if (r.level == 2) info.push_back(r.message);
    return info;
  }
  std::string RunOne(std::string_view reducer, const sats::Bytes& args = {}, const sats::Identity& sender = IdentityOf(1)) {
    const auto info = Run(reducer, args, sender);
    EXPECT_EQ(info.size(), 1u) << reducer;
    return info.empty() ? "" : info.back();
  }
  void AddPlayer(const std::string& name, uint32_t level, const sats::Identity& owner = IdentityOf(1)) {
    Run("add_player", Args({V::String(name), V::U32(level)}), owner);
  }

  FakeHost& host = FakeHost::Get();
};

// --- the module definition ------------------------------------------------------------------------------------

TEST_F(FeatureModule, SectionsComeInTheSdkOrder) {
  // Typespace, Types, Tables, Reducers, Schedules, LifeCycleReducers, CaseConversionPolicy, ExplicitNames, RLS.
  EXPECT_EQ(host.module_def().section_tags, (std::vector<uint8_t>{0, 1, 2, 3, 6, 7, 9, 10, 8}));
  EXPECT_EQ(host.module_def().case_conversion_policy, 1);  // SnakeCase
  EXPECT_EQ(host.module_def().row_level_security,
            (std::vector<std::string>{"SELECT * FROM player WHERE owner = :sender"}));
}

TEST_F(FeatureModule, TablesAndTypesAreOrderedByTypeNameNestedTypesFirst) {
  const ModuleDefView& def = host.module_def();
  EXPECT_EQ(def.table_names(),
            (std::vector<std::string>{"blob", "everything", "ping", "player", "score", "tick_schedule"}));
  std::vector<std::string> types;
  for (const TypeDefView& t : def.types) {
    types.push_back(t.name);
    EXPECT_TRUE(t.custom_ordering);
    EXPECT_TRUE(def.typespace.types.at(t.ty).IsProduct() || def.typespace.types.at(t.ty).IsSum());
  }
  EXPECT_EQ(types, (std::vector<std::string>{"Blob", "Color", "Point", "Shape", "Everything", "Ping", "Player",
                                             "Score", "Tick"}));
  EXPECT_EQ(def.type("Shape")->scope, (std::vector<std::string>{"Geometry"}));
  EXPECT_TRUE(def.type("Player")->scope.empty());
}

TEST_F(FeatureModule, EveryColumnTypeIsDescribedInlineOrByRef) {
  const ModuleDefView& def = host.module_def();
  const uint32_t color = def.type("Color")->ty, point = def.type("Point")->ty, shape = def.type("Shape")->ty;
  EXPECT_EQ(def.typespace.types[shape],
            sats::NamedSum({{"Circle", T::F64()}, {"Rect", T::Ref(point)}, {"Nothing", T::Unit()}}));
  const T expected = sats::NamedProduct({{"id", T::U32()},
                                         {"flag", T::Bool()},
                                         {"u8", T::U8()},
                                         {"u16", T::U16()},
                                         {"u32", T::U32()},
                                         {"u64", T::U64()},
                                         {"i8", T::I8()},
                                         {"i16", T::I16()},
                                         {"i32", T::I32()},
                                         {"i64", T::I64()},
                                         {"big_u", T::U128()},
                                         {"big_i", T::I128()},
                                         {"huge_u", T::U256()},
                                         {"huge_i", T::I256()},
                                         {"f32", T::F32()},
                                         {"f64", T::F64()},
                                         {"text", T::String()},
                                         {"bytes", T::Bytes()},
                                         {"words", T::Array(T::String())},
                                         {"maybe", T::Option(T::I32())},
                                         {"who", T::Identity()},
                                         {"conn", T::ConnectionId()},
                                         {"when", T::Timestamp()},
                                         {"span", T::TimeDuration()},
                                         {"uuid", T::Uuid()},
                                         {"at", T::ScheduleAt()},
                                         {"color", T::Ref(color)},
                                         {"shape", T::Ref(shape)},
                                         {"path", T::Array(T::Ref(point))},
                                         {"origin", T::Option(T::Ref(point))},
                                         {"outcome", T::Result(T::U32(), T::String())}});
  EXPECT_EQ(def.typespace.types.at(def.table("everything")->type_ref), expected);
}

TEST_F(FeatureModule, PlayerTableHasEveryKindOfConstraint) {
  const ModuleDefView& def = host.module_def();
  const TableView* player = def.table("player");
  ASSERT_NE(player, nullptr);
  EXPECT_EQ(def.column_names(*player),
            (std::vector<std::string>{"id", "name", "level", "owner", "serial", "nickname"}));
  EXPECT_EQ(player->primary_key, (std::vector<uint16_t>{0}));
  ASSERT_EQ(player->indexes.size(), 4u);
  // The FIELD_* preinits run in export-name order ("..._player_id_...", "..._player_level_...", ...), so the
  // single-column indexes follow the field names, and the multi-column index (a later export prefix) comes last.
  const std::vector<std::tuple<std::string, std::string, std::vector<uint16_t>>> expected_indexes = {
      {"player_id_idx_btree", "id", {0}},
      {"player_level_idx_btree", "level", {2}},
      {"player_name_idx_btree", "name", {1}},
      {"player_owner_level_idx_btree", "by_owner_level", {3, 2}}};
  for (size_t i = 0; i < expected_indexes.size(); ++i) {
    EXPECT_EQ(player->indexes[i].source_name, std::get<0>(expected_indexes[i]));
    EXPECT_EQ(player->indexes[i].accessor_name, std::get<1>(expected_indexes[i]));
    EXPECT_EQ(player->indexes[i].columns, std::get<2>(expected_indexes[i]));
    EXPECT_EQ(player->indexes[i].algorithm, 0);  // only btrees
  }
  ASSERT_EQ(player->constraints.size(), 2u);
  EXPECT_EQ(player->constraints[0].unique_columns, (std::vector<uint16_t>{0}));
  EXPECT_EQ(player->constraints[1].unique_columns, (std::vector<uint16_t>{1}));
  ASSERT_EQ(player->sequences.size(), 2u);
  EXPECT_EQ(player->sequences[0].column, 0);
  EXPECT_EQ(player->sequences[1].column, 4);
  ASSERT_EQ(player->defaults.size(), 1u);
  EXPECT_EQ(player->defaults[0].column, 5);
  EXPECT_EQ(player->defaults[0].value, Encode(V::String("anon")));
  EXPECT_EQ(player->table_access, 0);

  const TableView* score = def.table("score");
  ASSERT_NE(score, nullptr);
  EXPECT_TRUE(score->primary_key.empty());
  ASSERT_EQ(score->sequences.size(), 2u);
  EXPECT_EQ(score->constraints.size(), 1u);
  EXPECT_EQ(score->indexes.size(), 2u);
  EXPECT_TRUE(def.table("ping")->is_event);
  EXPECT_FALSE(def.table("player")->is_event);
  EXPECT_EQ(def.table("tick_schedule")->table_access, 1);  // Private
}

TEST_F(FeatureModule, ReducersLifecycleScheduleAndNames) {
  const ModuleDefView& def = host.module_def();
  const std::vector<std::string> names = def.reducer_names();
  ASSERT_FALSE(names.empty());
  EXPECT_EQ(names[0], "init");  // lifecycle reducers come first
  EXPECT_TRUE(std::is_sorted(names.begin() + 1, names.end())) << "the rest sort by name";
  for (const ReducerView& r : def.reducers) {
    const bool internal = r.name == "init" || r.name == "on_tick";
    EXPECT_EQ(r.visibility, internal ? 0 : 1) << r.name;
    EXPECT_TRUE(r.ok_return_type.IsUnit());
    EXPECT_TRUE(r.err_return_type.IsString());
  }
  const ReducerView* add = def.reducer("add_player");
  ASSERT_NE(add, nullptr);
  EXPECT_EQ(add->params, sats::ProductType({{"name", T::String()}, {"level", T::U32()}}));
  EXPECT_EQ(def.reducer("on_tick")->params,
            sats::ProductType({{"tick", T::Ref(def.table("tick_schedule")->type_ref)}}));
  EXPECT_EQ(def.reducer("players_owned_by")->params, sats::ProductType({{"owner", T::Identity()}}));

  ASSERT_EQ(def.schedules.size(), 1u);
  EXPECT_EQ(def.schedules[0].source_name, "tick_schedule_sched");
  EXPECT_EQ(def.schedules[0].table, "tick_schedule");
  EXPECT_EQ(def.schedules[0].schedule_at_column, 1);
  EXPECT_EQ(def.schedules[0].function, "on_tick");
  ASSERT_EQ(def.lifecycle.size(), 1u);
  EXPECT_EQ(def.lifecycle[0].function, "init");

  ASSERT_EQ(def.explicit_names.size(), 2u);
  EXPECT_EQ(def.explicit_names[0].kind, 0);  // Table
  EXPECT_EQ(def.explicit_names[0].source_name, "score");
  EXPECT_EQ(def.explicit_names[0].canonical_name, "Scores");
  EXPECT_EQ(def.explicit_names[1].kind, 1);  // Function
  EXPECT_EQ(def.explicit_names[1].source_name, "renamed_reducer");
  EXPECT_EQ(def.explicit_names[1].canonical_name, "RenamedReducer");
  Run("renamed_reducer");
}

// --- values -----------------------------------------------------------------------------------------------

TEST_F(FeatureModule, EveryTypeRoundTripsThroughTheModule) {
  const ModuleDefView& def = host.module_def();
  uint8_t who[32];
  for (int i = 0; i < 32; ++i) who[i] = static_cast<uint8_t>(255 - i);
  sats::U256 huge;
  huge.w = {1, 2, 3, 0x8000000000000000ULL};
  auto point = [](int32_t x, int32_t y) { return V::Product({V::I32(x), V::I32(y)}); };
  const V row = V::Product({
      V::U32(1), V::Bool(true), V::U8(200), V::U16(60000), V::U32(4000000000u), V::U64(~0ULL), V::I8(-100),
      V::I16(-30000), V::I32(-2000000000), V::I64(-9000000000000000000LL),
      V::U128((sats::u128(7) << 64) | 9), V::I128(-(sats::i128(1) << 100)), V::U256(huge),
      V::I256(sats::I256::FromI128(-12345)), V::F32(0.25f), V::F64(-1e300), V::String("caf\xc3\xa9"),
      V::Bytes({0, 1, 254, 255}), V::Array({V::String("x"), V::String("")}), V::OptionSome(V::I32(-1)),
      sats::Identity::FromLittleEndian(who).ToValue(), sats::ConnectionId(sats::u128(0xabcdef)).ToValue(),
      sats::Timestamp(-5).ToValue(), sats::TimeDuration(86400000000LL).ToValue(),
      sats::Uuid((sats::u128(0x0189fb4e7c1a7d4cULL) << 64) | 0x8e2f112233445566ULL).ToValue(),
      V::Sum(1, sats::Timestamp(1234).ToValue()),                   // ScheduleAt::Time
      V::Sum(2, V::Unit()),                                          // Color::Blue
      V::Sum(1, point(3, -4)),                                       // Shape::Rect
      V::Array({point(1, 2), point(3, 4)}), V::OptionNone(),         // path, origin
      V::Sum(1, V::String("failed")),                                // Result::err
  });
  ASSERT_TRUE(sats::bsatn::CheckValueType(def.typespace.types.at(def.table("everything")->type_ref), row,
                                          &def.typespace)
                  .ok());
  Run("store_everything", Encode(row));
  auto rows = host.Rows("everything");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], row) << rows[0].ToString();

  // Read back from the host by primary key, decoded by the SDK, written again under another id.
  Run("copy_everything", Args({V::U32(1), V::U32(2)}));
  rows = host.Rows("everything");
  ASSERT_EQ(rows.size(), 2u);
  V expected_copy = row;
  expected_copy.AsProduct().elements[0] = V::U32(2);
  EXPECT_EQ(rows[1], expected_copy);
  const ReducerCall missing = host.CallReducer("copy_everything", Args({V::U32(9), V::U32(10)}), IdentityOf(1));
  EXPECT_EQ(missing.code, 1);
  EXPECT_EQ(missing.error, "no row 9");
}

// --- tables and indexes -----------------------------------------------------------------------------------

TEST_F(FeatureModule, InsertFillsEverySequenceColumnThatHoldsZero) {
  EXPECT_EQ(Run("add_player", Args({V::String("ann"), V::U32(3)})), (std::vector<std::string>{"added ann id=1 serial=1"}));
  EXPECT_EQ(Run("add_player", Args({V::String("bob"), V::U32(5)})), (std::vector<std::string>{"added bob id=2 serial=2"}));
  // A sequence column given a value keeps it; only the zero one is generated and written back.
  EXPECT_EQ(RunOne("add_score", Args({V::I32(10), V::U32(0)})), "ticket 1 round 1");
  EXPECT_EQ(RunOne("add_score", Args({V::I32(20), V::U32(7)})), "ticket 2 round 7");
  const auto scores = host.Rows("score");
  ASSERT_EQ(scores.size(), 2u);
  EXPECT_EQ(scores[1].AsProduct().elements[1].as<uint32_t>(), 7u);
}

TEST_F(FeatureModule, PointLookupsByPrimaryKeyUniqueAndPlainIndexes) {
  AddPlayer("ann", 3);
  AddPlayer("bob", 5);
  AddPlayer("cyd", 3);
  EXPECT_EQ(RunOne("find_player", Args({V::U64(2)})), "found bob");
  EXPECT_EQ(RunOne("find_player", Args({V::U64(9)})), "missing");
  EXPECT_EQ(RunOne("find_player_by_name", Args({V::String("cyd")})), "found id 3");
  EXPECT_EQ(RunOne("find_player_by_name", Args({V::String("dan")})), "missing");
  EXPECT_EQ(RunOne("players_at_level", Args({V::U32(3)})), "ann,cyd");
  EXPECT_EQ(RunOne("players_at_level", Args({V::U32(4)})), "-");
}

TEST_F(FeatureModule, RangeScansInEveryForm) {
  AddPlayer("l10", 10);
  AddPlayer("l20", 20);
  AddPlayer("l30", 30);
  AddPlayer("l05", 5);
  auto range = [&](uint8_t kind, uint32_t a, uint32_t b) {
    return RunOne("players_in_range", Args({V::U8(kind), V::U32(a), V::U32(b)}));
  };
  EXPECT_EQ(range(0, 10, 30), "l10,l20");          // 10..30
  EXPECT_EQ(range(1, 10, 30), "l10,l20,l30");      // 10..=30
  EXPECT_EQ(range(2, 20, 0), "l20,l30");           // 20..
  EXPECT_EQ(range(3, 0, 20), "l05,l10");           // ..20
  EXPECT_EQ(range(4, 0, 20), "l05,l10,l20");       // ..=20
  EXPECT_EQ(range(5, 0, 0), "l05,l10,l20,l30");    // .. in index order
  EXPECT_EQ(range(0, 11, 19), "-");
}

TEST_F(FeatureModule, MultiColumnIndexByFullKeyPrefixAndPrefixPlusRange) {
  const sats::Identity alice = IdentityOf(10), bob = IdentityOf(20);
  AddPlayer("a1", 1, alice);
  AddPlayer("a5", 5, alice);
  AddPlayer("a9", 9, alice);
  AddPlayer("b5", 5, bob);
  EXPECT_EQ(RunOne("players_owned_by", Args({alice.ToValue()})), "a1,a5,a9");
  EXPECT_EQ(RunOne("players_owned_by", Args({bob.ToValue()})), "b5");
  EXPECT_EQ(RunOne("players_owned_at", Args({alice.ToValue(), V::U32(5)})), "a5");
  EXPECT_EQ(RunOne("players_owned_at", Args({bob.ToValue(), V::U32(1)})), "-");
  EXPECT_EQ(RunOne("players_owned_between", Args({alice.ToValue(), V::U32(2), V::U32(9)})), "a5,a9");
}

TEST_F(FeatureModule, UpdatesThroughUniqueIndexes) {
  AddPlayer("ann", 3);
  Run("level_up", Args({V::U64(1)}));
  EXPECT_EQ(host.Rows("player")[0].AsProduct().elements[2].as<uint32_t>(), 4u);
  const ReducerCall missing = host.CallReducer("level_up", Args({V::U64(5)}), IdentityOf(1));
  EXPECT_EQ(missing.code, 1);
  EXPECT_EQ(missing.error, "no player 5");

  EXPECT_EQ(RunOne("set_level_by_name", Args({V::String("ann"), V::U32(40)})), "updated");
  EXPECT_EQ(host.Rows("player")[0].AsProduct().elements[2].as<uint32_t>(), 40u);
  EXPECT_EQ(RunOne("set_level_by_name", Args({V::String("zed"), V::U32(1)})), "not updated");
  EXPECT_EQ(host.Rows("player").size(), 1u);

  // try_insert_or_update: an existing key is updated in place, a new one inserted.
  EXPECT_EQ(RunOne("upsert_player", Args({V::U64(1), V::String("ann"), V::U32(2)})), "stored id=1");
  EXPECT_EQ(RunOne("upsert_player", Args({V::U64(50), V::String("new"), V::U32(2)})), "stored id=50");
  const auto rows = host.Rows("player");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].AsProduct().elements[5].AsString(), "up");
  EXPECT_EQ(rows[1].AsProduct().elements[0].as<uint64_t>(), 50u);
}

TEST_F(FeatureModule, DeletesByKeyValueIndexRangeAndRow) {
  for (const auto& [name, level] : std::vector<std::pair<std::string, uint32_t>>{
           {"p1", 1}, {"p2", 2}, {"p3", 2}, {"p4", 3}, {"p5", 4}, {"p6", 5}, {"p7", 6}})
    AddPlayer(name, level);
  EXPECT_EQ(RunOne("remove_player", Args({V::U64(1)})), "removed");
  EXPECT_EQ(RunOne("remove_player", Args({V::U64(1)})), "not removed");
  EXPECT_EQ(RunOne("remove_player_named", Args({V::String("p4")})), "removed");
  EXPECT_EQ(RunOne("remove_player_named", Args({V::String("p4")})), "not removed");
  EXPECT_EQ(RunOne("remove_level", Args({V::U32(2)})), "removed 2");
  EXPECT_EQ(RunOne("remove_levels", Args({V::U32(4), V::U32(6)})), "removed 2");
  EXPECT_EQ(Run("remove_row", Args({V::U64(7)})), (std::vector<std::string>{"removed 1", "removed again 0"}));
  EXPECT_EQ(RunOne("list_players"), "0: -");
}

TEST_F(FeatureModule, CountIterateAndClear) {
  AddPlayer("x", 1);
  AddPlayer("y", 2);
  EXPECT_EQ(RunOne("list_players"), "2: x,y");
  EXPECT_EQ(RunOne("clear_players"), "cleared 2");
  EXPECT_TRUE(host.Rows("player").empty());
}

TEST_F(FeatureModule, TryInsertReportsAUniqueViolation) {
  AddPlayer("ann", 1);
  EXPECT_EQ(RunOne("insert_duplicate_name", Args({V::String("ann")})), "unique violation: unique constraint violation");
  EXPECT_EQ(host.Rows("player").size(), 1u);
}

TEST_F(FeatureModule, AnErrRollsBackWhatTheReducerWrote) {
  AddPlayer("ann", 1);
  const ReducerCall call = host.CallReducer("fail_after_insert", Args({V::String("bob")}), IdentityOf(1));
  EXPECT_EQ(call.code, 1);
  EXPECT_EQ(call.error, "deliberate failure after inserting bob");
  EXPECT_EQ(host.Rows("player").size(), 1u);
}

// --- the row iterator protocol ------------------------------------------------------------------------------

TEST_F(FeatureModule, ScansReadEveryChunkAndGrowTheBufferWhenTooSmall) {
  Run("fill_blobs", Args({V::U32(40), V::U32(10000)}));
  // Chunks of ~110 KB do not fit the SDK's first 64 KiB buffer: the host answers BUFFER_TOO_SMALL with the size.
  host.chunk_bytes = 100 * 1024;
  EXPECT_EQ(RunOne("scan_blobs"), "40 rows 400000 bytes id sum 780");
  EXPECT_GE(host.buffer_too_small_count, 1u);
  EXPECT_GT(host.largest_iter_buffer, 64u * 1024);
  // Many small chunks: several chunks per advance, several advances per scan.
  host.chunk_bytes = 100;
  EXPECT_EQ(RunOne("scan_blobs"), "40 rows 400000 bytes id sum 780");
}

TEST_F(FeatureModule, AnAbandonedScanClosesItsIterator) {
  Run("fill_blobs", Args({V::U32(30), V::U32(5000)}));
  host.chunk_bytes = 1024;  // one row per chunk, so the iterator is still open after the first row
  const size_t created = host.iterators_created;
  EXPECT_EQ(RunOne("first_blob"), "first 0");
  EXPECT_EQ(host.iterators_created, created + 1);
  EXPECT_EQ(host.open_iterators(), 0u);
}

// --- scheduling and lifecycle -------------------------------------------------------------------------------

TEST_F(FeatureModule, ScheduledReducerReceivesTheWholeRow) {
  Run("init", {}, host.database_identity);
  const auto ticks = host.Rows("tick_schedule");
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].AsProduct().elements[0].as<uint64_t>(), 1u);  // scheduled_id from the sequence
  // The host calls the scheduled reducer with the BSATN of the row as its only argument.
  EXPECT_EQ(RunOne("on_tick", Encode(ticks[0]), host.database_identity), "tick heartbeat every +1.000000");
}

// --- the reducer context ------------------------------------------------------------------------------------

TEST_F(FeatureModule, ContextCarriesTheCallersIdentityConnectionAndTime) {
  const sats::Identity caller = IdentityOf(7);
  const sats::u128 connection = (sats::u128(0x1122334455667788ULL) << 64) | 0x99aabbccddeeff00ULL;
  const int64_t timestamp = 1700000000123456;
  const auto info = Run("context_probe", {}, caller, connection, timestamp);
  ASSERT_EQ(info.size(), 9u);
  EXPECT_EQ(info[0], "sender " + caller.ToHex());
  EXPECT_EQ(info[1], "connection " + sats::ConnectionId(connection).ToHex());
  EXPECT_EQ(info[2], "timestamp 2023-11-14T22:13:20.123456+00:00");
  EXPECT_EQ(info[3], "database " + host.database_identity.ToHex());
  std::mt19937_64 reference(static_cast<uint64_t>(timestamp));
  EXPECT_EQ(info[4], "rng " + std::to_string(reference()));
  EXPECT_EQ(info[5].substr(0, 6), "uuid4 ");
  EXPECT_EQ(info[5][6 + 14], '4');  // the version digit
  EXPECT_EQ(info[6][6 + 14], '7');
  // v7 starts with the call's milliseconds since the epoch: 1700000000123 = 0x018bcfe5687b.
  EXPECT_EQ(info[6].substr(6, 13), "018bcfe5-687b");
  EXPECT_NE(info[6], info[7]);  // the counter advances within a call
  EXPECT_EQ(info[8], "Timing span \"probe\"");
  bool warned = false;
  for (const LogRecord& r : host.logs) {
    EXPECT_NE(r.level, 4u) << "trace is compiled out below the default level";
    if (r.level == 1) {
      warned = true;
      EXPECT_EQ(r.message, "5% done");
      EXPECT_EQ(r.filename, "feature_module.cc");
    }
  }
  EXPECT_TRUE(warned);

  // Same timestamp, same draws; no connection id for calls that have none.
  const auto again = Run("context_probe", {}, caller, 0, timestamp);
  EXPECT_EQ(again[1], "no connection");
  EXPECT_EQ(again[4], info[4]);
  EXPECT_EQ(again[5], info[5]);
}

}  // namespace
}  // namespace stdb::sdk_test
