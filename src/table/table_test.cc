#include "table/table.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

namespace stdb::table {
namespace {

using T = sats::AlgebraicType;
using V = sats::AlgebraicValue;

// person(id u32 unique pk, name string, age u8, score i32)
//   idx 1: btree unique (id); idx 2: btree (name); idx 3: hash (age); idx 4: btree (name, score)
std::shared_ptr<TableSchema> PersonSchema(bool with_pk = true) {
  auto s = std::make_shared<TableSchema>();
  s->table_id = 4096;
  s->name = "person";
  s->columns = {{"id", T::U32()}, {"name", T::String()}, {"age", T::U8()}, {"score", T::I32()}};
  if (with_pk) {
    s->indexes.push_back({1, "person_id_idx_btree", IndexAlgorithm::kBTree, {0}, true});
    s->constraints.push_back({1, "person_id_key", {0}});
    s->primary_key = 0;
  }
  s->indexes.push_back({2, "person_name_idx_btree", IndexAlgorithm::kBTree, {1}, false});
  s->indexes.push_back({3, "person_age_idx_hash", IndexAlgorithm::kHash, {2}, false});
  s->indexes.push_back({4, "person_name_score_idx_btree", IndexAlgorithm::kBTree, {1, 3}, false});
  return s;
}

sats::Bytes PersonRow(uint32_t id, const std::string& name, uint8_t age, int32_t score) {
  return sats::bsatn::EncodeValue(V::Product({V::U32(id), V::String(name), V::U8(age), V::I32(score)}));
}

TEST(Table, SetSemanticsAndUniqueViolation) {
  SnapshotEpochs epochs;
  Table t(PersonSchema(), &epochs);
  auto r = t.Insert(PersonRow(1, "ann", 30, 5));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->existed);
  auto again = t.Insert(PersonRow(1, "ann", 30, 5));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->existed);
  EXPECT_EQ(again->row_id, r->row_id);
  EXPECT_EQ(t.row_count(), 1u);
  auto clash = t.Insert(PersonRow(1, "bob", 31, 6));
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.error().code(), ErrorCode::kConstraint);
  EXPECT_EQ(clash.error().message(),
            "Unique constraint violation 'person_id_key' in table 'person': column(s): 'id' value: 1");
  EXPECT_EQ(t.row_count(), 1u);
}

TEST(Table, SetSemanticsWithoutUniqueIndex) {
  SnapshotEpochs epochs;
  Table t(PersonSchema(false), &epochs);
  ASSERT_TRUE(t.Insert(PersonRow(1, "a", 1, 1)).ok());
  auto dup = t.Insert(PersonRow(1, "a", 1, 1));
  ASSERT_TRUE(dup.ok());
  EXPECT_TRUE(dup->existed);
  ASSERT_TRUE(t.Insert(PersonRow(1, "a", 1, 2)).ok());  // differs in one column: a new row
  EXPECT_EQ(t.row_count(), 2u);
  EXPECT_NE(t.FindIdentical(PersonRow(1, "a", 1, 2)), kNoRow);
  EXPECT_EQ(t.FindIdentical(PersonRow(9, "a", 1, 2)), kNoRow);
}

TEST(Table, ReplaceChecksChangedUniqueKeys) {
  SnapshotEpochs epochs;
  Table t(PersonSchema(), &epochs);
  RowId a = t.Insert(PersonRow(1, "a", 1, 1))->row_id;
  ASSERT_TRUE(t.Insert(PersonRow(2, "b", 2, 2)).ok());
  EXPECT_FALSE(t.Replace(a, PersonRow(2, "x", 1, 1)).ok());
  ASSERT_TRUE(t.Replace(a, PersonRow(1, "renamed", 1, 9)).ok());
  auto idx = t.FindIndex(2)->view();
  IndexKey key = t.FindIndex(2)->KeyFromValues({V::String("renamed")});
  EXPECT_EQ(TableIndex::FindFirst(idx, key), a);
  key = t.FindIndex(2)->KeyFromValues({V::String("a")});
  EXPECT_EQ(TableIndex::FindFirst(t.FindIndex(2)->view(), key), kNoRow);
}

TEST(Table, AddUniqueIndexFailsOnDuplicates) {
  SnapshotEpochs epochs;
  Table t(PersonSchema(false), &epochs);
  ASSERT_TRUE(t.Insert(PersonRow(1, "a", 1, 1)).ok());
  ASSERT_TRUE(t.Insert(PersonRow(1, "b", 1, 1)).ok());
  auto s = t.AddIndex({9, "person_id_idx_btree", IndexAlgorithm::kBTree, {0}, true});
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(t.schema().indexes.size(), 3u);
  ASSERT_TRUE(t.AddIndex({10, "person_age_idx_btree", IndexAlgorithm::kBTree, {2}, false}).ok());
  EXPECT_EQ(t.FindIndex(10)->size(), 2u);
}

// Randomized model test: random inserts, deletes (with restore), removes and replaces, checked against a model
// after every step; index scans must return exactly the matching rows in key order.
TEST(Table, RandomOperationsMatchModel) {
  SnapshotEpochs epochs;
  Table t(PersonSchema(), &epochs);
  std::map<uint32_t, std::tuple<std::string, uint8_t, int32_t>> model;  // by id
  std::map<uint32_t, RowId> ids;
  std::mt19937 rng(42);
  const char* names[] = {"ann", "bob", "cy", "", "dee\x01"};
  for (int step = 0; step < 4000; ++step) {
    uint32_t id = rng() % 200;
    std::string name = names[rng() % 5];
    uint8_t age = uint8_t(rng() % 5);
    int32_t score = int32_t(rng() % 11) - 5;
    int op = int(rng() % 4);
    if (op == 0 || op == 1) {
      auto r = t.Insert(PersonRow(id, name, age, score));
      auto it = model.find(id);
      if (it == model.end()) {
        ASSERT_TRUE(r.ok());
        model[id] = {name, age, score};
        ids[id] = r->row_id;
      } else if (it->second == std::make_tuple(name, age, score)) {
        ASSERT_TRUE(r.ok() && r->existed);
      } else {
        ASSERT_FALSE(r.ok());
      }
    } else if (op == 2 && !model.empty()) {
      auto it = model.lower_bound(id);
      if (it == model.end()) it = model.begin();
      RowId rid = ids[it->first];
      t.Delete(rid);
      if (rng() % 3 == 0) {
        t.Restore(rid);
      } else {
        t.Release(rid);
        ids.erase(it->first);
        model.erase(it);
      }
    } else if (op == 3 && !model.empty()) {
      auto it = model.lower_bound(id);
      if (it == model.end()) it = model.begin();
      auto s = t.Replace(ids[it->first], PersonRow(it->first, name, age, score));
      ASSERT_TRUE(s.ok());
      it->second = {name, age, score};
    }
    if (step % 50 != 0) continue;
    ASSERT_EQ(t.row_count(), model.size());
    // Full scan equals the model.
    std::map<uint32_t, sats::Bytes> scanned;
    t.rows().view().ForEach([&](RowId, ByteSpan b) {
      uint32_t rid;
      std::memcpy(&rid, b.data(), 4);
      scanned[rid] = sats::Bytes(b.begin(), b.end());
    });
    ASSERT_EQ(scanned.size(), model.size());
    for (auto& [mid, vals] : model)
      ASSERT_EQ(scanned[mid], PersonRow(mid, std::get<0>(vals), std::get<1>(vals), std::get<2>(vals)));
    // Index on name: point scan for each name returns the model's matches, in row-id order within the key.
    for (const char* n : names) {
      std::set<uint32_t> want, got;
      for (auto& [mid, vals] : model)
        if (std::get<0>(vals) == n) want.insert(mid);
      TableIndex::ScanPoint(t.FindIndex(2)->view(), t.FindIndex(2)->KeyFromValues({V::String(n)}), [&](RowId r) {
        uint32_t rid;
        std::memcpy(&rid, t.Get(r).data(), 4);
        got.insert(rid);
        return true;
      });
      ASSERT_EQ(got, want) << "name " << n;
    }
    // Multi-column index (name, score): range name = "ann", score in [-2, 3) returns ascending scores.
    {
      std::vector<int32_t> want, got;
      for (auto& [mid, vals] : model)
        if (std::get<0>(vals) == "ann" && std::get<2>(vals) >= -2 && std::get<2>(vals) < 3) want.push_back(std::get<2>(vals));
      std::sort(want.begin(), want.end());
      const TableIndex* idx = t.FindIndex(4);
      KeyRange range;
      idx->EncodeColumn(0, V::String("ann"), range.prefix);
      range.lower.kind = KeyBound::Kind::kIncluded;
      idx->EncodeColumn(1, V::I32(-2), range.lower.key.bytes);
      range.upper.kind = KeyBound::Kind::kExcluded;
      idx->EncodeColumn(1, V::I32(3), range.upper.key.bytes);
      TableIndex::ScanRange(idx->view(), range, [&](RowId r) {
        int32_t sc;
        std::memcpy(&sc, t.Get(r).data() + t.Get(r).size() - 4, 4);
        got.push_back(sc);
        return true;
      });
      ASSERT_EQ(got, want);
    }
    // Primary key range (id in (50, 120]) in key order.
    {
      std::vector<uint32_t> want, got;
      for (auto& [mid, vals] : model)
        if (mid > 50 && mid <= 120) want.push_back(mid);
      KeyRange range;
      range.lower = {KeyBound::Kind::kExcluded, {50, {}}};
      range.upper = {KeyBound::Kind::kIncluded, {120, {}}};
      TableIndex::ScanRange(t.FindIndex(1)->view(), range, [&](RowId r) {
        uint32_t rid;
        std::memcpy(&rid, t.Get(r).data(), 4);
        got.push_back(rid);
        return true;
      });
      ASSERT_EQ(got, want);
    }
  }
}

TEST(Table, RangeFromBsatnBounds) {
  SnapshotEpochs epochs;
  Table t(PersonSchema(), &epochs);
  for (uint32_t i = 0; i < 10; ++i) ASSERT_TRUE(t.Insert(PersonRow(i, "n", 1, int32_t(i))).ok());
  const TableIndex* pk = t.FindIndex(1);
  auto bound = [](uint8_t tag, std::optional<uint32_t> v) {
    sats::Bytes b{tag};
    if (v) {
      b.resize(5);
      std::memcpy(b.data() + 1, &*v, 4);
    }
    return b;
  };
  auto count = [&](const sats::Bytes& lo, const sats::Bytes& hi) {
    auto range = pk->RangeFromBsatn({}, 0, lo, hi);
    EXPECT_TRUE(range.ok());
    int n = 0;
    TableIndex::ScanRange(pk->view(), *range, [&](RowId) { return ++n, true; });
    return n;
  };
  EXPECT_EQ(count(bound(0, 3), bound(0, 5)), 3);
  EXPECT_EQ(count(bound(1, 3), bound(1, 5)), 1);
  EXPECT_EQ(count(bound(2, {}), bound(1, 5)), 5);
  EXPECT_EQ(count(bound(0, 8), bound(2, {})), 2);
  EXPECT_FALSE(pk->RangeFromBsatn({}, 1, bound(2, {}), bound(2, {})).ok());  // prefix covers all key columns
  EXPECT_FALSE(pk->RangeFromBsatn({}, 0, bound(3, {}), bound(2, {})).ok());  // bad tag
  EXPECT_FALSE(pk->RangeFromBsatn({}, 0, bound(0, {}), bound(2, {})).ok());  // truncated value
}

}  // namespace
}  // namespace stdb::table
