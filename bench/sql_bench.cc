// SQL engine benchmarks (issue "SQL engine and incremental subscriptions", part 3), one core:
//   point_query            SELECT * FROM t WHERE id = k on 1M rows (unique btree index), compiled and run each time
//                          (the /sql path); queries/s
//   point_query_prepared   the same statement compiled once, executed many times (how subscriptions run); queries/s
//   range_scan_100         SELECT * FROM t WHERE id >= k AND id < k + 100: one index range scan; queries/s
//   join_100k_120k         SELECT b.* FROM a JOIN b ON a.id = b.a_id, 100k x 120k rows, index nested-loop join on
//                          b's btree index; items/s = joined rows/s, counter ms_per_query
//   full_scan_filter_1M    SELECT count(*) AS n FROM t WHERE v < 1000 (v not indexed) over 1M rows;
//                          items/s = rows scanned/s, counter ms_per_query
#include <benchmark/benchmark.h>

#include <random>

#include "bench/bench_main.h"
#include "datastore/mut_tx.h"
#include "sql/sql_engine.h"

namespace stdb::sql {
namespace {

using sats::AlgebraicType;

table::TableSchema Def(std::string name, std::vector<table::ColumnSchema> cols, std::vector<table::IndexSchema> ix) {
  table::TableSchema s;
  s.name = std::move(name);
  s.columns = std::move(cols);
  s.indexes = std::move(ix);
  return s;
}

sats::Bytes U32I32(uint32_t a, int32_t b) {
  sats::Bytes r(8);
  std::memcpy(r.data(), &a, 4);
  std::memcpy(r.data() + 4, &b, 4);
  return r;
}

// t(id u32 pk, v i32): 1M rows; a(id u32 pk, v i32): 100k rows; b(id u32 pk, a_id u32 btree, w i32): 120k rows.
struct Database {
  std::unique_ptr<datastore::Datastore> ds = datastore::Datastore::Create();
  std::shared_ptr<const datastore::DatabaseView> snapshot;

  Database() {
    auto tx = *ds->BeginMutTx();
    auto u32 = AlgebraicType::U32(), i32 = AlgebraicType::I32();
    auto t = *tx->CreateTable(Def("t", {{"id", u32}, {"v", i32}}, {{0, "t_id", table::IndexAlgorithm::kBTree, {0}, true}}));
    auto a = *tx->CreateTable(Def("a", {{"id", u32}, {"v", i32}}, {{0, "a_id", table::IndexAlgorithm::kBTree, {0}, true}}));
    auto b = *tx->CreateTable(Def("b", {{"id", u32}, {"a_id", u32}, {"w", i32}},
                                  {{0, "b_id", table::IndexAlgorithm::kBTree, {0}, true},
                                   {0, "b_a_id", table::IndexAlgorithm::kBTree, {1}, false}}));
    tx->Commit();
    std::mt19937 rng(1);
    auto fill = [&](table::TableId id, uint32_t rows, auto make) {
      for (uint32_t done = 0; done < rows;) {
        auto w = *ds->BeginMutTx();
        for (uint32_t k = 0; k < 10000 && done < rows; ++k, ++done) (void)w->Insert(id, make(done));
        w->Commit();
      }
    };
    fill(t, 1000000, [&](uint32_t i) { return U32I32(i, int32_t(rng() % 1000000)); });
    fill(a, 100000, [&](uint32_t i) { return U32I32(i, int32_t(i)); });
    fill(b, 120000, [&](uint32_t i) {
      sats::Bytes r = U32I32(i, int32_t(rng() % 100000));  // id, a_id
      r.resize(12);
      int32_t w = int32_t(i);
      std::memcpy(r.data() + 8, &w, 4);
      return r;
    });
    snapshot = ds->TakeSnapshot();
  }
};

Database& Db() {
  static Database* db = new Database();
  return *db;
}

const CallerContext kOwner = CallerContext::Owner(sats::Identity());

Statement CompileOrDie(const std::string& sql) {
  DatabaseViewSchema schema(*Db().snapshot);
  auto stmt = Compile(sql, schema, {Language::kSql, kOwner});
  if (!stmt.ok()) {
    std::fprintf(stderr, "%s: %s\n", sql.c_str(), stmt.error().message().c_str());
    std::abort();
  }
  return *stmt;
}

void PointQuery(benchmark::State& state) {
  Database& db = Db();
  DatabaseViewSchema schema(*db.snapshot);
  std::mt19937 rng(2);
  size_t found = 0;
  for (auto _ : state) {
    std::string sql = "SELECT * FROM t WHERE id = " + std::to_string(rng() % 1000000);
    auto stmt = Compile(sql, schema, {Language::kSql, kOwner});
    auto result = ExecuteQuery(*stmt, *db.snapshot, kOwner);
    found += result->rows.size();
  }
  if (found != size_t(state.iterations())) state.SkipWithError("point query missed");
  state.SetItemsProcessed(int64_t(state.iterations()));
}
BENCHMARK(PointQuery)->Name("point_query");

void PointQueryPrepared(benchmark::State& state) {
  Database& db = Db();
  Statement stmt = CompileOrDie("SELECT * FROM t WHERE id = 424242");
  for (auto _ : state) {
    auto result = ExecuteQuery(stmt, *db.snapshot, kOwner);
    benchmark::DoNotOptimize(result->rows.size());
  }
  state.SetItemsProcessed(int64_t(state.iterations()));
}
BENCHMARK(PointQueryPrepared)->Name("point_query_prepared");

void RangeScan100(benchmark::State& state) {
  Database& db = Db();
  DatabaseViewSchema schema(*db.snapshot);
  std::mt19937 rng(3);
  size_t rows = 0;
  for (auto _ : state) {
    uint32_t k = rng() % 999900;
    auto stmt = Compile("SELECT * FROM t WHERE id >= " + std::to_string(k) + " AND id < " + std::to_string(k + 100),
                        schema, {Language::kSql, kOwner});
    auto result = ExecuteQuery(*stmt, *db.snapshot, kOwner);
    rows += result->rows.size();
  }
  if (rows != 100 * size_t(state.iterations())) state.SkipWithError("range scan returned the wrong row count");
  state.SetItemsProcessed(int64_t(state.iterations()));
}
BENCHMARK(RangeScan100)->Name("range_scan_100");

void Join(benchmark::State& state) {
  Database& db = Db();
  Statement stmt = CompileOrDie("SELECT b.* FROM a JOIN b ON a.id = b.a_id");
  size_t rows = 0;
  for (auto _ : state) {
    auto result = ExecuteQuery(stmt, *db.snapshot, kOwner);
    rows = result->rows.size();
  }
  if (rows != 120000) state.SkipWithError("join returned the wrong row count");
  state.SetItemsProcessed(int64_t(state.iterations() * rows));
  state.counters["ms_per_query"] = benchmark::Counter(double(state.iterations()) / 1000.0,
                                                      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(Join)->Name("join_100k_120k")->Unit(benchmark::kMillisecond);

void FullScanFilter(benchmark::State& state) {
  Database& db = Db();
  Statement stmt = CompileOrDie("SELECT count(*) AS n FROM t WHERE v < 1000");
  for (auto _ : state) {
    auto result = ExecuteQuery(stmt, *db.snapshot, kOwner);
    benchmark::DoNotOptimize(result->rows.size());
  }
  state.SetItemsProcessed(int64_t(state.iterations()) * 1000000);
  state.counters["ms_per_query"] = benchmark::Counter(double(state.iterations()) / 1000.0,
                                                      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(FullScanFilter)->Name("full_scan_filter_1M")->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace stdb::sql

STDB_BENCH_MAIN()
