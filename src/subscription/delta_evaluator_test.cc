#include "subscription/delta_evaluator.h"

#include <gtest/gtest.h>

#include "subscription/compiled_query.h"
#include "subscription/test_util.h"

namespace stdb::subscription {
namespace {

using namespace testing;

std::shared_ptr<const CompiledQuery> MustCompile(TestDb& db, const std::string& sql,
                                                 const sql::CallerContext& caller = User()) {
  auto view = db.View();
  sql::DatabaseViewSchema schema(*view);
  auto q = CompiledQuery::Compile(sql, caller, schema);
  EXPECT_TRUE(q.ok()) << sql << ": " << q.error().message();
  return q.ok() ? *q : nullptr;
}

Multiset FullResult(const CompiledQuery& q, const datastore::DatabaseView& view) {
  Multiset m;
  auto done = q.Evaluate(view, [&](sats::ByteSpan row) {
    ++m[Key(row)];
    return true;
  });
  EXPECT_TRUE(done.ok()) << done.error().message();
  return m;
}

// The queries of the property tests: one to four tables, self-joins, cycles, filters.
const std::vector<std::string>& Queries() {
  static const std::vector<std::string> queries = {
      "SELECT * FROM a",
      "SELECT * FROM a WHERE x = 1",
      "SELECT * FROM b WHERE z > 1",
      "SELECT a.* FROM a JOIN b ON a.id = b.a_id",
      "SELECT b.* FROM a JOIN b ON a.id = b.a_id WHERE a.x = 2",
      "SELECT c.* FROM b JOIN c ON b.id = c.b_id WHERE b.z = 1 AND c.w > 0",
      "SELECT c.* FROM a JOIN b ON a.id = b.a_id JOIN c ON b.id = c.b_id WHERE a.x = 1",
      "SELECT a.* FROM a JOIN b ON a.id = b.a_id JOIN c ON b.id = c.b_id",
      "SELECT d.* FROM a JOIN b ON a.id = b.a_id JOIN c ON b.id = c.b_id JOIN d ON c.id = d.c_id",
      "SELECT b.* FROM a JOIN b ON a.id = b.a_id JOIN c ON b.id = c.b_id JOIN d ON c.id = d.c_id WHERE d.a_id = a.id",
      "SELECT x.* FROM b AS x JOIN b AS y ON x.a_id = y.a_id",
      "SELECT x.* FROM a AS x JOIN b ON x.id = b.a_id JOIN a AS y ON b.z = y.id WHERE y.x < 3",
  };
  return queries;
}

// After every random transaction: result before + inserts - deletes = result after, and no row is both inserted
// and deleted (the bag cancelled everything it could).
TEST(DeltaEvaluatorTest, DeltaTakesTheResultFromBeforeToAfter) {
  for (uint64_t seed : {1u, 2u, 3u}) {
    TestDb db;
    RandomWorkload workload(db, seed);
    workload.Populate(10);
    std::vector<std::shared_ptr<const CompiledQuery>> queries;
    for (const std::string& sql : Queries()) queries.push_back(MustCompile(db, sql));
    ASSERT_EQ(queries.size(), Queries().size());
    for (const auto& q : queries) ASSERT_TRUE(q);

    for (int step = 0; step < 150; ++step) {
      std::vector<Multiset> before;
      {
        auto view = db.View();
        for (const auto& q : queries) before.push_back(FullResult(*q, *view));
      }
      workload.Step();
      if (db.last_tx().empty()) continue;
      auto after = db.View();
      for (size_t i = 0; i < queries.size(); ++i) {
        DeltaResult delta;
        DeltaStats stats;
        Status status = queries[i]->EvaluateDelta(db.last_tx(), *after, delta, stats);
        ASSERT_TRUE(status.ok()) << Queries()[i] << ": " << status.error().message();
        Multiset inserted, deleted;
        AddAll(inserted, delta.inserts);
        AddAll(deleted, delta.deletes);
        for (const auto& [row, n] : inserted) ASSERT_FALSE(deleted.count(row)) << Queries()[i] << " seed " << seed;
        Multiset expected = before[i];
        AddAll(expected, delta.inserts, +1);
        AddAll(expected, delta.deletes, -1);
        for (const auto& [row, n] : expected) ASSERT_GT(n, 0) << Queries()[i] << ": deleted a row it did not have";
        ASSERT_EQ(expected, FullResult(*queries[i], *after)) << Queries()[i] << " seed " << seed << " step " << step;
      }
    }
    // Plans are made once per binding and kept: never more than the 3^n - 1 possible fragments.
    for (size_t i = 0; i < queries.size(); ++i) {
      size_t n = queries[i]->query().fragments[0].relations.size();
      size_t bound = 1;
      for (size_t k = 0; k < n; ++k) bound *= 3;
      EXPECT_LE(queries[i]->delta_evaluator().plans_made(), bound - 1) << Queries()[i];
      EXPECT_GT(queries[i]->delta_evaluator().plans_made(), 0u) << Queries()[i];
    }
  }
}

TEST(DeltaEvaluatorTest, TwoTableFragmentsMatchTheReference) {
  // t(id unique, v), s(id unique, t_id indexed): one transaction inserts into both sides and deletes from both.
  TestDb db;
  auto t = db.CreateTable("t", {{"id", AlgebraicType::U32()}, {"v", AlgebraicType::U32()}}, {{{0}, true}});
  auto s = db.CreateTable("s", {{"id", AlgebraicType::U32()}, {"t_id", AlgebraicType::U32()}}, {{{0}, true}, {{1}}});
  db.Insert(t, {{AlgebraicValue::U32(1), AlgebraicValue::U32(10)}, {AlgebraicValue::U32(2), AlgebraicValue::U32(20)}});
  db.Insert(s, {{AlgebraicValue::U32(100), AlgebraicValue::U32(1)}, {AlgebraicValue::U32(101), AlgebraicValue::U32(2)}});
  auto q = MustCompile(db, "SELECT t.* FROM t JOIN s ON t.id = s.t_id");
  ASSERT_TRUE(q);

  // Insert t(3) with a matching s(102) (dR+ join dS+); delete s(101), which removes t(2) from the result; add a
  // second partner of t(1) (bag: t(1) now appears twice).
  db.Commit([&](datastore::MutTx& tx) -> Status {
    STDB_RETURN_IF_ERROR(tx.Insert(t, Row({AlgebraicValue::U32(3), AlgebraicValue::U32(30)})));
    STDB_RETURN_IF_ERROR(tx.Insert(s, Row({AlgebraicValue::U32(102), AlgebraicValue::U32(3)})));
    STDB_RETURN_IF_ERROR(tx.Insert(s, Row({AlgebraicValue::U32(103), AlgebraicValue::U32(1)})));
    STDB_RETURN_IF_ERROR(tx.DeleteByValue(s, Row({AlgebraicValue::U32(101), AlgebraicValue::U32(2)})));
    return OkStatus();
  });
  auto after = db.View();
  DeltaResult delta;
  DeltaStats stats;
  ASSERT_TRUE(q->EvaluateDelta(db.last_tx(), *after, delta, stats).ok());
  Multiset inserted, deleted;
  AddAll(inserted, delta.inserts);
  AddAll(deleted, delta.deletes);
  EXPECT_EQ(inserted, (Multiset{{Key(Row({AlgebraicValue::U32(1), AlgebraicValue::U32(10)})), 1},
                                {Key(Row({AlgebraicValue::U32(3), AlgebraicValue::U32(30)})), 1}}));
  EXPECT_EQ(deleted, (Multiset{{Key(Row({AlgebraicValue::U32(2), AlgebraicValue::U32(20)})), 1}}));
  // t changed by inserts only, s by inserts and deletes: dt+ with s before the transaction (s', ds+, ds-: 3), and
  // t' with ds+ and ds- (2).
  EXPECT_EQ(stats.fragments_run, 5u);

  // An update of t(1) whose join partners stay: one delete of the old row per partner, one insert of the new.
  db.Commit([&](datastore::MutTx& tx) -> Status {
    STDB_RETURN_IF_ERROR(tx.DeleteByValue(t, Row({AlgebraicValue::U32(1), AlgebraicValue::U32(10)})));
    STDB_RETURN_IF_ERROR(tx.Insert(t, Row({AlgebraicValue::U32(1), AlgebraicValue::U32(11)})));
    return OkStatus();
  });
  after = db.View();
  DeltaResult update;
  ASSERT_TRUE(q->EvaluateDelta(db.last_tx(), *after, update, stats).ok());
  Multiset up_ins, up_del;
  AddAll(up_ins, update.inserts);
  AddAll(up_del, update.deletes);
  EXPECT_EQ(up_ins, (Multiset{{Key(Row({AlgebraicValue::U32(1), AlgebraicValue::U32(11)})), 2}}));
  EXPECT_EQ(up_del, (Multiset{{Key(Row({AlgebraicValue::U32(1), AlgebraicValue::U32(10)})), 2}}));
}

// The cost of a delta follows the delta, not the tables: one inserted row of a 3-table join over 20,000-row
// tables reads a handful of rows.
TEST(DeltaEvaluatorTest, WorkIsProportionalToTheDelta) {
  TestDb db;
  auto a = db.CreateTable("a", {{"id", AlgebraicType::U32()}, {"x", AlgebraicType::U32()}}, {{{0}, true}, {{1}}});
  auto b = db.CreateTable("b", {{"id", AlgebraicType::U32()}, {"a_id", AlgebraicType::U32()}}, {{{0}, true}, {{1}}});
  auto c = db.CreateTable("c", {{"id", AlgebraicType::U32()}, {"b_id", AlgebraicType::U32()}}, {{{0}, true}, {{1}}});
  const uint32_t n = 20000;
  for (auto table : {a, b, c})
    db.Commit([&](datastore::MutTx& tx) -> Status {
      for (uint32_t i = 0; i < n; ++i)
        STDB_RETURN_IF_ERROR(tx.Insert(table, Row({AlgebraicValue::U32(i), AlgebraicValue::U32(i)})));
      return OkStatus();
    });
  auto q = MustCompile(db, "SELECT c.* FROM a JOIN b ON a.id = b.a_id JOIN c ON b.id = c.b_id WHERE a.x >= 0");
  ASSERT_TRUE(q);
  for (auto table : {a, b, c}) {
    db.Insert(table, {{AlgebraicValue::U32(n + 5), AlgebraicValue::U32(7)}});
    auto after = db.View();
    DeltaResult delta;
    DeltaStats stats;
    ASSERT_TRUE(q->EvaluateDelta(db.last_tx(), *after, delta, stats).ok());
    EXPECT_EQ(stats.fragments_run, 1u);
    EXPECT_LT(stats.rows_scanned, 20u) << "a delta of one row must not scan a table";
  }
}

TEST(DeltaEvaluatorTest, EventTablesYieldInsertsJoinedWithTheStateAfter) {
  TestDb db;
  auto p = db.CreateTable("player", {{"id", AlgebraicType::U32()}, {"region", AlgebraicType::U32()}}, {{{0}, true}});
  auto ev = db.CreateTable("hit", {{"player", AlgebraicType::U32()}, {"damage", AlgebraicType::U32()}}, {{{0}}},
                           true, /*is_event=*/true);
  db.Insert(p, {{AlgebraicValue::U32(1), AlgebraicValue::U32(5)}});
  auto all = MustCompile(db, "SELECT * FROM hit");
  auto joined = MustCompile(db, "SELECT hit.* FROM hit JOIN player ON hit.player = player.id WHERE player.region = 6");
  ASSERT_TRUE(all && joined);
  // The player moves to region 6 in the transaction that emits the event.
  db.Commit([&](datastore::MutTx& tx) -> Status {
    STDB_RETURN_IF_ERROR(tx.DeleteByValue(p, Row({AlgebraicValue::U32(1), AlgebraicValue::U32(5)})));
    STDB_RETURN_IF_ERROR(tx.Insert(p, Row({AlgebraicValue::U32(1), AlgebraicValue::U32(6)})));
    STDB_RETURN_IF_ERROR(tx.Insert(ev, Row({AlgebraicValue::U32(1), AlgebraicValue::U32(9)})));
    return OkStatus();
  });
  auto after = db.View();
  for (const auto& q : {all, joined}) {
    DeltaResult delta;
    DeltaStats stats;
    ASSERT_TRUE(q->EvaluateDelta(db.last_tx(), *after, delta, stats).ok());
    ASSERT_EQ(delta.inserts.size(), 1u) << q->text();
    EXPECT_EQ(Key(delta.inserts[0]), Key(Row({AlgebraicValue::U32(1), AlgebraicValue::U32(9)})));
    EXPECT_TRUE(delta.deletes.empty());
  }
  // Nothing is stored: the full result is empty.
  EXPECT_TRUE(FullResult(*all, *after).empty());
}

TEST(DeltaEvaluatorTest, FindTableChangesBinarySearches) {
  datastore::TxData tx;
  for (table::TableId id : {3u, 7u, 4096u, 5000u}) {
    datastore::TableChanges c;
    c.table_id = id;
    tx.tables.push_back(std::move(c));
  }
  for (table::TableId id : {3u, 7u, 4096u, 5000u}) {
    ASSERT_NE(FindTableChanges(tx, id), nullptr);
    EXPECT_EQ(FindTableChanges(tx, id)->table_id, id);
  }
  EXPECT_EQ(FindTableChanges(tx, 5), nullptr);
  EXPECT_EQ(FindTableChanges(tx, 6000), nullptr);
}

}  // namespace
}  // namespace stdb::subscription
