#include "subscription/pruning_index.h"

#include <gtest/gtest.h>

#include <set>

#include "subscription/test_util.h"

namespace stdb::subscription {
namespace {

using namespace testing;
using V = sats::AlgebraicValue;

datastore::TableChanges Changes(table::TableId table, std::vector<std::pair<uint32_t, uint32_t>> inserts,
                                std::vector<std::pair<uint32_t, uint32_t>> deletes = {}) {
  datastore::TableChanges c;
  c.table_id = table;
  for (auto [a, b] : inserts) c.inserts.Add(Row({V::U32(a), V::U32(b)}));
  for (auto [a, b] : deletes) c.deletes.Add(Row({V::U32(a), V::U32(b)}));
  return c;
}

TableTrigger Eq(table::TableId table, table::ColId col, uint32_t value) {
  return TableTrigger{table, false, {{col, sats::bsatn::EncodeValue(V::U32(value))}}, {}};
}

class PruningIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // t(id u32, x u32); fp(e u32, kind u32); loc(e u32 indexed, chunk u32 indexed).
    t_ = db_.CreateTable("t", {{"id", AlgebraicType::U32()}, {"x", AlgebraicType::U32()}});
    fp_ = db_.CreateTable("fp", {{"e", AlgebraicType::U32()}, {"kind", AlgebraicType::U32()}}, {{{0}}});
    loc_ = db_.CreateTable("loc", {{"e", AlgebraicType::U32()}, {"chunk", AlgebraicType::U32()}}, {{{0}}, {{1}}});
    db_.Insert(loc_, {{V::U32(1), V::U32(5)}, {V::U32(2), V::U32(6)}, {V::U32(3), V::U32(5)}});
  }

  std::set<uint32_t> Candidates(const datastore::TableChanges& changes) {
    auto view = db_.View();
    std::set<uint32_t> out;
    index_.ForEachCandidate(changes, *view, [&](uint32_t q) { out.insert(q); });
    return out;
  }

  std::vector<TableTrigger> TriggersOf(const std::string& sql) {
    auto view = db_.View();
    sql::DatabaseViewSchema schema(*view);
    auto q = CompiledQuery::Compile(sql, User(), schema);
    EXPECT_TRUE(q.ok()) << q.error().message();
    return q.ok() ? (*q)->triggers() : std::vector<TableTrigger>{};
  }

  TestDb db_;
  PruningIndex index_;
  table::TableId t_ = 0, fp_ = 0, loc_ = 0;
};

TEST_F(PruningIndexTest, EqualityConstantsSelectQueries) {
  index_.Add(1, {Eq(t_, 0, 5)});                    // t.id = 5
  index_.Add(2, {Eq(t_, 0, 7)});                    // t.id = 7
  index_.Add(3, {Eq(t_, 1, 5)});                    // t.x = 5
  index_.Add(4, {TableTrigger{t_, true, {}, {}}});  // any change of t
  index_.Add(5, {Eq(fp_, 0, 5)});                   // another table
  TableTrigger both = Eq(t_, 0, 8);                 // id = 8 in one fragment, id = 9 in another
  both.equalities.push_back({0, sats::bsatn::EncodeValue(V::U32(9))});
  index_.Add(6, {both});

  EXPECT_EQ(Candidates(Changes(t_, {{7, 1}})), (std::set<uint32_t>{2, 4}));
  EXPECT_EQ(Candidates(Changes(t_, {}, {{5, 5}})), (std::set<uint32_t>{1, 3, 4}));
  EXPECT_EQ(Candidates(Changes(t_, {{1, 1}})), (std::set<uint32_t>{4}));
  EXPECT_EQ(Candidates(Changes(t_, {{9, 0}})), (std::set<uint32_t>{4, 6}));
  EXPECT_EQ(Candidates(Changes(fp_, {{5, 0}})), (std::set<uint32_t>{5}));
  EXPECT_EQ(Candidates(Changes(loc_, {{5, 0}})), (std::set<uint32_t>{}));

  index_.Remove(2, {Eq(t_, 0, 7)});
  index_.Remove(4, {TableTrigger{t_, true, {}, {}}});
  EXPECT_EQ(Candidates(Changes(t_, {{7, 5}})), (std::set<uint32_t>{3}));
  index_.Remove(1, {Eq(t_, 0, 5)});
  index_.Remove(3, {Eq(t_, 1, 5)});
  index_.Remove(6, {both});
  index_.Remove(5, {Eq(fp_, 0, 5)});
  EXPECT_EQ(index_.table_count(), 0u);
}

TEST_F(PruningIndexTest, ATableMissingFromTheViewSelectsEveryQueryOverIt) {
  const table::TableId gone = 999999;
  index_.Add(1, {Eq(gone, 0, 5)});
  index_.Add(2, {Eq(gone, 1, 6)});
  EXPECT_EQ(Candidates(Changes(gone, {{1, 1}})), (std::set<uint32_t>{1, 2}));
}

TEST_F(PruningIndexTest, SharedValuesAreLookedUpOnce) {
  for (uint32_t q = 0; q < 100; ++q) index_.Add(q, {Eq(t_, 1, q % 10)});
  // 1000 changed rows, all with x = 3: the ten queries on x = 3, each visited once.
  std::vector<std::pair<uint32_t, uint32_t>> rows;
  for (uint32_t i = 0; i < 1000; ++i) rows.push_back({i, 3});
  size_t visits = 0;
  std::set<uint32_t> seen;
  auto view = db_.View();
  index_.ForEachCandidate(Changes(t_, rows), *view, [&](uint32_t q) {
    ++visits;
    seen.insert(q);
  });
  EXPECT_EQ(visits, 10u);
  EXPECT_EQ(seen.size(), 10u);
  for (uint32_t q : seen) EXPECT_EQ(q % 10, 3u);
}

TEST_F(PruningIndexTest, JoinTriggersFollowThePartnerRow) {
  // One query per chunk: a changed fp row matters only to the query of its entity's chunk.
  auto five = TriggersOf("SELECT fp.* FROM fp JOIN loc ON fp.e = loc.e WHERE loc.chunk = 5");
  auto six = TriggersOf("SELECT fp.* FROM fp JOIN loc ON fp.e = loc.e WHERE loc.chunk = 6");
  ASSERT_EQ(five.size(), 2u);
  const TableTrigger& fp_trigger = five[0].table_id == fp_ ? five[0] : five[1];
  EXPECT_FALSE(fp_trigger.any_row);
  ASSERT_EQ(fp_trigger.joins.size(), 1u);
  EXPECT_EQ(fp_trigger.joins[0].other_table, loc_);
  EXPECT_EQ(fp_trigger.joins[0].other_column, 1);
  index_.Add(5, five);
  index_.Add(6, six);

  EXPECT_EQ(Candidates(Changes(fp_, {{1, 0}})), (std::set<uint32_t>{5}));
  EXPECT_EQ(Candidates(Changes(fp_, {}, {{2, 0}})), (std::set<uint32_t>{6}));
  EXPECT_EQ(Candidates(Changes(fp_, {{1, 0}, {2, 0}})), (std::set<uint32_t>{5, 6}));
  EXPECT_EQ(Candidates(Changes(fp_, {{4, 0}})), (std::set<uint32_t>{}));  // no location
  // loc rows are pruned by their own chunk.
  EXPECT_EQ(Candidates(Changes(loc_, {{9, 6}})), (std::set<uint32_t>{6}));
  index_.Remove(5, five);
  index_.Remove(6, six);
  EXPECT_EQ(index_.table_count(), 0u);
}

}  // namespace
}  // namespace stdb::subscription
