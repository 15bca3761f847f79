#include "sql/sql_engine.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "sats/sats_json.h"
#include "sql/testing/test_database.h"

namespace stdb::sql {
namespace {

using namespace testing;
using sats::AlgebraicType;
using sats::AlgebraicValue;

AlgebraicValue U64(uint64_t v) { return AlgebraicValue::U64(v); }
AlgebraicValue U8(uint8_t v) { return AlgebraicValue::U8(v); }
AlgebraicValue Str(std::string s) { return AlgebraicValue::String(std::move(s)); }
AlgebraicValue F32(float f) { return AlgebraicValue::F32(f); }

std::vector<std::string> SortedRows(TestDatabase& db, const std::string& sql, const CallerContext& caller) {
  auto rows = db.Rows(sql, caller);
  EXPECT_TRUE(rows.ok()) << sql << ": " << rows.error().message();
  return rows.ok() ? Sorted(*rows) : std::vector<std::string>{"<error>"};
}

std::vector<std::string> SortedRows(TestDatabase& db, const std::string& sql) {
  return SortedRows(db, sql, TestDatabase::Owner());
}

std::vector<std::string> Expect(std::vector<sats::ProductValue> rows) { return Sorted(rows); }

std::string ErrorOf(TestDatabase& db, const std::string& sql, const CallerContext& caller = TestDatabase::Owner()) {
  auto r = db.Query(sql, caller);
  EXPECT_FALSE(r.ok()) << sql;
  return r.ok() ? "" : r.error().message();
}

// crates/core/src/sql/execute.rs: the `inventory` table of create_data(n).
table::TableId Inventory(TestDatabase& db, uint64_t rows) {
  table::TableId t = db.CreateTable("inventory", {{"inventory_id", AlgebraicType::U64()}, {"name", AlgebraicType::String()}});
  for (uint64_t i = 1; i <= rows; ++i) db.Insert(t, {{U64(i), Str("health" + std::to_string(i))}});
  return t;
}

TEST(SqlEngine, SelectStarLimitAndColumns) {
  TestDatabase db;
  Inventory(db, 5);
  EXPECT_EQ(SortedRows(db, "SELECT * FROM inventory WHERE inventory_id = 1"),
            Expect({Row({U64(1), Str("health1")})}));
  auto limited = db.Rows("SELECT * FROM inventory limit 2");
  ASSERT_TRUE(limited.ok());
  EXPECT_EQ(limited->size(), 2u);
  EXPECT_EQ(SortedRows(db, "SELECT inventory.* FROM inventory WHERE inventory_id <= 1"),
            Expect({Row({U64(1), Str("health1")})}));
  EXPECT_EQ(SortedRows(db, "SELECT inventory.inventory_id FROM inventory WHERE inventory.inventory_id = 1"),
            Expect({Row({U64(1)})}));
  EXPECT_EQ(SortedRows(db, "SELECT inventory_id FROM inventory WHERE inventory_id = 1 OR inventory_id = 2"),
            Expect({Row({U64(1)}), Row({U64(2)})}));
  EXPECT_EQ(
      SortedRows(db, "SELECT inventory_id FROM inventory WHERE (inventory_id = 1 OR inventory_id = 2 AND (true))"),
      Expect({Row({U64(1)}), Row({U64(2)})}));
  auto result = db.Query("SELECT name AS n, inventory_id FROM inventory WHERE inventory_id = 3");
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->schema.elements.size(), 2u);
  EXPECT_EQ(*result->schema.elements[0].name, "n");
  EXPECT_EQ(*result->schema.elements[1].name, "inventory_id");
  EXPECT_EQ(result->schema.elements[1].type, AlgebraicType::U64());
}

TEST(SqlEngine, Count) {
  TestDatabase db;
  Inventory(db, 5);
  EXPECT_EQ(SortedRows(db, "SELECT count(*) as n FROM inventory"), Expect({Row({U64(5)})}));
  // LIMIT does not change the count.
  EXPECT_EQ(SortedRows(db, "SELECT count(*) as n FROM inventory limit 2"), Expect({Row({U64(5)})}));
  EXPECT_EQ(SortedRows(db, "SELECT count(*) as n FROM inventory WHERE inventory_id = 4 or inventory_id = 5"),
            Expect({Row({U64(2)})}));
  EXPECT_EQ(SortedRows(db, "SELECT COUNT(*) AS n FROM inventory WHERE inventory_id > 100"), Expect({Row({U64(0)})}));
  auto r = db.Query("SELECT count(*) AS total FROM inventory");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r->schema.elements[0].name, "total");
  EXPECT_EQ(r->schema.elements[0].type, AlgebraicType::U64());
}

TEST(SqlEngine, SenderParameter) {
  TestDatabase db;
  // The reference's test runs as Identity::ZERO; our owner identity stands in for it.
  sats::Identity me = TestDatabase::OwnerIdentity();
  sats::Identity other = TestDatabase::IdentityOf(1);
  table::TableId user = db.CreateTable("user", {{"identity", AlgebraicType::Identity()}});
  db.Insert(user, {{me.ToValue()}, {other.ToValue()}});
  EXPECT_EQ(SortedRows(db, "SELECT * FROM user WHERE identity = :sender"), Expect({Row({me.ToValue()})}));
  ASSERT_TRUE(db.Run("DELETE FROM user WHERE identity = :sender").ok());
  EXPECT_EQ(SortedRows(db, "SELECT * FROM user"), Expect({Row({other.ToValue()})}));
  ASSERT_TRUE(db.Run("UPDATE user SET identity = 0x" + me.ToHex()).ok());
  EXPECT_EQ(SortedRows(db, "SELECT * FROM user"), Expect({Row({me.ToValue()})}));
  ASSERT_TRUE(db.Run("UPDATE user SET identity = 0x" + other.ToHex() + " WHERE identity = :sender").ok());
  EXPECT_EQ(SortedRows(db, "SELECT * FROM user"), Expect({Row({other.ToValue()})}));
}

TEST(SqlEngine, SenderAgainstBytesColumn) {
  TestDatabase db;
  sats::Identity me = TestDatabase::IdentityOf(7);
  table::TableId t = db.CreateTable("t", {{"b", AlgebraicType::Bytes()}, {"n", AlgebraicType::U8()}});
  auto be = me.be_bytes();
  db.Insert(t, {{AlgebraicValue::Bytes({be.begin(), be.end()}), U8(1)}, {AlgebraicValue::Bytes({1, 2}), U8(2)}});
  EXPECT_EQ(SortedRows(db, "SELECT n FROM t WHERE b = :sender", CallerContext::Owner(me)), Expect({Row({U8(1)})}));
  EXPECT_EQ(SortedRows(db, "SELECT n FROM t WHERE b = 0x0102"), Expect({Row({U8(2)})}));
}

// The game data of execute.rs: inner joins of two and three tables.
TEST(SqlEngine, InnerJoins) {
  TestDatabase db;
  auto inv = db.CreateTable("Inventory", {{"inventory_id", AlgebraicType::U64()}, {"name", AlgebraicType::String()}});
  auto player =
      db.CreateTable("Player", {{"entity_id", AlgebraicType::U64()}, {"inventory_id", AlgebraicType::U64()}});
  auto loc = db.CreateTable(
      "Location", {{"entity_id", AlgebraicType::U64()}, {"x", AlgebraicType::F32()}, {"z", AlgebraicType::F32()}});
  db.Insert(inv, {{U64(1), Str("health")}});
  db.Insert(player, {{U64(100), U64(1)}, {U64(200), U64(1)}, {U64(300), U64(1)}});
  db.Insert(loc, {{U64(100), F32(0), F32(32)}, {U64(100), F32(1), F32(31)}});
  EXPECT_EQ(SortedRows(db, R"(SELECT Player.* FROM Player JOIN Location ON Location.entity_id = Player.entity_id
                              WHERE Location.x > 0 AND Location.x <= 32 AND Location.z > 0 AND Location.z <= 32)"),
            Expect({Row({U64(100), U64(1)})}));
  EXPECT_EQ(SortedRows(db, R"(SELECT Inventory.* FROM Inventory
                              JOIN Player ON Inventory.inventory_id = Player.inventory_id
                              JOIN Location ON Player.entity_id = Location.entity_id
                              WHERE Location.x > 0 AND Location.x <= 32 AND Location.z > 0 AND Location.z <= 32)"),
            Expect({Row({U64(1), Str("health")})}));
  // Bag semantics: one Inventory row per matching Player row.
  EXPECT_EQ(SortedRows(db, "SELECT Inventory.* FROM Inventory JOIN Player ON Inventory.inventory_id = Player.inventory_id"),
            Expect({Row({U64(1), Str("health")}), Row({U64(1), Str("health")}), Row({U64(1), Str("health")})}));
}

TEST(SqlEngine, MultiWayJoinWithBridgeTables) {
  TestDatabase db;
  auto orders = db.CreateTable("orders", {{"o_orderkey", AlgebraicType::U64()}, {"o_custkey", AlgebraicType::U64()},
                                          {"o_orderstatus", AlgebraicType::U64()}},
                               {BTree({0}), BTree({1}), BTree({2})});
  auto customer = db.CreateTable("customer", {{"c_custkey", AlgebraicType::U64()}, {"c_nationkey", AlgebraicType::U64()}},
                                 {BTree({0}), BTree({1})});
  auto nation = db.CreateTable("nation", {{"n_nationkey", AlgebraicType::U64()}, {"n_name", AlgebraicType::String()},
                                          {"n_regionkey", AlgebraicType::U64()}},
                               {BTree({0}), BTree({2})});
  auto region = db.CreateTable("region", {{"r_regionkey", AlgebraicType::U64()}, {"r_name", AlgebraicType::String()}},
                               {BTree({0})});
  db.Insert(orders, {{U64(1), U64(10), U64(0)}, {U64(2), U64(20), U64(1)}});
  db.Insert(customer, {{U64(10), U64(100)}, {U64(20), U64(200)}});
  db.Insert(nation, {{U64(100), Str("NATION_A"), U64(1000)}, {U64(200), Str("NATION_B"), U64(2000)}});
  db.Insert(region, {{U64(1000), Str("REGION_A")}, {U64(2000), Str("REGION_B")}});
  EXPECT_EQ(SortedRows(db, R"(SELECT customer.c_custkey, nation.n_name FROM orders
                              JOIN customer ON customer.c_custkey = orders.o_custkey
                              JOIN nation ON nation.n_nationkey = customer.c_nationkey
                              WHERE orders.o_orderstatus = 0)"),
            Expect({Row({U64(10), Str("NATION_A")})}));
  EXPECT_EQ(SortedRows(db, R"(SELECT customer.c_custkey, region.r_name FROM orders
                              JOIN customer ON customer.c_custkey = orders.o_custkey
                              JOIN nation ON nation.n_nationkey = customer.c_nationkey
                              JOIN region ON region.r_regionkey = nation.n_regionkey
                              WHERE orders.o_orderstatus = 0)"),
            Expect({Row({U64(10), Str("REGION_A")})}));
}

TEST(SqlEngine, ProjectColumnsOfBothSidesOfAJoin) {
  TestDatabase db;
  auto t = db.CreateTable("t", {{"id", AlgebraicType::U8()}, {"x", AlgebraicType::U8()}}, {BTree({0})});
  auto s = db.CreateTable("s", {{"id", AlgebraicType::U8()}, {"y", AlgebraicType::U8()}}, {BTree({0})});
  db.Insert(t, {{U8(1), U8(2)}});
  db.Insert(s, {{U8(1), U8(3)}});
  auto client = CallerContext::Client(TestDatabase::IdentityOf(1));
  EXPECT_EQ(SortedRows(db, "select t.x, s.y from t join s on t.id = s.id", client), Expect({Row({U8(2), U8(3)})}));
  // The same join written as a cross join with the condition in WHERE.
  EXPECT_EQ(SortedRows(db, "select t.x, s.y from t join s where t.id = s.id", client), Expect({Row({U8(2), U8(3)})}));
}

TEST(SqlEngine, SelectFromSystemTables) {
  TestDatabase db;
  Inventory(db, 1);
  auto rows = db.Rows("SELECT * FROM st_table WHERE table_id = 1");
  ASSERT_TRUE(rows.ok()) << rows.error().message();
  ASSERT_EQ(rows->size(), 1u);
  const auto& row = (*rows)[0].elements;
  EXPECT_EQ(row[0], AlgebraicValue::U32(1));
  EXPECT_EQ(row[1], Str("st_table"));
  EXPECT_EQ(row[2], Str("system"));
  EXPECT_EQ(row[3], Str("public"));
  EXPECT_EQ(SortedRows(db, "SELECT table_name FROM st_table WHERE table_name = 'inventory'"),
            Expect({Row({Str("inventory")})}));
}

TEST(SqlEngine, MultiColumnIndexes) {
  TestDatabase db;
  auto t = db.CreateTable("t", {{"a", AlgebraicType::U64()}, {"b", AlgebraicType::U64()}, {"c", AlgebraicType::U64()}},
                          {BTree({1, 2})});
  db.Insert(t, {{U64(0), U64(1), U64(2)}, {U64(1), U64(2), U64(1)}, {U64(2), U64(2), U64(2)}});
  EXPECT_EQ(SortedRows(db, "select * from t where c = 1 and b = 2"), Expect({Row({U64(1), U64(2), U64(1)})}));
  auto test = db.CreateTable("test", {{"a", AlgebraicType::I32()}, {"b", AlgebraicType::I32()},
                                      {"c", AlgebraicType::I32()}, {"d", AlgebraicType::I32()}},
                             {BTree({0, 1})});
  auto one = AlgebraicValue::I32(1);
  db.Insert(test, {{one, one, one, one}});
  EXPECT_EQ(SortedRows(db, "select * from test where b = 1 and a = 1"), Expect({Row({one, one, one, one})}));
  auto two = db.CreateTable("two", {{"a", AlgebraicType::U8()}, {"b", AlgebraicType::U8()}}, {BTree({0, 1})});
  db.Insert(two, {{U8(4), U8(8)}});
  EXPECT_EQ(SortedRows(db, "select * from two where a >= 3 and a <= 5 and b >= 3 and b <= 5"), Expect({}));
  EXPECT_EQ(SortedRows(db, "select * from two where a >= 3 and a <= 5 and b >= 3 and b <= 8"),
            Expect({Row({U8(4), U8(8)})}));
}

TEST(SqlEngine, ImpossibleBounds) {
  TestDatabase db;
  auto t = db.CreateTable("test", {{"x", AlgebraicType::I32()}}, {BTree({0})});
  std::vector<std::vector<AlgebraicValue>> rows;
  for (int i = 0; i < 1000; ++i) rows.push_back({AlgebraicValue::I32(i)});
  db.Insert(t, rows);
  EXPECT_EQ(SortedRows(db, "select * from test where x > 5 and x < 5"), Expect({}));
  EXPECT_EQ(SortedRows(db, "select * from test where x >= 5 and x < 4"), Expect({}));
  EXPECT_EQ(SortedRows(db, "select * from test where x > 5 and x <= 4"), Expect({}));
  EXPECT_EQ(SortedRows(db, "select * from test where x >= 5 and x <= 5"), Expect({Row({AlgebraicValue::I32(5)})}));
}

TEST(SqlEngine, LargeQueriesFailCleanly) {
  TestDatabase db;
  db.CreateTable("test", {{"x", AlgebraicType::I32()}, {"y", AlgebraicType::I32()}}, {BTree({0, 1})});
  auto build = [](int total) {
    std::string sql = "select * from test where ";
    for (int x = 1; x < total; ++x)
      for (int k = 0; k < total - 1; ++k) sql += "x = " + std::to_string(x) + " or ";
    return sql + "(y = 0)";
  };
  EXPECT_NE(ErrorOf(db, build(1000)).find("exceeds the maximum length of 50000 bytes"), std::string::npos);
  EXPECT_NE(ErrorOf(db, build(41)).find("Recursion limit exceeded"), std::string::npos);
  EXPECT_TRUE(db.Query(build(40)).ok());
  std::string joins = "SELECT test.* FROM test ";
  for (int i = 0; i < 200; ++i) joins += "JOIN test AS m" + std::to_string(i) + " ON test.x = m" + std::to_string(i) + ".y ";
  auto r = db.Query(joins);
  EXPECT_TRUE(r.ok()) << r.error().message();
}

TEST(SqlEngine, DmlInsertUpdateDelete) {
  TestDatabase db;
  Inventory(db, 1);
  auto ins = db.Run("INSERT INTO inventory (inventory_id, name) VALUES (2, 'test')");
  ASSERT_TRUE(ins.ok()) << ins.error().message();
  EXPECT_EQ(ins->response.stats.rows_inserted, 1u);
  EXPECT_TRUE(ins->response.rows.empty());
  EXPECT_TRUE(ins->response.schema.elements.empty());
  ASSERT_TRUE(ins->tx_data.has_value());
  EXPECT_EQ(ins->tx_data->tables.size(), 1u);
  EXPECT_EQ(SortedRows(db, "SELECT * FROM inventory"),
            Expect({Row({U64(1), Str("health1")}), Row({U64(2), Str("test")})}));
  ASSERT_TRUE(db.Run("INSERT INTO inventory (inventory_id, name) VALUES (3, 't3')").ok());
  auto del = db.Run("DELETE FROM inventory WHERE inventory.inventory_id = 3");
  ASSERT_TRUE(del.ok()) << del.error().message();
  EXPECT_EQ(del->response.stats.rows_deleted, 1u);
  EXPECT_EQ(SortedRows(db, "SELECT * FROM inventory").size(), 2u);
  auto upd = db.Run("UPDATE inventory SET name = 'c2' WHERE inventory_id = 2");
  ASSERT_TRUE(upd.ok());
  EXPECT_EQ(upd->response.stats.rows_updated, 1u);
  EXPECT_EQ(SortedRows(db, "SELECT * FROM inventory WHERE inventory_id = 2"), Expect({Row({U64(2), Str("c2")})}));
  ASSERT_TRUE(db.Run("UPDATE inventory SET name = 'c3'").ok());
  EXPECT_EQ(SortedRows(db, "SELECT name FROM inventory"), Expect({Row({Str("c3")}), Row({Str("c3")})}));
  auto all = db.Run("DELETE FROM inventory");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->response.stats.rows_deleted, 2u);
  EXPECT_EQ(SortedRows(db, "SELECT * FROM inventory"), Expect({}));
}

// execute.rs test_row_dml: stats of each statement and set semantics of UPDATE.
TEST(SqlEngine, DmlStatsAndSetSemantics) {
  TestDatabase db;
  auto t = db.CreateTable("T", {{"a", AlgebraicType::U8()}});
  db.Insert(t, {{U8(0)}, {U8(1)}, {U8(2)}, {U8(3)}});
  auto ins = db.Run("INSERT INTO T (a) VALUES (5)");
  ASSERT_TRUE(ins.ok());
  EXPECT_EQ(ins->response.stats.rows_inserted, 1u);
  // A duplicate insert is a silent no-op, not counted.
  auto dup = db.Run("INSERT INTO T (a) VALUES (5)");
  ASSERT_TRUE(dup.ok());
  EXPECT_EQ(dup->response.stats.rows_inserted, 0u);
  auto upd = db.Run("UPDATE T SET a = 2");
  ASSERT_TRUE(upd.ok());
  EXPECT_EQ(upd->response.stats.rows_updated, 5u);
  EXPECT_EQ(SortedRows(db, "SELECT * FROM T"), Expect({Row({U8(2)})}));
  auto del = db.Run("DELETE FROM T");
  ASSERT_TRUE(del.ok());
  EXPECT_EQ(del->response.stats.rows_deleted, 1u);
}

TEST(SqlEngine, InsertTakesValuesInTableColumnOrder) {
  TestDatabase db;
  db.CreateTable("t", {{"a", AlgebraicType::U8()}, {"b", AlgebraicType::String()}});
  // The reference quirk: the names are counted, not used; values go to the columns in table order.
  ASSERT_TRUE(db.Run("INSERT INTO t (b, a) VALUES (1, 'x')").ok());
  EXPECT_EQ(SortedRows(db, "SELECT * FROM t"), Expect({Row({U8(1), Str("x")})}));
  auto missing = db.Run("INSERT INTO t VALUES (1, 'x')");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message(),
            "The number of fields (0) in the INSERT does not match the number of columns (2) of the table `t` at 1:13");
  auto arity = db.Run("INSERT INTO t (a, b) VALUES (1)");
  ASSERT_FALSE(arity.ok());
  EXPECT_EQ(arity.error().message(), "Inserting a row with 1 values into `t` which has 2 columns at 1:30");
  auto str_into_int = db.Run("INSERT INTO t (a, b) VALUES ('1', 'x')");
  ASSERT_FALSE(str_into_int.ok());
  EXPECT_EQ(str_into_int.error().message(),
            "Unexpected type: a String literal cannot be used as U8 ('1' at 1:30)");
  auto range = db.Run("INSERT INTO t (a, b) VALUES (256, 'x')");
  ASSERT_FALSE(range.ok());
  EXPECT_EQ(range.error().message(), "The literal 256 cannot be parsed as type U8: out of range for U8 at 1:30");
}

TEST(SqlEngine, InsertFillsAutoIncrementAndChecksUniqueness) {
  TestDatabase db;
  auto t = db.CreateTable("t", {{"id", AlgebraicType::U32()}, {"name", AlgebraicType::String()}},
                          {BTree({0}, true)}, true, table::ColId(0));
  ASSERT_TRUE(db.Run("INSERT INTO t (id, name) VALUES (0, 'a'), (0, 'b')").ok());
  EXPECT_EQ(SortedRows(db, "SELECT * FROM t"),
            Expect({Row({AlgebraicValue::U32(1), Str("a")}), Row({AlgebraicValue::U32(2), Str("b")})}));
  // A unique violation fails the whole statement and leaves nothing behind.
  auto clash = db.Run("INSERT INTO t (id, name) VALUES (10, 'c'), (1, 'z')");
  ASSERT_FALSE(clash.ok());
  EXPECT_NE(clash.error().message().find("nique"), std::string::npos) << clash.error().message();
  EXPECT_EQ(SortedRows(db, "SELECT * FROM t").size(), 2u);
  auto update_clash = db.Run("UPDATE t SET id = 7");
  ASSERT_FALSE(update_clash.ok());
  EXPECT_EQ(SortedRows(db, "SELECT * FROM t").size(), 2u);
  (void)t;
}

TEST(SqlEngine, DmlRequiresTheOwner) {
  TestDatabase db;
  Inventory(db, 1);
  auto client = CallerContext::Client(TestDatabase::IdentityOf(3));
  auto r = db.Run("DELETE FROM inventory", client);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(),
            "Caller " + TestDatabase::IdentityOf(3).ToHex() + " is not authorized to run SQL DML statements");
  EXPECT_EQ(SortedRows(db, "SELECT * FROM inventory").size(), 1u);
  auto sys = db.Run("DELETE FROM st_table");
  ASSERT_FALSE(sys.ok());
  EXPECT_EQ(sys.error().message(), "DML on the system table `st_table` is not supported at 1:13");
}

TEST(SqlEngine, PrivateTablesAreInvisibleToClients) {
  TestDatabase db;
  auto secret = db.CreateTable("secret", {{"x", AlgebraicType::U8()}}, {}, /*is_public=*/false);
  db.Insert(secret, {{U8(1)}});
  EXPECT_EQ(SortedRows(db, "SELECT * FROM secret"), Expect({Row({U8(1)})}));
  auto client = CallerContext::Client(TestDatabase::IdentityOf(3));
  EXPECT_EQ(ErrorOf(db, "SELECT * FROM secret", client),
            "no such table: `secret`. If the table exists, it may be marked private. at 1:15");
  EXPECT_NE(ErrorOf(db, "SELECT * FROM st_connection_credentials", client).find("no such table"), std::string::npos);
}

TEST(SqlEngine, RowLimit) {
  TestDatabase db;
  auto t = db.CreateTable("T", {{"a", AlgebraicType::U8()}});
  db.Insert(t, {{U8(0)}, {U8(1)}, {U8(2)}, {U8(3)}, {U8(4)}});
  auto client = CallerContext::Client(TestDatabase::IdentityOf(5));
  EXPECT_TRUE(db.Query("SELECT * FROM T").ok());
  EXPECT_TRUE(db.Query("SELECT * FROM T", client).ok());
  ASSERT_TRUE(db.Run("SET row_limit = 4").ok());
  auto show = db.Run("SHOW row_limit");
  ASSERT_TRUE(show.ok()) << show.error().message();
  ASSERT_EQ(show->response.rows.size(), 1u);
  EXPECT_EQ(sats::sats_json::ToUntypedJson(AlgebraicValue(show->response.rows[0])), "[[8,4]]");
  EXPECT_TRUE(db.Query("SELECT * FROM T").ok());  // the owner is exempt
  EXPECT_EQ(ErrorOf(db, "SELECT * FROM T", client), "Estimated cardinality (5 rows) exceeds limit (4 rows)");
  // SET is a plain insert: a different value collides with the unique name.
  EXPECT_FALSE(db.Run("SET row_limit = 5").ok());
  ASSERT_TRUE(db.Run("DELETE FROM st_var WHERE name = 'row_limit'").ok());
  ASSERT_TRUE(db.Run("SET row_limit TO 5").ok());
  EXPECT_TRUE(db.Query("SELECT * FROM T", client).ok());
  // Filters do not reduce the estimate; an index point lookup does.
  ASSERT_TRUE(db.Run("DELETE FROM st_var WHERE name = 'row_limit'").ok());
  ASSERT_TRUE(db.Run("SET row_limit = 3").ok());
  EXPECT_FALSE(db.Query("SELECT * FROM T WHERE a = 1", client).ok());
  auto indexed = db.CreateTable("I", {{"a", AlgebraicType::U8()}}, {BTree({0}, true)});
  db.Insert(indexed, {{U8(0)}, {U8(1)}, {U8(2)}, {U8(3)}, {U8(4)}});
  EXPECT_TRUE(db.Query("SELECT * FROM I WHERE a = 1", client).ok());
  auto errors = {db.Run("SET row_limit = 'x'"), db.Run("SET other = 1"), db.Run("SHOW other"), db.Run("SET row_limit = -1")};
  std::vector<std::string> messages;
  for (auto& e : errors) messages.push_back(e.ok() ? "ok" : e.error().message());
  EXPECT_EQ(messages[0], "Unexpected type: (expected) U64 != String (inferred) for row_limit at 1:17");
  EXPECT_EQ(messages[1], "other is not a valid system variable at 1:5");
  EXPECT_EQ(messages[2], "other is not a valid system variable at 1:6");
  EXPECT_EQ(messages[3], "The literal -1 cannot be parsed as type U64: out of range for U64 at 1:17");
}

// execute.rs test_rls_rules.
TEST(SqlEngine, RowLevelSecurity) {
  TestDatabase db;
  sats::Identity a = TestDatabase::IdentityOf(1), b = TestDatabase::IdentityOf(2);
  auto users = db.CreateTable("users", {{"identity", AlgebraicType::Identity()}});
  auto sales = db.CreateTable("sales", {{"order_id", AlgebraicType::U64()}, {"customer", AlgebraicType::Identity()}});
  db.Insert(users, {{a.ToValue()}, {b.ToValue()}});
  db.Insert(sales, {{U64(1), a.ToValue()}, {U64(2), b.ToValue()}, {U64(3), a.ToValue()}, {U64(4), b.ToValue()}});
  db.AddRlsRule(users, "select * from users where identity = :sender");
  db.AddRlsRule(sales, "select s.* from users u join sales s on u.identity = s.customer");
  auto as_a = CallerContext::Client(a), as_b = CallerContext::Client(b);
  auto ids = [](const sats::Identity& id) { return Row({id.ToValue()}); };
  auto sale = [](uint64_t n, const sats::Identity& id) { return Row({U64(n), id.ToValue()}); };
  EXPECT_EQ(SortedRows(db, "select * from users", as_a), Expect({ids(a)}));
  EXPECT_EQ(SortedRows(db, "select * from users", as_b), Expect({ids(b)}));
  EXPECT_EQ(SortedRows(db, "select * from users where identity = :sender", as_a), Expect({ids(a)}));
  EXPECT_EQ(SortedRows(db, "select * from users where identity = 0x" + a.ToHex(), as_a), Expect({ids(a)}));
  EXPECT_EQ(SortedRows(db, "select * from users where identity = 0x" + b.ToHex(), as_a), Expect({}));
  EXPECT_EQ(SortedRows(db, "select * from users where identity = :sender or identity = 0x" + b.ToHex(), as_a),
            Expect({ids(a)}));
  EXPECT_EQ(SortedRows(db, "select * from users where identity = :sender and identity = 0x" + b.ToHex(), as_a),
            Expect({}));
  EXPECT_EQ(SortedRows(db, "select * from sales", as_a), Expect({sale(1, a), sale(3, a)}));
  EXPECT_EQ(SortedRows(db, "select * from sales", as_b), Expect({sale(2, b), sale(4, b)}));
  EXPECT_EQ(SortedRows(db, "select s.* from users u join sales s on u.identity = s.customer", as_a),
            Expect({sale(1, a), sale(3, a)}));
  EXPECT_EQ(SortedRows(db, "select s.* from users u join sales s on u.identity = s.customer where u.identity = :sender",
                       as_b),
            Expect({sale(2, b), sale(4, b)}));
  EXPECT_EQ(SortedRows(db, "select count(*) as n from sales", as_a), Expect({Row({U64(2)})}));
  // The owner bypasses the rules.
  EXPECT_EQ(SortedRows(db, "select * from sales").size(), 4u);
  // A statement compiled for a client cannot be run for the owner, nor the reverse.
  auto stmt = db.CompileSql("select * from users", as_a);
  ASSERT_TRUE(stmt.ok());
  auto snapshot = db.datastore().TakeSnapshot();
  EXPECT_FALSE(ExecuteQuery(*stmt, *snapshot, TestDatabase::Owner()).ok());
  // The same client plan serves every client: :sender is bound at execution.
  auto for_b = ExecuteQuery(*stmt, *snapshot, as_b);
  ASSERT_TRUE(for_b.ok());
  EXPECT_EQ(Sorted(*for_b->Values()), Expect({ids(b)}));
}

// execute.rs test_nested_rls_rules.
TEST(SqlEngine, NestedRowLevelSecurity) {
  TestDatabase db;
  sats::Identity a = TestDatabase::IdentityOf(1), b = TestDatabase::IdentityOf(2), c = TestDatabase::IdentityOf(3);
  auto users = db.CreateTable("users", {{"identity", AlgebraicType::Identity()}}, {BTree({0})});
  auto admins = db.CreateTable("admins", {{"identity", AlgebraicType::Identity()}}, {BTree({0})});
  auto sales = db.CreateTable("sales", {{"order_id", AlgebraicType::U64()}, {"product_id", AlgebraicType::U64()},
                                        {"customer", AlgebraicType::Identity()}},
                              {BTree({0})});
  db.Insert(admins, {{c.ToValue()}});
  db.Insert(users, {{a.ToValue()}, {b.ToValue()}, {c.ToValue()}});
  db.Insert(sales, {{U64(1), U64(1), a.ToValue()}, {U64(2), U64(2), b.ToValue()}});
  db.AddRlsRule(admins, "select * from admins where identity = :sender");
  db.AddRlsRule(users, "select * from users where identity = :sender");
  db.AddRlsRule(users, "select users.* from admins join users");
  db.AddRlsRule(sales, "select s.* from users u join sales s on u.identity = s.customer");
  auto as = [](const sats::Identity& id) { return CallerContext::Client(id); };
  auto ids = [](const sats::Identity& id) { return Row({id.ToValue()}); };
  EXPECT_EQ(SortedRows(db, "select * from admins", as(a)), Expect({}));
  EXPECT_EQ(SortedRows(db, "select * from admins", as(c)), Expect({ids(c)}));
  EXPECT_EQ(SortedRows(db, "select * from users", as(a)), Expect({ids(a)}));
  EXPECT_EQ(SortedRows(db, "select * from users", as(b)), Expect({ids(b)}));
  // c is an admin: it sees every user (and itself a second time, through its own-row rule: bag semantics).
  EXPECT_EQ(SortedRows(db, "select * from users", as(c)), Expect({ids(a), ids(b), ids(c), ids(c)}));
  EXPECT_EQ(SortedRows(db, "select * from sales", as(a)), Expect({Row({U64(1), U64(1), a.ToValue()})}));
  EXPECT_EQ(SortedRows(db, "select * from sales", as(c)),
            Expect({Row({U64(1), U64(1), a.ToValue()}), Row({U64(2), U64(2), b.ToValue()})}));
}

TEST(SqlEngine, RowLevelSecurityCyclesAreErrors) {
  TestDatabase db;
  auto t = db.CreateTable("t", {{"x", AlgebraicType::U8()}});
  auto s = db.CreateTable("s", {{"x", AlgebraicType::U8()}});
  db.AddRlsRule(t, "select t.* from t join s on t.x = s.x");
  db.AddRlsRule(s, "select s.* from s join t on s.x = t.x");
  auto client = CallerContext::Client(TestDatabase::IdentityOf(1));
  EXPECT_NE(ErrorOf(db, "select * from t", client).find("cyclic dependency"), std::string::npos);
}

TEST(SqlEngine, SqlResponseJson) {
  TestDatabase db;
  auto t = db.CreateTable("t", {{"id", AlgebraicType::U32()}, {"who", AlgebraicType::Identity()},
                                {"opt", AlgebraicType::Option(AlgebraicType::String())}});
  sats::Identity one = TestDatabase::IdentityOf(0x11);
  db.Insert(t, {{AlgebraicValue::U32(7), one.ToValue(), AlgebraicValue::OptionSome(Str("x"))}});
  auto r = db.Run("select * from t");
  ASSERT_TRUE(r.ok());
  r->response.total_duration_micros = 42;  // make the text deterministic
  std::string hex = "0x" + std::string(64, '1');
  EXPECT_EQ(r->response.ToJson(),
            R"([{"schema":{"elements":[{"name":{"some":"id"},"algebraic_type":{"U32":[]}},)"
            R"({"name":{"some":"who"},"algebraic_type":{"Product":{"elements":[{"name":{"some":"__identity__"},"algebraic_type":{"U256":[]}}]}}},)"
            R"({"name":{"some":"opt"},"algebraic_type":{"Sum":{"variants":[{"name":{"some":"some"},"algebraic_type":{"String":[]}},{"name":{"some":"none"},"algebraic_type":{"Product":{"elements":[]}}}]}}}]},)"
            R"("rows":[[7,[")" + hex + R"("],[0,"x"]]],"total_duration_micros":42,)"
            R"("stats":{"rows_inserted":0,"rows_deleted":0,"rows_updated":0}}])");
  auto count = db.Run("select count(*) as n from t");
  ASSERT_TRUE(count.ok());
  count->response.total_duration_micros = 1;
  EXPECT_EQ(count->response.ToJson(),
            R"([{"schema":{"elements":[{"name":{"some":"n"},"algebraic_type":{"U64":[]}}]},"rows":[[1]],)"
            R"("total_duration_micros":1,"stats":{"rows_inserted":0,"rows_deleted":0,"rows_updated":0}}])");
  auto dml = db.Run("insert into t (id, who, opt) values (8, 0x" + one.ToHex() + ", 1)");
  EXPECT_FALSE(dml.ok());  // Option<String> literals are not supported
}

TEST(SqlEngine, BsatnRowsOfOneTable) {
  TestDatabase db;
  auto t = db.CreateTable("t", {{"id", AlgebraicType::U32()}, {"name", AlgebraicType::String()}}, {BTree({0}, true)});
  db.Insert(t, {{AlgebraicValue::U32(1), Str("a")}, {AlgebraicValue::U32(2), Str("bb")}});
  auto r = db.Query("select * from t where id = 2");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->rows.size(), 1u);
  sats::Bytes expected = sats::bsatn::EncodeValue(AlgebraicValue::Product({AlgebraicValue::U32(2), Str("bb")}));
  EXPECT_EQ(sats::Bytes(r->rows[0].begin(), r->rows[0].end()), expected);
  EXPECT_EQ(r->rows_scanned, 1u);  // a unique index point lookup
}

TEST(SqlEngine, SubscriptionLanguage) {
  TestDatabase db;
  db.CreateTable("t", {{"a", AlgebraicType::U8()}, {"b", AlgebraicType::U8()}}, {BTree({0})});
  db.CreateTable("s", {{"a", AlgebraicType::U8()}, {"c", AlgebraicType::U8()}}, {BTree({0})});
  db.CreateTable("u", {{"c", AlgebraicType::U8()}}, {BTree({0})});
  auto sub = [&](const std::string& sql) { return db.CompileSql(sql, TestDatabase::Owner(), Language::kSubscription); };
  EXPECT_TRUE(sub("select * from t where a = 1").ok());
  EXPECT_TRUE(sub("select t.* from t join s on t.a = s.a").ok());
  // Beyond the reference: three and more tables.
  auto three = sub("select u.* from t join s on t.a = s.a join u on s.c = u.c where t.b = 3");
  ASSERT_TRUE(three.ok()) << three.error().message();
  EXPECT_EQ(three->query().ReturnTable().name, "u");
  auto errors = {sub("select a from t"), sub("select count(*) as n from t"), sub("select * from t limit 1"),
                 sub("select * from t join s"), sub("delete from t")};
  std::vector<std::string> messages;
  for (auto& e : errors) messages.push_back(e.ok() ? "ok" : e.error().message());
  EXPECT_EQ(messages[0],
            "Column projections are not supported in subscriptions; Subscriptions must return a table type at 1:8");
  EXPECT_EQ(messages[1],
            "Column projections are not supported in subscriptions; Subscriptions must return a table type at 1:8");
  EXPECT_EQ(messages[2], "Unsupported: LIMIT in subscriptions at 1:23");
  EXPECT_EQ(messages[3], "SELECT * is not supported for joins; select the rows of one table with t.* at 1:8");
  EXPECT_EQ(messages[4], "Unsupported: non-SELECT statements in subscriptions at 1:1");
}

// One compiled statement runs on several threads at once against a snapshot while the writer keeps committing:
// every execution sees the snapshot's rows.
TEST(SqlEngine, ConcurrentExecutionOnASnapshot) {
  TestDatabase db;
  auto t = db.CreateTable("t", {{"id", AlgebraicType::U32()}, {"g", AlgebraicType::U8()}}, {BTree({0}, true), BTree({1})});
  auto s = db.CreateTable("s", {{"g", AlgebraicType::U8()}, {"name", AlgebraicType::String()}}, {BTree({0}, true)});
  std::vector<std::vector<AlgebraicValue>> rows;
  for (uint32_t i = 0; i < 5000; ++i) rows.push_back({AlgebraicValue::U32(i), U8(uint8_t(i % 10))});
  db.Insert(t, rows);
  db.Insert(s, {{U8(3), Str("three")}, {U8(4), Str("four")}});
  auto stmt = db.CompileSql("select t.* from t join s on t.g = s.g where t.id < 4000");
  ASSERT_TRUE(stmt.ok());
  auto snapshot = db.datastore().TakeSnapshot();
  std::atomic<int> wrong{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r)
    readers.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        auto result = ExecuteQuery(*stmt, *snapshot, TestDatabase::Owner());
        if (!result.ok() || result->rows.size() != 800) ++wrong;
      }
    });
  for (uint32_t i = 0; i < 200; ++i) {
    auto tx = *db.datastore().BeginMutTx();
    ASSERT_TRUE(tx->Insert(t, sats::bsatn::EncodeValue(AlgebraicValue::Product({AlgebraicValue::U32(10000 + i), U8(3)}))).ok());
    ASSERT_TRUE(tx->DeleteByValue(t, sats::bsatn::EncodeValue(AlgebraicValue::Product({AlgebraicValue::U32(i * 10 + 3), U8(3)}))).ok());
    tx->Commit();
  }
  for (auto& th : readers) th.join();
  EXPECT_EQ(wrong, 0);
  // The writer's changes are visible to a new snapshot: 200 rows with g = 3 and id < 2000 were deleted.
  snapshot.reset();
  auto now = db.Query("select t.* from t join s on t.g = s.g where t.id < 4000");
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->rows.size(), 600u);
}

TEST(SqlEngine, SchemaChangeAfterCompileIsAnError) {
  TestDatabase db;
  auto t = db.CreateTable("t", {{"a", AlgebraicType::U8()}});
  auto stmt = db.CompileSql("select * from t");
  ASSERT_TRUE(stmt.ok());
  auto tx = *db.datastore().BeginMutTx();
  ASSERT_TRUE(tx->DropTable(t).ok());
  tx->Commit();
  auto snapshot = db.datastore().TakeSnapshot();
  auto r = ExecuteQuery(*stmt, *snapshot, TestDatabase::Owner());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("no longer exists"), std::string::npos);
}

}  // namespace
}  // namespace stdb::sql
