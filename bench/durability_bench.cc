// Durability benchmarks on this machine's disk (real fdatasync):
// - BM_DurableCommits/<committers>: durable transactions per second through one database thread (Datastore +
//   LogDurability with group commit). Each committer thread asks the database thread for a small transaction
//   (2 row updates) and waits until that transaction is durable before asking again, as a client with confirmed
//   reads does; committers = 0 is the open-loop case where the database thread commits without waiting and
//   only the log's throughput limits. Counters: average and largest batch (transactions per fdatasync).
//   BM_CommitsInMemory runs the same transactions with nothing written, the database thread's own ceiling.
// - BM_Recovery/<rows>: OpenDatabaseState of a replica holding `rows` rows in a snapshot plus a tail of 100,000
//   two-row-update transactions after it. Counters: wall milliseconds (total, snapshot load, tail replay),
//   milliseconds per million rows, and the recovering thread's CPU milliseconds.
//
// STDB_PREALLOCATE_BYTES overrides the commitlog's preallocation (0 turns it off) for an A/B comparison.
//
// The replicas live in fresh directories under $STDB_BENCH_DIR (default: the system temp directory), removed
// afterwards. Headline figures: BENCH lines.
#include <stdlib.h>
#include <time.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <random>
#include <semaphore>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_main.h"
#include "datastore/mut_tx.h"
#include "durability/log_durability.h"
#include "durability/recovery.h"

namespace {

using namespace stdb;
using namespace stdb::durability;
using datastore::Datastore;
using datastore::TableId;
using datastore::TxData;
using Clock = std::chrono::steady_clock;

std::string MakeBenchDir() {
  const char* base = std::getenv("STDB_BENCH_DIR");
  std::string tmpl = (base ? std::string(base) : std::filesystem::temp_directory_path().string()) +
                     "/stdb_durability_bench_XXXXXX";
  if (!::mkdtemp(tmpl.data())) std::abort();
  return tmpl;
}

// accounts(id u64 primary key, balance i64): 16-byte rows.
datastore::TableSchema AccountsSchema() {
  datastore::TableSchema s;
  s.name = "accounts";
  s.columns = {{"id", sats::AlgebraicType::U64()}, {"balance", sats::AlgebraicType::I64()}};
  s.primary_key = 0;
  s.indexes.push_back({0, "accounts_id_idx_btree", table::IndexAlgorithm::kBTree, {0}, true});
  s.constraints.push_back({0, "accounts_id_key", {0}});
  return s;
}

sats::Bytes Account(uint64_t id, int64_t balance) {
  sats::Bytes row;
  sats::bsatn::Writer w(row);
  w.U64(id);
  w.I64(balance);
  return row;
}

// Creates the accounts table and inserts `rows` rows, `per_tx` per transaction, appending each to `durability`.
TableId Populate(Datastore& ds, Durability& durability, uint64_t rows, uint64_t per_tx) {
  auto tx = std::move(ds.BeginMutTx()).value();
  TableId table = *tx->CreateTable(AccountsSchema());
  durability.Append(std::make_shared<TxData>(tx->Commit()));
  for (uint64_t done = 0; done < rows;) {
    tx = std::move(ds.BeginMutTx()).value();
    for (uint64_t i = 0; i < per_tx && done < rows; ++i, ++done)
      if (!tx->Insert(table, Account(done, int64_t(done))).ok()) std::abort();
    durability.Append(std::make_shared<TxData>(tx->Commit()));
  }
  return table;
}

// A transfer: two balances change.
std::shared_ptr<TxData> Transfer(Datastore& ds, TableId table, datastore::IndexId pk, uint64_t rows,
                                 std::mt19937_64& rng) {
  auto tx = std::move(ds.BeginMutTx()).value();
  uint64_t a = rng() % rows, b = (a + 1 + rng() % (rows - 1)) % rows;
  int64_t amount = int64_t(rng() % 100) + 1;
  if (!tx->Update(table, pk, Account(a, int64_t(rng() % 1000000) - amount)).ok()) std::abort();
  if (!tx->Update(table, pk, Account(b, int64_t(rng() % 1000000) + amount)).ok()) std::abort();
  return std::make_shared<TxData>(tx->Commit());
}

// The database thread: runs the committers' transactions one at a time, appends them, and wakes each committer
// when its transaction is durable.
class DatabaseThread {
 public:
  DatabaseThread(Datastore& ds, Durability& durability, TableId table, uint64_t rows)
      : ds_(ds), durability_(durability), table_(table), rows_(rows),
        pk_(ds.GetTable(table)->schema().indexes[0].index_id), thread_([this] { Loop(); }) {}
  ~DatabaseThread() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }
  // Queues a transaction; `done` is released once it is durable.
  void Submit(std::binary_semaphore* done) {
    {
      std::lock_guard lock(mu_);
      queue_.push_back(done);
    }
    cv_.notify_one();
  }

 private:
  void Loop() {
    std::mt19937_64 rng(1);
    std::deque<std::binary_semaphore*> batch;
    for (;;) {
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
        if (stop_ && queue_.empty()) return;
        batch.swap(queue_);
      }
      for (std::binary_semaphore* done : batch) {
        auto data = Transfer(ds_, table_, pk_, rows_, rng);
        uint64_t offset = *data->tx_offset;
        durability_.Append(std::move(data));
        durability_.WhenDurable(offset, [done] { done->release(); });
      }
      batch.clear();
    }
  }

  Datastore& ds_;
  Durability& durability_;
  TableId table_;
  uint64_t rows_;
  datastore::IndexId pk_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::binary_semaphore*> queue_;
  bool stop_ = false;
  std::thread thread_;
};

constexpr uint64_t kAccounts = 100000;
constexpr auto kRunFor = std::chrono::seconds(3);

void BM_DurableCommits(benchmark::State& state) {
  const int committers = int(state.range(0));
  const std::string dir = MakeBenchDir();
  for (auto _ : state) {
    DatabaseStateOptions options;
    options.dir = dir;
    if (const char* prealloc = std::getenv("STDB_PREALLOCATE_BYTES"))
      options.commitlog.preallocate_bytes = std::strtoull(prealloc, nullptr, 10);
    auto opened = OpenDatabaseState(options);
    if (!opened.ok()) {
      state.SkipWithError(opened.error().message().c_str());
      return;
    }
    DatabaseState db = std::move(opened).value();
    auto& log = dynamic_cast<LogDurability&>(*db.durability);
    TableId table = Populate(*db.datastore, log, kAccounts, 10000);
    {
      std::binary_semaphore settled(0);
      log.WhenDurable(db.datastore->next_tx_offset() - 1, [&] { settled.release(); });
      settled.acquire();
    }
    const auto before = log.stats();
    const uint64_t first = db.datastore->next_tx_offset();
    const Clock::time_point start = Clock::now();
    uint64_t durable = 0;
    if (committers == 0) {
      // Open loop: the database thread (this one) commits without waiting; the log's throughput is the limit.
      std::mt19937_64 rng(1);
      auto pk = db.datastore->GetTable(table)->schema().indexes[0].index_id;
      while (Clock::now() - start < kRunFor) log.Append(Transfer(*db.datastore, table, pk, kAccounts, rng));
      std::binary_semaphore settled(0);
      log.WhenDurable(db.datastore->next_tx_offset() - 1, [&] { settled.release(); });
      settled.acquire();
      durable = db.datastore->next_tx_offset() - first;
    } else {
      std::atomic<bool> stop{false};
      std::atomic<uint64_t> completed{0};
      {
        DatabaseThread database(*db.datastore, log, table, kAccounts);
        std::vector<std::thread> threads;
        for (int c = 0; c < committers; ++c) {
          threads.emplace_back([&] {
            std::binary_semaphore done(0);
            while (!stop.load(std::memory_order_relaxed)) {
              database.Submit(&done);
              done.acquire();  // durable
              completed.fetch_add(1, std::memory_order_relaxed);
            }
          });
        }
        std::this_thread::sleep_for(kRunFor);
        stop = true;
        for (auto& t : threads) t.join();
      }
      durable = completed.load();
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    const auto after = log.stats();
    db.durability->Close();
    state.SetIterationTime(seconds);
    state.SetItemsProcessed(int64_t(durable));
    const double syncs = double(after.syncs - before.syncs);
    state.counters["avg_batch"] = syncs > 0 ? double(after.transactions - before.transactions) / syncs : 0;
    state.counters["largest_batch"] = double(after.largest_batch);
    state.counters["fsyncs_per_second"] = syncs / seconds;
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_DurableCommits)->Arg(1)->Arg(64)->Arg(1024)->Arg(0)->Iterations(1)->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// The same transactions with nothing written: the database thread's own ceiling, for comparison.
void BM_CommitsInMemory(benchmark::State& state) {
  auto ds = Datastore::Create();
  InMemoryDurability none;
  TableId table = Populate(*ds, none, kAccounts, 10000);
  auto pk = ds->GetTable(table)->schema().indexes[0].index_id;
  std::mt19937_64 rng(1);
  for (auto _ : state) none.Append(Transfer(*ds, table, pk, kAccounts, rng));
  state.SetItemsProcessed(int64_t(state.iterations()));
}
BENCHMARK(BM_CommitsInMemory)->MinTime(2.0);

// Builds a replica with `rows` rows in a snapshot and a 100,000-transaction tail, then times opening it.
void BM_Recovery(benchmark::State& state) {
  const uint64_t rows = uint64_t(state.range(0));
  constexpr uint64_t kTail = 100000;
  const std::string dir = MakeBenchDir();
  DatabaseStateOptions options;
  options.dir = dir;
  options.durability.snapshot_every = 0;  // one snapshot, taken by hand below
  options.durability.snapshot_on_segment_roll = false;
  {
    DatabaseState db = std::move(OpenDatabaseState(options)).value();
    auto& log = dynamic_cast<LogDurability&>(*db.durability);
    TableId table = Populate(*db.datastore, log, rows, 100000);
    if (!log.RequestSnapshot()) std::abort();
    log.WaitForSnapshots();
    std::mt19937_64 rng(2);
    auto pk = db.datastore->GetTable(table)->schema().indexes[0].index_id;
    for (uint64_t i = 0; i < kTail; ++i) log.Append(Transfer(*db.datastore, table, pk, rows, rng));
    db.durability->Close();
    if (log.stats().snapshots != 1) state.SkipWithError("no snapshot was written");
  }
  RecoveryReport report;
  double cpu_ms = 0;
  for (auto _ : state) {
    // Recovery runs on the calling thread: its CPU time tells what a machine shared with other work hides.
    timespec cpu_start{}, cpu_end{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu_start);
    auto opened = OpenDatabaseState(options);
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu_end);
    cpu_ms = double(cpu_end.tv_sec - cpu_start.tv_sec) * 1e3 + double(cpu_end.tv_nsec - cpu_start.tv_nsec) / 1e6;
    if (!opened.ok()) {
      state.SkipWithError(opened.error().message().c_str());
      break;
    }
    report = opened->report;
    state.PauseTiming();
    opened->durability->Close();
    opened = Error(ErrorCode::kInternal, "released");  // free the state outside the timing
    state.ResumeTiming();
  }
  if (report.snapshot_rows < rows || report.transactions_replayed != kTail) state.SkipWithError("unexpected recovery");
  const double ms = double(report.total_time.count()) / 1000.0;
  state.counters["recovery_ms"] = ms;
  state.counters["ms_per_million_rows"] = ms / (double(rows) / 1e6);
  state.counters["snapshot_load_ms"] = double(report.snapshot_time.count()) / 1000.0;
  state.counters["tail_replay_ms"] = double(report.replay_time.count()) / 1000.0;
  state.counters["recovery_cpu_ms"] = cpu_ms;
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_Recovery)->Arg(1000000)->Arg(10000000)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

STDB_BENCH_MAIN();
