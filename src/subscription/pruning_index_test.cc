#include "subscription/pruning_index.h"

#include <gtest/gtest.h>

#include <set>

#include "subscription/test_util.h"

namespace stdb::subscription {
namespace {

using testing::Row;

// Rows of t(id u32, x u32).
table::RowLayout Layout() {
  return table::RowLayout(sats::ProductType{{{"id", sats::AlgebraicType::U32()}, {"x", sats::AlgebraicType::U32()}}});
}

datastore::TableChanges Changes(table::TableId table, std::vector<std::pair<uint32_t, uint32_t>> inserts,
                                std::vector<std::pair<uint32_t, uint32_t>> deletes = {}) {
  datastore::TableChanges c;
  c.table_id = table;
  for (auto [id, x] : inserts) c.inserts.Add(Row({sats::AlgebraicValue::U32(id), sats::AlgebraicValue::U32(x)}));
  for (auto [id, x] : deletes) c.deletes.Add(Row({sats::AlgebraicValue::U32(id), sats::AlgebraicValue::U32(x)}));
  return c;
}

TableTrigger Eq(table::TableId table, table::ColId col, uint32_t value) {
  return TableTrigger{table, false, {{col, sats::bsatn::EncodeValue(sats::AlgebraicValue::U32(value))}}};
}

std::set<uint32_t> Candidates(const PruningIndex& index, const datastore::TableChanges& changes,
                              const table::RowLayout* layout) {
  std::set<uint32_t> out;
  index.ForEachCandidate(changes, layout, [&](uint32_t q) { out.insert(q); });
  return out;
}

TEST(PruningIndexTest, EqualityConstantsSelectQueries) {
  table::RowLayout layout = Layout();
  PruningIndex index;
  index.Add(1, {Eq(10, 0, 5)});                       // t.id = 5
  index.Add(2, {Eq(10, 0, 7)});                       // t.id = 7
  index.Add(3, {Eq(10, 1, 5)});                       // t.x = 5
  index.Add(4, {TableTrigger{10, true, {}}});         // any change of t
  index.Add(5, {Eq(11, 0, 5)});                       // another table
  TableTrigger both = Eq(10, 0, 8);                   // id = 8 in one fragment, id = 9 in another
  both.equalities.push_back({0, sats::bsatn::EncodeValue(sats::AlgebraicValue::U32(9))});
  index.Add(6, {both});

  EXPECT_EQ(Candidates(index, Changes(10, {{7, 1}}), &layout), (std::set<uint32_t>{2, 4}));
  EXPECT_EQ(Candidates(index, Changes(10, {}, {{5, 5}}), &layout), (std::set<uint32_t>{1, 3, 4}));
  EXPECT_EQ(Candidates(index, Changes(10, {{1, 1}}), &layout), (std::set<uint32_t>{4}));
  EXPECT_EQ(Candidates(index, Changes(10, {{9, 0}}), &layout), (std::set<uint32_t>{4, 6}));
  EXPECT_EQ(Candidates(index, Changes(11, {{5, 0}}), &layout), (std::set<uint32_t>{5}));
  EXPECT_EQ(Candidates(index, Changes(12, {{5, 0}}), &layout), (std::set<uint32_t>{}));
  // Without a layout (the table is gone) every query over the table is a candidate.
  EXPECT_EQ(Candidates(index, Changes(10, {{1, 1}}), nullptr), (std::set<uint32_t>{1, 2, 3, 4, 6}));

  index.Remove(2, {Eq(10, 0, 7)});
  index.Remove(4, {TableTrigger{10, true, {}}});
  EXPECT_EQ(Candidates(index, Changes(10, {{7, 5}}), &layout), (std::set<uint32_t>{3}));
  index.Remove(1, {Eq(10, 0, 5)});
  index.Remove(3, {Eq(10, 1, 5)});
  index.Remove(6, {both});
  index.Remove(5, {Eq(11, 0, 5)});
  EXPECT_EQ(index.table_count(), 0u);
}

TEST(PruningIndexTest, SharedValuesAreLookedUpOnce) {
  table::RowLayout layout = Layout();
  PruningIndex index;
  for (uint32_t q = 0; q < 100; ++q) index.Add(q, {Eq(10, 1, q % 10)});
  // 1000 changed rows, all with x = 3: the ten queries on x = 3, each visited once.
  std::vector<std::pair<uint32_t, uint32_t>> rows;
  for (uint32_t i = 0; i < 1000; ++i) rows.push_back({i, 3});
  size_t visits = 0;
  std::set<uint32_t> seen;
  index.ForEachCandidate(Changes(10, rows), &layout, [&](uint32_t q) {
    ++visits;
    seen.insert(q);
  });
  EXPECT_EQ(visits, 10u);
  EXPECT_EQ(seen.size(), 10u);
  for (uint32_t q : seen) EXPECT_EQ(q % 10, 3u);
}

}  // namespace
}  // namespace stdb::subscription
