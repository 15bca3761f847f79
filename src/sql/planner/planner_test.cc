#include "sql/planner/planner.h"

#include <gtest/gtest.h>

#include "sql/execution/query_executor.h"
#include "sql/testing/test_database.h"

namespace stdb::sql {
namespace {

using namespace testing;
using sats::AlgebraicType;
using sats::AlgebraicValue;

class PlannerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // t: 1000 rows, index (a, b); h: hash index on (k); s: unique id, non-unique t_a; u: no index.
    t_ = db_.CreateTable("t", {{"a", AlgebraicType::U32()}, {"b", AlgebraicType::I64()}, {"c", AlgebraicType::String()}},
                         {BTree({0, 1})});
    h_ = db_.CreateTable("h", {{"k", AlgebraicType::String()}, {"v", AlgebraicType::U8()}}, {Hash({0})});
    s_ = db_.CreateTable("s", {{"id", AlgebraicType::U32()}, {"t_a", AlgebraicType::U32()}, {"g", AlgebraicType::U8()}},
                         {BTree({0}, true), BTree({2, 1})});
    u_ = db_.CreateTable("u", {{"x", AlgebraicType::U32()}, {"y", AlgebraicType::U32()}, {"z", AlgebraicType::U8()}});
    std::vector<std::vector<AlgebraicValue>> rows;
    for (uint32_t i = 0; i < 1000; ++i)
      rows.push_back({AlgebraicValue::U32(i % 50), AlgebraicValue::I64(int64_t(i)), AlgebraicValue::String("c" + std::to_string(i % 7))});
    db_.Insert(t_, rows);
    rows.clear();
    for (uint32_t i = 0; i < 100; ++i)
      rows.push_back({AlgebraicValue::U32(i), AlgebraicValue::U32(i % 60), AlgebraicValue::U8(uint8_t(i % 4))});
    db_.Insert(s_, rows);
    rows.clear();
    for (uint32_t i = 0; i < 10; ++i)
      rows.push_back({AlgebraicValue::U32(i), AlgebraicValue::U32(i * 2), AlgebraicValue::U8(uint8_t(i % 3))});
    db_.Insert(u_, rows);
    db_.Insert(h_, {{AlgebraicValue::String("x"), AlgebraicValue::U8(1)}, {AlgebraicValue::String("y"), AlgebraicValue::U8(2)}});
  }

  size_t Count(const std::string& sql) {
    auto r = db_.Query(sql);
    EXPECT_TRUE(r.ok()) << sql << ": " << (r.ok() ? "" : r.error().message());
    return r.ok() ? r->rows.size() : 0;
  }

  TestDatabase db_;
  table::TableId t_, h_, s_, u_;
};

TEST_F(PlannerTest, EqualityAndRangeOnABTreePrefixIsOneRangeScan) {
  EXPECT_EQ(db_.Explain("select * from t where a = 1 and b > 5"),
            "Project t.*\n"
            "  IndexRangeScan t_a_b_idx_btree on t(a, b) key: 1, (5 .. +inf)\n");
  EXPECT_EQ(Count("select * from t where a = 1 and b > 5"), 19u);  // b = 51, 101, ..., 951
  EXPECT_EQ(db_.Explain("select * from t where b <= 700 and a = 3 and b >= 100 and b < 900"),
            "Project t.*\n"
            "  IndexRangeScan t_a_b_idx_btree on t(a, b) key: 3, [100 .. 700]\n");
  EXPECT_EQ(Count("select * from t where b <= 700 and a = 3 and b >= 100 and b < 900"), 12u);
  EXPECT_EQ(db_.Explain("select * from t where a > 40"),
            "Project t.*\n"
            "  IndexRangeScan t_a_b_idx_btree on t(a, b) key: (40 .. +inf)\n");
  EXPECT_EQ(Count("select * from t where a > 40"), 180u);
  EXPECT_EQ(db_.Explain("select * from t where a = 7 and c = 'c1'"),
            "Project t.*\n"
            "  Filter (t.c = 'c1')\n"
            "    IndexRangeScan t_a_b_idx_btree on t(a, b) key: 7\n");
  EXPECT_EQ(db_.Explain("select * from t where a = 7 and b = 7"),
            "Project t.*\n"
            "  IndexPointScan t_a_b_idx_btree on t(a, b) key: 7, 7\n");
  EXPECT_EQ(Count("select * from t where a = 7 and b = 7"), 1u);
  // b alone is not a prefix of (a, b); OR and <> are never index conditions.
  EXPECT_EQ(db_.Explain("select * from t where b = 7"), "Project t.*\n  Filter (t.b = 7)\n    TableScan t\n");
  EXPECT_EQ(db_.Explain("select * from t where a = 1 or a = 2"),
            "Project t.*\n  Filter ((t.a = 1) OR (t.a = 2))\n    TableScan t\n");
  EXPECT_EQ(db_.Explain("select * from t where a <> 1"), "Project t.*\n  Filter (t.a <> 1)\n    TableScan t\n");
}

TEST_F(PlannerTest, HashIndexesOnlyForFullKeyEquality) {
  EXPECT_EQ(db_.Explain("select * from h where k = 'x'"),
            "Project h.*\n  IndexPointScan h_k_idx_hash on h(k) key: 'x'\n");
  EXPECT_EQ(Count("select * from h where k = 'x'"), 1u);
  EXPECT_EQ(db_.Explain("select * from h where k > 'x'"), "Project h.*\n  Filter (h.k > 'x')\n    TableScan h\n");
  EXPECT_EQ(Count("select * from h where k >= 'x'"), 2u);
}

TEST_F(PlannerTest, UniqueIndexWins) {
  EXPECT_EQ(db_.Explain("select * from s where g = 1 and t_a = 2 and id = 5"),
            "Project s.*\n"
            "  Filter (s.g = 1) AND (s.t_a = 2)\n"
            "    IndexPointScan s_id_idx_btree on s(id) key: 5\n");
}

TEST_F(PlannerTest, JoinMethods) {
  // s has a unique index on id; u has none.
  EXPECT_EQ(db_.Explain("select u.* from u join s on u.x = s.id"),
            "Project u.*\n"
            "  IndexJoin s via s_id_idx_btree on s(id) key: u.x (unique)\n"
            "    TableScan u\n");
  EXPECT_EQ(Count("select u.* from u join s on u.x = s.id"), 10u);
  // t has an index on (a, b): the small u drives, probing t.
  EXPECT_EQ(db_.Explain("select t.* from t join u on t.a = u.x where t.b < 100"),
            "Project t.*\n"
            "  Filter (t.b < 100)\n"
            "    IndexJoin t via t_a_b_idx_btree on t(a, b) key: u.x\n"
            "      TableScan u\n");
  EXPECT_EQ(Count("select t.* from t join u on t.a = u.x where t.b < 100"), 20u);  // two t rows per x
  // Neither u.z nor h.v is indexed: hash join, building on the side that comes second.
  EXPECT_EQ(db_.Explain("select u.* from u join h on u.z = h.v where u.y > 2"),
            "Project u.*\n"
            "  HashJoin h.v = u.z\n"
            "    TableScan h\n"
            "    build:\n"
            "      Filter (u.y > 2)\n"
            "        TableScan u\n");
  // u.z in {1, 2} among x = 2..9: x = 2, 4, 5, 7, 8 (z = x % 3).
  EXPECT_EQ(Count("select u.* from u join h on u.z = h.v where u.y > 2"), 5u);
  EXPECT_EQ(db_.Explain("select u.* from u cross join h"),
            "Project u.*\n"
            "  NestedLoopJoin\n"
            "    TableScan h\n"
            "    TableScan u\n");
  EXPECT_EQ(Count("select u.* from u cross join h"), 20u);
}

TEST_F(PlannerTest, JoinOrderStartsFromTheMostSelectiveAccess) {
  EXPECT_EQ(db_.Explain("select t.* from t join s on t.a = s.t_a where s.id = 3"),
            "Project t.*\n"
            "  IndexJoin t via t_a_b_idx_btree on t(a, b) key: s.t_a\n"
            "    IndexPointScan s_id_idx_btree on s(id) key: 3\n");
  EXPECT_EQ(Count("select t.* from t join s on t.a = s.t_a where s.id = 3"), 20u);
}

TEST_F(PlannerTest, ConstantsOnTheInnerSideAreFoldedIntoTheProbe) {
  // s's index (g, t_a): g is fixed by a constant, t_a is the join column.
  EXPECT_EQ(db_.Explain("select u.* from u join s on u.x = s.t_a where s.g = 2"),
            "Project u.*\n"
            "  IndexJoin s via s_g_t_a_idx_btree on s(g, t_a) key: 2, u.x\n"
            "    TableScan u\n");
  // Rows of s with g = 2 have ids 2, 6, 10, ... and t_a = id % 60: t_a = 2 (ids 2, 62) and 6 (ids 6, 66).
  EXPECT_EQ(Count("select u.* from u join s on u.x = s.t_a where s.g = 2"), 4u);
}

TEST_F(PlannerTest, ThreeWayJoinAppliesConditionsAsSoonAsPossible) {
  std::string plan = db_.Explain(
      "select t.* from u join s on u.x = s.id join t on t.a = s.t_a where u.y > 4 and t.b < 100 and u.y < s.id");
  EXPECT_EQ(plan,
            "Project t.*\n"
            "  Filter (t.b < 100)\n"
            "    IndexJoin t via t_a_b_idx_btree on t(a, b) key: s.t_a\n"
            "      Filter (u.y < s.id)\n"
            "        IndexJoin s via s_id_idx_btree on s(id) key: u.x (unique)\n"
            "          Filter (u.y > 4)\n"
            "            TableScan u\n");
  // u rows with y > 4: x in 3..9 (y = 2x); y < id = x never holds.
  EXPECT_EQ(Count("select t.* from u join s on u.x = s.id join t on t.a = s.t_a where u.y > 4 and t.b < 100 and u.y < s.id"), 0u);
  EXPECT_EQ(Count("select t.* from u join s on u.x = s.id join t on t.a = s.t_a where u.y > 4 and t.b < 100"), 14u);
}

TEST_F(PlannerTest, RowListsReplaceTables) {
  auto snapshot = db_.datastore().TakeSnapshot();
  DatabaseViewSchema schema(*snapshot);
  auto stmt = Compile("select t.* from s join t on t.a = s.t_a where s.g = 1", schema,
                      {Language::kSubscription, TestDatabase::Owner()});
  ASSERT_TRUE(stmt.ok()) << stmt.error().message();
  PlanOptions options;
  options.row_list_relations = {0};  // s comes from a row list, as a subscription's delta
  auto plan = PlanQuery(stmt->query(), &schema, options);
  ASSERT_TRUE(plan.ok()) << plan.error().message();
  EXPECT_EQ((*plan)->Explain(),
            "Project t.*\n"
            "  IndexJoin t via t_a_b_idx_btree on t(a, b) key: s.t_a\n"
            "    Filter (s.g = 1)\n"
            "      RowListScan s\n");
  EXPECT_EQ((*plan)->relation_reads,
            (std::vector<std::vector<RelationRead>>{{RelationRead::kRowList, RelationRead::kIndexJoin}}));
  datastore::RowList delta;
  delta.Add(sats::bsatn::EncodeValue(AlgebraicValue::Product({AlgebraicValue::U32(500), AlgebraicValue::U32(3), AlgebraicValue::U8(1)})));
  delta.Add(sats::bsatn::EncodeValue(AlgebraicValue::Product({AlgebraicValue::U32(501), AlgebraicValue::U32(4), AlgebraicValue::U8(2)})));
  size_t rows = 0;
  auto stats = ExecutePlan(**plan, *snapshot, QueryParameters(), {&delta}, [&](sats::ByteSpan) {
    ++rows;
    return true;
  });
  ASSERT_TRUE(stats.ok()) << stats.error().message();
  EXPECT_EQ(rows, 20u);  // t has 20 rows with a = 3
  // Without a bound list the plan reports the mistake instead of reading the table.
  auto unbound = ExecutePlan(**plan, *snapshot, QueryParameters(), {}, [](sats::ByteSpan) { return true; });
  EXPECT_FALSE(unbound.ok());
  // A row list is read first, and probes the other table through an index when it can.
  options.row_list_relations = {1};
  auto inner = PlanQuery(stmt->query(), &schema, options);
  ASSERT_TRUE(inner.ok());
  EXPECT_EQ((*inner)->Explain(),
            "Project t.*\n"
            "  IndexJoin s via s_g_t_a_idx_btree on s(g, t_a) key: 1, t.a\n"
            "    RowListScan t\n");
  EXPECT_EQ((*inner)->relation_reads,
            (std::vector<std::vector<RelationRead>>{{RelationRead::kIndexJoin, RelationRead::kRowList}}));
  // Two row lists (dR x dS of a delta formula): the second is joined by hashing it.
  options.row_list_relations = {0, 1};
  auto both = PlanQuery(stmt->query(), &schema, options);
  ASSERT_TRUE(both.ok());
  EXPECT_EQ((*both)->Explain(),
            "Project t.*\n"
            "  HashJoin s.t_a = t.a\n"
            "    Filter (s.g = 1)\n"
            "      RowListScan s\n"
            "    build:\n"
            "      RowListScan t\n");
  EXPECT_EQ((*both)->relation_reads,
            (std::vector<std::vector<RelationRead>>{{RelationRead::kRowList, RelationRead::kHashJoin}}));
  datastore::RowList t_delta;
  t_delta.Add(sats::bsatn::EncodeValue(AlgebraicValue::Product({AlgebraicValue::U32(3), AlgebraicValue::I64(-1), AlgebraicValue::String("new")})));
  t_delta.Add(sats::bsatn::EncodeValue(AlgebraicValue::Product({AlgebraicValue::U32(4), AlgebraicValue::I64(-2), AlgebraicValue::String("new")})));
  std::vector<std::string> joined;
  auto both_stats = ExecutePlan(**both, *snapshot, QueryParameters(), {&delta, &t_delta}, [&](sats::ByteSpan row) {
    joined.push_back(sats::bsatn::DecodeValue(AlgebraicType::Product(stmt->result_type()), row)->ToString());
    return true;
  });
  ASSERT_TRUE(both_stats.ok());
  EXPECT_EQ(joined, std::vector<std::string>{R"((3, -1, "new"))"});
}

TEST_F(PlannerTest, LimitStopsScansEarly) {
  auto r = db_.Query("select * from t limit 3");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->rows.size(), 3u);
  EXPECT_LT(r->rows_scanned, 1000u);
  auto zero = db_.Query("select * from t limit 0");
  ASSERT_TRUE(zero.ok());
  EXPECT_EQ(zero->rows.size(), 0u);
}

TEST_F(PlannerTest, RowsScannedEstimates) {
  auto snapshot = db_.datastore().TakeSnapshot();
  auto estimate = [&](const std::string& sql) -> uint64_t {
    auto stmt = db_.CompileSql(sql);
    EXPECT_TRUE(stmt.ok()) << sql;
    EstimationContext ctx(*snapshot);
    return stmt->plan().root->EstimateRowsScanned(ctx);
  };
  EXPECT_EQ(estimate("select * from t"), 1000u);
  EXPECT_EQ(estimate("select * from t where c = 'x'"), 2000u);  // a filter reads its input once more
  EXPECT_EQ(estimate("select * from s where id = 1"), 1u);
  EXPECT_EQ(estimate("select u.* from u join s on u.x = s.id"), 20u);  // 10 + 10 unique probes
  EXPECT_EQ(estimate("select u.* from u cross join h"), 10u + 2u + 20u);
}

}  // namespace
}  // namespace stdb::sql
