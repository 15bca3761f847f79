// Datastore benchmarks (issue 3), one core:
//   insert_1M / insert_10M   rows/s inserting (id u32 auto-inc primary key, v i32) in transactions of 1000 rows,
//                            and bytes per row including the primary key index (counter bytes_per_row)
//   point_lookup             primary key lookups/s on 1M rows (the writer's path, as reducers use it)
//   point_lookup_snapshot    the same through a snapshot's B-tree (SQL and subscription readers)
//   update_by_pk             updates/s through the primary key (1000 updates per transaction)
//   range_scan_100           100-row btree range scans/s
//   commit_under_reader      commit latency of small transactions while a reader thread scans 1M rows of a
//                            snapshot (counters p50_us, max_us)
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <random>
#include <thread>

#include "bench/bench_main.h"
#include "datastore/mut_tx.h"

namespace stdb::datastore {
namespace {

TableSchema PairDef() {
  TableSchema s;
  s.name = "pairs";
  s.columns = {{"id", sats::AlgebraicType::U32()}, {"v", sats::AlgebraicType::I32()}};
  s.primary_key = 0;
  s.constraints.push_back({0, "pairs_id_key", {0}});
  s.indexes.push_back({0, "pairs_id_idx_btree", table::IndexAlgorithm::kBTree, {0}, true});
  table::SequenceSchema seq;
  seq.name = "pairs_id_seq";
  s.sequences.push_back(seq);
  return s;
}

sats::Bytes PairRow(uint32_t id, int32_t v) {
  sats::Bytes r(8);
  std::memcpy(r.data(), &id, 4);
  std::memcpy(r.data() + 4, &v, 4);
  return r;
}

struct Loaded {
  std::unique_ptr<Datastore> ds;
  TableId table;
};

Loaded Load(size_t rows) {
  Loaded l{Datastore::Create(), 0};
  auto tx = *l.ds->BeginMutTx();
  l.table = *tx->CreateTable(PairDef());
  tx->Commit();
  for (size_t done = 0; done < rows;) {
    auto t = *l.ds->BeginMutTx();
    for (size_t k = 0; k < 1000 && done < rows; ++k, ++done) (void)t->Insert(l.table, PairRow(0, int32_t(done)));
    t->Commit();
  }
  return l;
}

void Insert(benchmark::State& state) {
  size_t rows = size_t(state.range(0));
  double bytes_per_row = 0;
  for (auto _ : state) {
    Loaded l = Load(rows);
    bytes_per_row = double(l.ds->GetTable(l.table)->memory_bytes()) / double(rows);
    state.PauseTiming();
    l.ds.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(int64_t(state.iterations() * rows));
  state.counters["bytes_per_row"] = bytes_per_row;
}
BENCHMARK(Insert)->Name("insert_1M")->Arg(1000000)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(Insert)->Name("insert_10M")->Arg(10000000)->Iterations(1)->Unit(benchmark::kMillisecond);

void PointLookup(benchmark::State& state) {
  Loaded l = Load(1000000);
  const table::Table* t = l.ds->GetTable(l.table);
  const table::TableIndex* pk = t->FindIndex(t->schema().indexes[0].index_id);
  std::mt19937 rng(1);
  int64_t sum = 0;
  for (auto _ : state) {
    table::IndexKey key;
    key.u64 = 1 + rng() % 1000000;
    table::RowId r = pk->Find(key);
    sum += t->Get(r)[4];
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(PointLookup)->Name("point_lookup");

// The same lookup through a snapshot reader's B-tree view (what SQL and subscriptions use).
void PointLookupSnapshot(benchmark::State& state) {
  Loaded l = Load(1000000);
  auto snapshot = l.ds->TakeSnapshot();
  const table::TableView* t = snapshot->Table(l.table);
  std::mt19937 rng(1);
  int64_t sum = 0;
  for (auto _ : state) {
    table::IndexKey key;
    key.u64 = 1 + rng() % 1000000;
    table::RowId r = table::TableIndex::FindFirst(t->indexes[0], key);
    sum += t->rows.Get(r)[4];
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(PointLookupSnapshot)->Name("point_lookup_snapshot");

void UpdateByPk(benchmark::State& state) {
  Loaded l = Load(1000000);
  IndexId pk = l.ds->GetTable(l.table)->schema().indexes[0].index_id;
  std::mt19937 rng(2);
  auto tx = *l.ds->BeginMutTx();
  int n = 0;
  for (auto _ : state) {
    uint32_t id = 1 + rng() % 1000000;
    (void)tx->Update(l.table, pk, PairRow(id, int32_t(rng())));
    if (++n % 1000 == 0) {
      tx->Commit();
      tx = *l.ds->BeginMutTx();
    }
  }
  tx->Commit();
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(UpdateByPk)->Name("update_by_pk");

void RangeScan100(benchmark::State& state) {
  Loaded l = Load(1000000);
  const table::Table* t = l.ds->GetTable(l.table);
  const table::TableIndex* pk = t->FindIndex(t->schema().indexes[0].index_id);
  std::mt19937 rng(3);
  int64_t sum = 0;
  for (auto _ : state) {
    uint64_t lo = 1 + rng() % 999800;
    table::KeyRange range;
    range.lower = {table::KeyBound::Kind::kIncluded, {lo, {}}};
    range.upper = {table::KeyBound::Kind::kExcluded, {lo + 100, {}}};
    table::TableIndex::ScanRange(pk->view(), range, [&](table::RowId r) {
      sum += t->Get(r)[4];
      return true;
    });
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(RangeScan100)->Name("range_scan_100");

void CommitUnderReader(benchmark::State& state) {
  Loaded l = Load(1000000);
  IndexId pk = l.ds->GetTable(l.table)->schema().indexes[0].index_id;
  std::mt19937 rng(4);
  std::vector<double> latencies;
  for (auto _ : state) {
    auto snapshot = l.ds->TakeSnapshot();
    std::atomic<bool> done{false};
    std::thread reader([&] {
      int64_t sum = 0;
      snapshot->Table(l.table)->rows.ForEach([&](table::RowId, sats::ByteSpan r) { sum += r[4]; });
      benchmark::DoNotOptimize(sum);
      done = true;
    });
    while (!done) {
      auto start = std::chrono::steady_clock::now();
      auto tx = *l.ds->BeginMutTx();
      for (int k = 0; k < 2; ++k) (void)tx->Update(l.table, pk, PairRow(1 + rng() % 1000000, int32_t(rng())));
      tx->Commit();
      latencies.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
    }
    reader.join();
    snapshot.reset();
  }
  std::sort(latencies.begin(), latencies.end());
  state.counters["p50_us"] = latencies.empty() ? 0 : latencies[latencies.size() / 2];
  state.counters["max_us"] = latencies.empty() ? 0 : latencies.back();
  state.counters["commits"] = double(latencies.size());
}
BENCHMARK(CommitUnderReader)->Name("commit_under_reader")->Iterations(3)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace stdb::datastore

STDB_BENCH_MAIN()
