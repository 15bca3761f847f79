#include "table/row_store.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

namespace stdb::table {
namespace {

sats::Bytes Row(uint32_t a, uint32_t b) {
  sats::Bytes r(8);
  std::memcpy(r.data(), &a, 4);
  std::memcpy(r.data() + 4, &b, 4);
  return r;
}

std::map<RowId, sats::Bytes> Collect(const RowStore::View& v) {
  std::map<RowId, sats::Bytes> out;
  v.ForEach([&](RowId id, ByteSpan b) { out[id] = sats::Bytes(b.begin(), b.end()); });
  return out;
}

TEST(RowStore, FixedRowsAreStoredInlineCompactly) {
  SnapshotEpochs epochs;
  RowStore store(8, &epochs);
  EXPECT_TRUE(store.geometry().inline_rows);
  for (uint32_t i = 0; i < 100000; ++i) store.Insert(Row(i, i * 2));
  EXPECT_EQ(store.row_count(), 100000u);
  EXPECT_LT(double(store.memory_bytes()) / 100000, 9.0);  // 8 bytes + bitmap + the partly filled last page
  auto r = store.Get(777);
  uint32_t a;
  std::memcpy(&a, r.data(), 4);
  EXPECT_EQ(a, 777u);
}

TEST(RowStore, DeleteRestoreReleaseAndReuse) {
  SnapshotEpochs epochs;
  RowStore store(std::nullopt, &epochs);
  RowId a = store.Insert(sats::AsBytes("alpha"));
  RowId b = store.Insert(sats::AsBytes("beta"));
  store.MarkAbsent(a);
  EXPECT_FALSE(store.IsPresent(a));
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(store.Get(a).data()), 5), "alpha");  // kept
  store.MarkPresent(a);
  EXPECT_TRUE(store.IsPresent(a));
  store.MarkAbsent(b);
  store.Release(b);
  RowId c = store.Insert(sats::AsBytes("gamma!"));
  EXPECT_EQ(c, b);  // slot reused
  EXPECT_EQ(store.row_count(), 2u);
  store.Overwrite(c, sats::AsBytes("a much longer row than before"));
  EXPECT_EQ(store.Get(c).size(), 29u);
}

TEST(RowStore, SnapshotSeesFrozenRows) {
  SnapshotEpochs epochs;
  RowStore store(8, &epochs);
  std::mt19937 rng(1);
  for (uint32_t i = 0; i < 20000; ++i) store.Insert(Row(i, 0));
  uint64_t snap = epochs.BeginSnapshot();
  RowStore::View frozen = store.view();
  auto before = Collect(frozen);
  for (int i = 0; i < 5000; ++i) {
    RowId id = rng() % 20000;
    if (store.IsPresent(id)) {
      if (rng() % 2) {
        store.Overwrite(id, Row(id, 99));
      } else {
        store.MarkAbsent(id);
        store.Release(id);
      }
    }
    store.Insert(Row(1000000 + i, 1));
  }
  EXPECT_EQ(Collect(frozen), before);
  EXPECT_EQ(frozen.row_count(), 20000u);
  epochs.EndSnapshot(snap);
  epochs.Reclaim();
  EXPECT_EQ(epochs.retired_objects(), 0u);
}

TEST(RowStore, ChunkedIterationResumes) {
  SnapshotEpochs epochs;
  RowStore store(8, &epochs);
  for (uint32_t i = 0; i < 10000; ++i) store.Insert(Row(i, 0));
  for (RowId id = 0; id < 10000; id += 3) {
    store.MarkAbsent(id);
    store.Release(id);
  }
  RowStore::View v = store.view();
  std::vector<RowId> seen;
  RowId next = 0;
  while (next != kNoRow) next = v.ForEachFrom(next, 777, [&](RowId id, ByteSpan) { seen.push_back(id); });
  std::vector<RowId> all;
  v.ForEach([&](RowId id, ByteSpan) { all.push_back(id); });
  EXPECT_EQ(seen, all);
  EXPECT_EQ(all.size(), store.row_count());
}

TEST(RowStore, ZeroSizeRows) {
  SnapshotEpochs epochs;
  RowStore store(0, &epochs);
  RowId id = store.Insert(ByteSpan());
  EXPECT_EQ(store.Get(id).size(), 0u);
  EXPECT_EQ(store.row_count(), 1u);
}

}  // namespace
}  // namespace stdb::table
