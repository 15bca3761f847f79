// A module that uses every feature of the SDK, for feature_module_test.cc (natively, against the fake host) and
// for the wasm toolchain (sdk_feature_module.wasm). Its reducers are small probes: each does one kind of operation
// and logs what it saw, so the test can check the results through the module's own API.
#include <spacetimedb.h>

using namespace SpacetimeDB;

SPACETIMEDB_SETTING_CASE_CONVERSION(CaseConversionPolicy::SnakeCase);

// --- every SATS type --------------------------------------------------------------------------------------------

SPACETIMEDB_ENUM(Color, Red, Green, Blue);

struct Point {
  int32_t x;
  int32_t y;
};
SPACETIMEDB_STRUCT(Point, x, y);

SPACETIMEDB_UNIT_TYPE(NoShape)
SPACETIMEDB_ENUM(Shape, (Circle, double), (Rect, Point), (Nothing, NoShape));
SPACETIMEDB_NAMESPACE(Shape, "Geometry");

struct Everything {
  uint32_t id;
  bool flag;
  uint8_t u8;
  uint16_t u16;
  uint32_t u32;
  uint64_t u64;
  int8_t i8;
  int16_t i16;
  int32_t i32;
  int64_t i64;
  u128 big_u;
  i128 big_i;
  u256 huge_u;
  i256 huge_i;
  float f32;
  double f64;
  std::string text;
  std::vector<uint8_t> bytes;
  std::vector<std::string> words;
  std::optional<int32_t> maybe;
  Identity who;
  ConnectionId conn;
  Timestamp when;
  TimeDuration span;
  Uuid uuid;
  ScheduleAt at;
  Color color;
  Shape shape;
  std::vector<Point> path;
  std::optional<Point> origin;
  Result<uint32_t, std::string> outcome;
};
SPACETIMEDB_STRUCT(Everything, id, flag, u8, u16, u32, u64, i8, i16, i32, i64, big_u, big_i, huge_u, huge_i, f32,
                   f64, text, bytes, words, maybe, who, conn, when, span, uuid, at, color, shape, path, origin,
                   outcome);
SPACETIMEDB_TABLE(Everything, everything, Private);
FIELD_PrimaryKey(everything, id);

SPACETIMEDB_REDUCER(store_everything, ReducerContext ctx, Everything row) {
  ctx.db[everything].insert(row);
  return Ok();
}

// Reads a row back from the host and stores a copy under another key.
SPACETIMEDB_REDUCER(copy_everything, ReducerContext ctx, uint32_t from, uint32_t to) {
  std::optional<Everything> row = ctx.db[everything_id].find(from);
  if (!row) return Err("no row " + std::to_string(from));
  row->id = to;
  ctx.db[everything].insert(*row);
  return Ok();
}

// --- players: primary key, unique, plain and multi-column indexes, sequences, a default ---------------------

struct Player {
  uint64_t id;
  std::string name;
  uint32_t level;
  Identity owner;
  uint64_t serial;
  std::string nickname;
};
SPACETIMEDB_STRUCT(Player, id, name, level, owner, serial, nickname);
SPACETIMEDB_TABLE(Player, player, Public);
FIELD_PrimaryKeyAutoInc(player, id);
FIELD_Unique(player, name);
FIELD_Index(player, level);
FIELD_AutoInc(player, serial);
FIELD_Default(player, nickname, "anon");
FIELD_MultiColumnIndex(player, by_owner_level, owner, level);
SPACETIMEDB_CLIENT_VISIBILITY_FILTER(own_players, "SELECT * FROM player WHERE owner = :sender");

template <typename Rows>
std::string NamesOf(Rows&& rows) {
  std::string names;
  for (const Player& p : rows) names += (names.empty() ? "" : ",") + p.name;
  return names.empty() ? "-" : names;
}

SPACETIMEDB_REDUCER(add_player, ReducerContext ctx, std::string name, uint32_t level) {
  const Player added = ctx.db[player].insert(Player{0, name, level, ctx.sender(), 0, "anon"});
  LOG_INFO_F("added %s id=%llu serial=%llu", added.name.c_str(), static_cast<unsigned long long>(added.id),
             static_cast<unsigned long long>(added.serial));
  return Ok();
}

SPACETIMEDB_REDUCER(find_player, ReducerContext ctx, uint64_t id) {
  const auto found = ctx.db[player_id].find(id);
  LOG_INFO(found ? "found " + found->name : "missing");
  return Ok();
}

SPACETIMEDB_REDUCER(find_player_by_name, ReducerContext ctx, std::string name) {
  const auto found = ctx.db[player_name].find(name);
  LOG_INFO(found ? "found id " + std::to_string(found->id) : "missing");
  return Ok();
}

SPACETIMEDB_REDUCER(players_at_level, ReducerContext ctx, uint32_t level) {
  LOG_INFO(NamesOf(ctx.db[player_level].filter(level)));
  return Ok();
}

// kind: 0 a..b, 1 a..=b, 2 a.., 3 ..b, 4 ..=b, 5 ..
SPACETIMEDB_REDUCER(players_in_range, ReducerContext ctx, uint8_t kind, uint32_t a, uint32_t b) {
  auto index = ctx.db[player_level];
  switch (kind) {
    case 0: LOG_INFO(NamesOf(index.filter(range(a, b)))); break;
    case 1: LOG_INFO(NamesOf(index.filter(range_inclusive(a, b)))); break;
    case 2: LOG_INFO(NamesOf(index.filter(range_from(a)))); break;
    case 3: LOG_INFO(NamesOf(index.filter(range_to(b)))); break;
    case 4: LOG_INFO(NamesOf(index.filter(range_to_inclusive(b)))); break;
    case 5: LOG_INFO(NamesOf(index.filter(range_full<uint32_t>()))); break;
    default: return Err("unknown range kind");
  }
  return Ok();
}

SPACETIMEDB_REDUCER(players_owned_by, ReducerContext ctx, Identity owner) {
  LOG_INFO(NamesOf(ctx.db[player_by_owner_level].filter(owner)));
  return Ok();
}

SPACETIMEDB_REDUCER(players_owned_at, ReducerContext ctx, Identity owner, uint32_t level) {
  LOG_INFO(NamesOf(ctx.db[player_by_owner_level].filter(std::make_tuple(owner, level))));
  return Ok();
}

SPACETIMEDB_REDUCER(players_owned_between, ReducerContext ctx, Identity owner, uint32_t lo, uint32_t hi) {
  LOG_INFO(NamesOf(ctx.db[player_by_owner_level].filter(std::make_tuple(owner, range_inclusive(lo, hi)))));
  return Ok();
}

SPACETIMEDB_REDUCER(level_up, ReducerContext ctx, uint64_t id) {
  auto found = ctx.db[player_id].find(id);
  if (!found) return Err("no player " + std::to_string(id));
  found->level += 1;
  if (!ctx.db[player_id].update(*found)) return Err("update found no row");
  return Ok();
}

SPACETIMEDB_REDUCER(set_level_by_name, ReducerContext ctx, std::string name, uint32_t level) {
  auto found = ctx.db[player_name].find(name);
  Player changed = found ? *found : Player{999, name, level, ctx.sender(), 0, ""};
  changed.level = level;
  LOG_INFO(ctx.db[player_name].update(changed) ? "updated" : "not updated");
  return Ok();
}

SPACETIMEDB_REDUCER(upsert_player, ReducerContext ctx, uint64_t id, std::string name, uint32_t level) {
  const Player stored = ctx.db[player_id].try_insert_or_update(Player{id, name, level, ctx.sender(), 7, "up"});
  LOG_INFO_F("stored id=%llu", static_cast<unsigned long long>(stored.id));
  return Ok();
}

SPACETIMEDB_REDUCER(remove_player, ReducerContext ctx, uint64_t id) {
  LOG_INFO(ctx.db[player_id].delete_by_key(id) ? "removed" : "not removed");
  return Ok();
}

SPACETIMEDB_REDUCER(remove_player_named, ReducerContext ctx, std::string name) {
  LOG_INFO(ctx.db[player_name].delete_by_value(name) ? "removed" : "not removed");
  return Ok();
}

SPACETIMEDB_REDUCER(remove_level, ReducerContext ctx, uint32_t level) {
  LOG_INFO("removed " + std::to_string(ctx.db[player_level].delete_all(level)));
  return Ok();
}

SPACETIMEDB_REDUCER(remove_levels, ReducerContext ctx, uint32_t lo, uint32_t hi) {
  LOG_INFO("removed " + std::to_string(ctx.db[player_level].delete_range(range(lo, hi))));
  return Ok();
}

SPACETIMEDB_REDUCER(remove_row, ReducerContext ctx, uint64_t id) {
  const auto found = ctx.db[player_id].find(id);
  if (!found) return Err("no player");
  LOG_INFO("removed " + std::to_string(ctx.db[player].delete_by_value(*found)));
  LOG_INFO("removed again " + std::to_string(ctx.db[player].delete_by_value(*found)));
  return Ok();
}

SPACETIMEDB_REDUCER(list_players, ReducerContext ctx) {
  LOG_INFO(std::to_string(ctx.db[player].count()) + ": " + NamesOf(ctx.db[player]));
  return Ok();
}

SPACETIMEDB_REDUCER(clear_players, ReducerContext ctx) {
  LOG_INFO("cleared " + std::to_string(ctx.db[player].clear()));
  return Ok();
}

SPACETIMEDB_REDUCER(insert_duplicate_name, ReducerContext ctx, std::string name) {
  const auto result = ctx.db[player].try_insert(Player{0, name, 1, ctx.sender(), 0, ""});
  if (result.is_ok()) return Err("a duplicate name was accepted");
  LOG_INFO(result.err().type == InsertErrorType::UniqueConstraintViolation ? "unique violation: " + result.err().message
                                                                          : "other error");
  return Ok();
}

SPACETIMEDB_REDUCER(fail_after_insert, ReducerContext ctx, std::string name) {
  ctx.db[player].insert(Player{0, name, 1, ctx.sender(), 0, ""});
  return Err("deliberate failure after inserting " + name);
}

// --- big rows: the chunked row iterator -------------------------------------------------------------------

struct Blob {
  uint32_t id;
  std::string data;
};
SPACETIMEDB_STRUCT(Blob, id, data);
SPACETIMEDB_TABLE(Blob, blob, Private);
FIELD_PrimaryKey(blob, id);

SPACETIMEDB_REDUCER(fill_blobs, ReducerContext ctx, uint32_t count, uint32_t size) {
  for (uint32_t i = 0; i < count; ++i) ctx.db[blob].insert(Blob{i, std::string(size, static_cast<char>('a' + i % 26))});
  return Ok();
}

SPACETIMEDB_REDUCER(scan_blobs, ReducerContext ctx) {
  uint64_t rows = 0, bytes = 0, id_sum = 0;
  for (const Blob& b : ctx.db[blob]) {
    ++rows;
    bytes += b.data.size();
    id_sum += b.id;
  }
  LOG_INFO_F("%llu rows %llu bytes id sum %llu", static_cast<unsigned long long>(rows),
             static_cast<unsigned long long>(bytes), static_cast<unsigned long long>(id_sum));
  return Ok();
}

SPACETIMEDB_REDUCER(first_blob, ReducerContext ctx) {
  for (const Blob& b : ctx.db[blob]) {
    LOG_INFO("first " + std::to_string(b.id));
    break;
  }
  return Ok();
}

// --- sequences on unique and indexed columns, an explicit table name, an event table -------------------

struct Score {
  uint64_t ticket;
  uint32_t round;
  int32_t points;
};
SPACETIMEDB_STRUCT(Score, ticket, round, points);
SPACETIMEDB_TABLE(Score, score, Public, "Scores");
FIELD_UniqueAutoInc(score, ticket);
FIELD_IndexAutoInc(score, round);

struct Ping {
  uint32_t n;
};
SPACETIMEDB_STRUCT(Ping, n);
SPACETIMEDB_TABLE(Ping, ping, Public, true);

SPACETIMEDB_REDUCER(add_score, ReducerContext ctx, int32_t points, uint32_t round) {
  const Score s = ctx.db[score].insert(Score{0, round, points});
  LOG_INFO_F("ticket %llu round %u", static_cast<unsigned long long>(s.ticket), s.round);
  return Ok();
}

// --- scheduling ---------------------------------------------------------------------------------------------

struct Tick {
  uint64_t scheduled_id;
  ScheduleAt scheduled_at;
  std::string label;
};
SPACETIMEDB_STRUCT(Tick, scheduled_id, scheduled_at, label);
SPACETIMEDB_TABLE(Tick, tick_schedule, Private);
FIELD_PrimaryKeyAutoInc(tick_schedule, scheduled_id);
SPACETIMEDB_SCHEDULE(tick_schedule, 1, on_tick);

SPACETIMEDB_REDUCER(on_tick, ReducerContext ctx, Tick tick) {
  LOG_INFO("tick " + tick.label + (tick.scheduled_at.is_interval() ? " every " : " at ") +
           (tick.scheduled_at.is_interval() ? tick.scheduled_at.get_interval().to_string()
                                            : tick.scheduled_at.get_time().to_string()));
  return Ok();
}

// --- the reducer context and logging ------------------------------------------------------------------------

SPACETIMEDB_INIT(init, ReducerContext ctx) {
  ctx.db[tick_schedule].insert(Tick{0, TimeDuration::from_seconds(1), "heartbeat"});
  return Ok();
}

SPACETIMEDB_REDUCER(context_probe, ReducerContext ctx) {
  LOG_INFO("sender " + ctx.sender().to_hex_string());
  LOG_INFO(ctx.connection_id ? "connection " + ctx.connection_id->to_hex_string() : std::string("no connection"));
  LOG_INFO("timestamp " + ctx.timestamp.to_string());
  LOG_INFO("database " + ctx.database_identity().to_hex_string());
  LOG_INFO("rng " + std::to_string(ctx.rng().next_u64()));
  LOG_INFO("uuid4 " + ctx.new_uuid_v4().to_string());
  LOG_INFO("uuid7 " + ctx.new_uuid_v7().to_string());
  LOG_INFO("uuid7 " + ctx.new_uuid_v7().to_string());
  {
    LogStopwatch timer("probe");
  }
  LOG_TRACE("trace is below the default level");
  LOG_WARN_F("%d%% done", 5);
  return Ok();
}

SPACETIMEDB_REDUCER_NAMED(renamed_reducer, "RenamedReducer", ReducerContext ctx) { return Ok(); }
