// Subscription benchmarks (issue "SQL engine and incremental subscriptions", part 5), in process, on the machine's
// cores (the writer is one thread, as a database thread is):
//
//   fanout_<N>        one writer committing small transactions at full speed (one player row updated per
//                     transaction, sometimes moving region) while N clients hold overlapping query sets
//                     (their region, the next region, and a global query shared by all). Per transaction:
//                     commit, SubscriptionManager::OnCommit (pruning, delta evaluation, per-client grouping) and
//                     the encoding of every QueryUpdate handed out. Reports transactions/s and the time from
//                     commit to ready updates (p50, p99, max), and client updates per transaction.
//   initial_1M        a client subscribes to a 1M-row table; the rows are read from a snapshot on another thread
//                     while the writer keeps committing small transactions on the database thread. Reports the
//                     time to the first row and in total (rows gathered and encoded as a BsatnRowList), and the
//                     writer's commit latency meanwhile (target: max < 5 ms), next to its latency without a reader.
//   join_1Mx1.2M      the reference's footprint/location shape: footprint 1M rows, location 1.2M rows (1000 chunks of
//                     1200), `SELECT f.* FROM footprint f JOIN location l ON f.entity_id = l.entity_id WHERE
//                     l.chunk_index = c`. Reports the initial evaluation of one chunk, then the incremental
//                     update time of small transactions with one subscriber and with one query per chunk (1000
//                     queries).
//
// Lines "BENCH <name> <value> <unit>" carry the headline figures. `subscription_bench quick` runs smaller sizes;
// `subscription_bench fanout|initial|join` one scenario.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "datastore/datastore.h"
#include "datastore/mut_tx.h"
#include "subscription/bsatn_rows.h"
#include "subscription/subscription_manager.h"

namespace stdb::subscription {
namespace {

using Clock = std::chrono::steady_clock;
using sats::AlgebraicType;

double Micros(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

// CPU time of the calling thread: unlike wall time it excludes time the thread was preempted, which on a loaded
// machine dominates the maxima. A stall caused by our code shows in both.
double ThreadCpuMicros() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) * 1e6 + double(ts.tv_nsec) / 1e3;
}

void Bench(const std::string& name, double value, const char* unit) {
  std::printf("BENCH %s %.1f %s\n", name.c_str(), value, unit);
  std::fflush(stdout);
}

struct Percentiles {
  double p50 = 0, p99 = 0, max = 0;
};
Percentiles Summarize(std::vector<double> v) {
  Percentiles p;
  if (v.empty()) return p;
  std::sort(v.begin(), v.end());
  p.p50 = v[v.size() / 2];
  p.p99 = v[std::min(v.size() - 1, v.size() * 99 / 100)];
  p.max = v.back();
  return p;
}

void Check(const Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, s.error().message().c_str());
    std::exit(1);
  }
}
template <typename T>
T Check(Result<T> r, const char* what) {
  if (!r.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, r.error().message().c_str());
    std::exit(1);
  }
  return std::move(r).value();
}

sats::Identity IdentityOf(uint32_t n) {
  uint8_t be[32] = {};
  std::memcpy(be + 28, &n, 4);
  be[0] = 1;
  return sats::Identity::FromBigEndian(be);
}

// A datastore whose commits all go through a SubscriptionManager, as the host's commit listener does.
class Db {
 public:
  Db() : ds_(datastore::Datastore::Create()) {}
  datastore::Datastore& ds() { return *ds_; }
  SubscriptionManager& manager() { return manager_; }

  table::TableId CreateTable(table::TableSchema s) {
    table::TableId id = 0;
    Commit([&](datastore::MutTx& tx) -> Status {
      id = Check(tx.CreateTable(s), "create table");
      return OkStatus();
    });
    return id;
  }

  // Commits and hands the transaction to the manager; returns the updates.
  template <typename Body>
  CommitUpdates Commit(Body&& body) {
    auto tx = Check(ds_->BeginMutTx(), "begin");
    Check(body(*tx), "transaction");
    datastore::TxData data = tx->Commit();
    tx.reset();
    if (data.empty()) return {};
    auto view = ds_->CurrentView();
    return manager_.OnCommit(data, *view);
  }

 private:
  std::unique_ptr<datastore::Datastore> ds_;
  SubscriptionManager manager_;
};

table::IndexSchema Index(const std::string& name, std::vector<table::ColId> cols, bool unique = false) {
  return table::IndexSchema{0, name, table::IndexAlgorithm::kBTree, std::move(cols), unique};
}

// Encodes every QueryUpdate handed out (once each: the encodings are shared) and counts deliveries.
size_t EncodeAll(const CommitUpdates& updates) {
  size_t deliveries = 0;
  auto each = [&](const auto& tables) {
    for (const TableUpdate& t : tables)
      for (const auto& q : t.queries) {
        (void)q->EncodedInserts();
        (void)q->EncodedDeletes();
        ++deliveries;
      }
  };
  for (const ClientUpdate& c : updates.clients) {
    for (const QuerySetUpdate& s : c.query_sets) each(s.tables);
    each(c.tables);
  }
  return deliveries;
}

// --- fan-out -----------------------------------------------------------------------------------------------------

sats::Bytes PlayerRow(uint32_t id, uint32_t region, uint32_t level) {
  sats::Bytes row;
  sats::bsatn::Writer w(row);
  w.U32(id);
  w.U32(region);
  w.U32(level);
  w.String("player" + std::to_string(id));
  return row;
}

void FanOut(size_t clients, size_t players, size_t transactions) {
  constexpr uint32_t kRegions = 200;
  Db db;
  table::TableSchema s;
  s.name = "player";
  s.columns = {{"id", AlgebraicType::U32()}, {"region", AlgebraicType::U32()}, {"level", AlgebraicType::U32()},
               {"name", AlgebraicType::String()}};
  s.indexes = {Index("player_id_idx", {0}, true), Index("player_region_idx", {1}), Index("player_level_idx", {2})};
  s.constraints.push_back({0, "player_id_key", {0}});
  table::TableId player = db.CreateTable(s);
  std::mt19937_64 rng(42);
  std::vector<std::pair<uint32_t, uint32_t>> state(players);  // region, level
  for (size_t done = 0; done < players;) {
    db.Commit([&](datastore::MutTx& tx) -> Status {
      for (size_t k = 0; k < 10000 && done < players; ++k, ++done) {
        state[done] = {uint32_t(rng() % kRegions), uint32_t(rng() % 100)};
        STDB_RETURN_IF_ERROR(tx.Insert(player, PlayerRow(uint32_t(done), state[done].first, state[done].second)));
      }
      return OkStatus();
    });
  }

  auto start = Clock::now();
  for (size_t i = 0; i < clients; ++i) {
    std::vector<std::string> queries = {
        "SELECT * FROM player WHERE region = " + std::to_string(i % kRegions),
        "SELECT * FROM player WHERE region = " + std::to_string((i + 1) % kRegions),
        "SELECT * FROM player WHERE level > 98",
    };
    auto view = db.ds().CurrentView();
    Check(db.manager().Subscribe(ClientId{IdentityOf(uint32_t(i)), sats::ConnectionId(i + 1)},
                                 sql::CallerContext::Client(IdentityOf(uint32_t(i))), SubscriptionId::QuerySet(0),
                                 queries, *view),
          "subscribe");
  }
  double subscribe_s = std::chrono::duration<double>(Clock::now() - start).count();
  std::string prefix = "subscription_fanout_" + std::to_string(clients) + "_clients_";
  Bench(prefix + "subscribes_per_s", double(clients) / subscribe_s, "subscriptions/s");

  std::vector<double> ready_us, ready_cpu_us;
  size_t deliveries = 0;
  uint64_t evaluated_before = db.manager().stats().queries_evaluated;
  start = Clock::now();
  for (size_t k = 0; k < transactions; ++k) {
    uint32_t id = uint32_t(rng() % players);
    auto old = state[id];
    auto next = old;
    next.second = uint32_t(rng() % 100);
    if (rng() % 10 == 0) next.first = uint32_t(rng() % kRegions);
    auto tx = Check(db.ds().BeginMutTx(), "begin");
    Check(tx->DeleteByValue(player, PlayerRow(id, old.first, old.second)), "delete");
    Check(tx->Insert(player, PlayerRow(id, next.first, next.second)), "insert");
    state[id] = next;
    datastore::TxData data = tx->Commit();
    tx.reset();
    auto committed = Clock::now();
    double cpu = ThreadCpuMicros();
    {
      auto view = db.ds().CurrentView();
      CommitUpdates updates = db.manager().OnCommit(data, *view);
      deliveries += EncodeAll(updates);
    }
    ready_cpu_us.push_back(ThreadCpuMicros() - cpu);
    ready_us.push_back(Micros(Clock::now() - committed));
  }
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  Percentiles p = Summarize(ready_us);
  Bench(prefix + "tx_per_s", double(transactions) / seconds, "tx/s");
  Bench(prefix + "commit_to_ready_p50", p.p50, "us");
  Bench(prefix + "commit_to_ready_p99", p.p99, "us");
  Bench(prefix + "commit_to_ready_max", p.max, "us");
  Percentiles c = Summarize(ready_cpu_us);
  Bench(prefix + "commit_to_ready_cpu_p99", c.p99, "us");
  Bench(prefix + "commit_to_ready_cpu_max", c.max, "us");
  Bench(prefix + "query_updates_delivered_per_tx", double(deliveries) / double(transactions), "updates/tx");
  Bench(prefix + "queries_evaluated_per_tx",
        double(db.manager().stats().queries_evaluated - evaluated_before) / double(transactions), "queries/tx");
}

// --- initial subscription of 1M rows while the writer commits ---------------------------------------------------

sats::Bytes BigRow(uint32_t id, uint64_t payload) {
  sats::Bytes row(12);
  std::memcpy(row.data(), &id, 4);
  std::memcpy(row.data() + 4, &payload, 8);
  return row;
}

void InitialSubscription(size_t rows) {
  Db db;
  table::TableSchema s;
  s.name = "big";
  s.columns = {{"id", AlgebraicType::U32()}, {"payload", AlgebraicType::U64()}};
  s.indexes = {Index("big_id_idx", {0}, true)};
  s.constraints.push_back({0, "big_id_key", {0}});
  table::TableId big = db.CreateTable(s);
  std::vector<uint64_t> payload(rows);
  for (size_t done = 0; done < rows;) {
    db.Commit([&](datastore::MutTx& tx) -> Status {
      for (size_t k = 0; k < 100000 && done < rows; ++k, ++done)
        STDB_RETURN_IF_ERROR(tx.Insert(big, BigRow(uint32_t(done), payload[done] = done)));
      return OkStatus();
    });
  }
  std::mt19937_64 rng(7);
  // One small transaction: a new payload for a random row, commit, subscription updates.
  std::vector<double>* cpu_log = nullptr;
  auto write_one = [&]() -> double {
    uint32_t id = uint32_t(rng() % rows);
    double cpu = ThreadCpuMicros();
    auto t0 = Clock::now();
    db.Commit([&](datastore::MutTx& tx) -> Status {
      STDB_RETURN_IF_ERROR(tx.DeleteByValue(big, BigRow(id, payload[id])));
      payload[id] = rng();
      return tx.Insert(big, BigRow(id, payload[id])).ok() ? OkStatus() : Error(ErrorCode::kInternal, "insert");
    });
    double wall = Micros(Clock::now() - t0);
    if (cpu_log) cpu_log->push_back(ThreadCpuMicros() - cpu);
    return wall;
  };
  std::vector<double> baseline, baseline_cpu;
  cpu_log = &baseline_cpu;
  for (int i = 0; i < 3000; ++i) baseline.push_back(write_one());

  // Compile the query (any thread; here before the database thread's part), then on the database thread: take
  // a snapshot and register against it. Only the latter stalls the writer.
  std::vector<std::string> queries = {"SELECT * FROM big"};
  ClientId client{IdentityOf(1), sats::ConnectionId(1)};
  // The first compile in the process pays one-time costs; report a warm one.
  double prepare_cpu = 1e18;
  PreparedQueries prepared;
  for (int i = 0; i < 5; ++i) {
    double cpu = ThreadCpuMicros();
    prepared = Check(db.manager().Prepare(sql::CallerContext::Client(IdentityOf(1)), queries, *db.ds().CurrentView()),
                     "prepare");
    prepare_cpu = std::min(prepare_cpu, ThreadCpuMicros() - cpu);
  }
  auto t0 = Clock::now();
  double register_cpu = ThreadCpuMicros();
  auto snapshot = db.ds().TakeSnapshot();
  auto evaluation = Check(db.manager().Register(client, SubscriptionId::QuerySet(0), prepared, snapshot), "register");
  double register_us = Micros(Clock::now() - t0);
  register_cpu = ThreadCpuMicros() - register_cpu;
  snapshot.reset();

  // For comparison: the same evaluation with no writer running.
  double alone_us = 0;
  {
    auto start = Clock::now();
    datastore::RowList list;
    Check(evaluation.Stream([&](size_t, sats::ByteSpan row) {
            list.Add(row);
            return true;
          }),
          "initial rows");
    (void)EncodeBsatnRowList(list);
    alone_us = Micros(Clock::now() - start);
  }

  std::atomic<bool> done{false};
  double first_row_us = -1, total_us = 0;
  size_t rows_read = 0, encoded_bytes = 0;
  std::thread reader([&] {
    auto start = Clock::now();
    datastore::RowList list;
    Check(evaluation.Stream([&](size_t, sats::ByteSpan row) {
            if (first_row_us < 0) first_row_us = Micros(Clock::now() - start);
            list.Add(row);
            return true;
          }),
          "initial rows");
    encoded_bytes = EncodeBsatnRowList(list).size();
    rows_read = list.size();
    total_us = Micros(Clock::now() - start);
    done = true;
  });
  std::vector<double> during, during_cpu;
  cpu_log = &during_cpu;
  size_t held_updates = 0;
  while (!done) {
    during.push_back(write_one());
    ++held_updates;
  }
  reader.join();
  // The writer also released the snapshot's pages: one more round after the reader is gone.
  std::vector<double> after;
  cpu_log = nullptr;
  for (int i = 0; i < 1000; ++i) after.push_back(write_one());

  std::string prefix = "subscription_initial_" + std::to_string(rows / 1000) + "k_rows_";
  Bench(prefix + "prepare_cpu", prepare_cpu, "us");
  Bench(prefix + "register_on_db_thread", register_us, "us");
  Bench(prefix + "register_on_db_thread_cpu", register_cpu, "us");
  Bench(prefix + "time_to_first_row", first_row_us, "us");
  Bench(prefix + "total", total_us / 1000, "ms");
  Bench(prefix + "total_without_writer", alone_us / 1000, "ms");
  Bench(prefix + "rows_per_s", double(rows_read) / (total_us / 1e6), "rows/s");
  Bench(prefix + "encoded", double(encoded_bytes) / 1e6, "MB");
  Percentiles b = Summarize(baseline), d = Summarize(during), a = Summarize(after);
  Bench(prefix + "writer_commits_during", double(during.size()), "tx");
  Bench(prefix + "writer_latency_during_p50", d.p50, "us");
  Bench(prefix + "writer_latency_during_p99", d.p99, "us");
  Bench(prefix + "writer_latency_during_max", d.max, "us");
  Percentiles dc = Summarize(during_cpu), bc = Summarize(baseline_cpu);
  Bench(prefix + "writer_cpu_during_p99", dc.p99, "us");
  Bench(prefix + "writer_cpu_during_max", dc.max, "us");
  Bench(prefix + "writer_cpu_alone_max", bc.max, "us");
  Bench(prefix + "writer_latency_alone_p99", b.p99, "us");
  Bench(prefix + "writer_latency_alone_max", b.max, "us");
  Bench(prefix + "writer_latency_after_max", a.max, "us");
  (void)held_updates;
}

// --- footprint / location join -------------------------------------------------------------------------------

sats::Bytes FootprintRow(uint64_t entity, uint64_t owner, uint8_t type) {
  sats::Bytes row(17);
  std::memcpy(row.data(), &entity, 8);
  std::memcpy(row.data() + 8, &owner, 8);
  row[16] = type;
  return row;
}
sats::Bytes LocationRow(uint64_t entity, uint64_t chunk, int32_t x, int32_t z, uint32_t dimension) {
  sats::Bytes row(28);
  std::memcpy(row.data(), &entity, 8);
  std::memcpy(row.data() + 8, &chunk, 8);
  std::memcpy(row.data() + 16, &x, 4);
  std::memcpy(row.data() + 20, &z, 4);
  std::memcpy(row.data() + 24, &dimension, 4);
  return row;
}

void FootprintJoin(uint64_t footprints, uint64_t chunks, uint64_t per_chunk, size_t transactions) {
  Db db;
  table::TableSchema f;
  f.name = "footprint";
  sats::SumType kinds;
  for (const char* n : {"A", "B", "C", "D"}) kinds.variants.push_back({std::string(n), AlgebraicType::Unit()});
  f.columns = {{"entity_id", AlgebraicType::U64()}, {"owner_entity_id", AlgebraicType::U64()},
               {"type", AlgebraicType::Sum(kinds)}};
  f.indexes = {Index("footprint_entity_idx", {0}), Index("footprint_owner_idx", {1})};
  table::TableId footprint = db.CreateTable(f);
  table::TableSchema l;
  l.name = "location";
  l.columns = {{"entity_id", AlgebraicType::U64()}, {"chunk_index", AlgebraicType::U64()}, {"x", AlgebraicType::I32()},
               {"z", AlgebraicType::I32()}, {"dimension", AlgebraicType::U32()}};
  l.indexes = {Index("location_entity_idx", {0}), Index("location_chunk_idx", {1}),
               Index("location_xzd_idx", {2, 3, 4})};
  table::TableId location = db.CreateTable(l);
  for (uint64_t done = 0; done < footprints;) {
    db.Commit([&](datastore::MutTx& tx) -> Status {
      for (int k = 0; k < 100000 && done < footprints; ++k, ++done)
        STDB_RETURN_IF_ERROR(tx.Insert(footprint, FootprintRow(done, done % 1000, uint8_t(done % 4))));
      return OkStatus();
    });
  }
  std::vector<uint64_t> chunk_of(chunks * per_chunk);
  for (uint64_t c = 0; c < chunks; c += 100) {
    db.Commit([&](datastore::MutTx& tx) -> Status {
      for (uint64_t cc = c; cc < std::min(chunks, c + 100); ++cc)
        for (uint64_t i = 0; i < per_chunk; ++i) {
          uint64_t e = cc * per_chunk + i;
          chunk_of[e] = cc;
          STDB_RETURN_IF_ERROR(tx.Insert(location, LocationRow(e, cc, 0, int32_t(e), 0)));
        }
      return OkStatus();
    });
  }
  std::string prefix = "subscription_join_" + std::to_string(footprints / 1000) + "kx" +
                       std::to_string(chunks * per_chunk / 1000) + "k_";
  auto query = [](uint64_t chunk) {
    return "SELECT f.* FROM footprint f JOIN location l ON f.entity_id = l.entity_id WHERE l.chunk_index = " +
           std::to_string(chunk);
  };

  // Initial evaluation of one chunk, from a snapshot.
  {
    auto snapshot = db.ds().TakeSnapshot();
    std::vector<std::string> q = {query(5)};
    auto prepared = Check(db.manager().Prepare(sql::CallerContext::Client(IdentityOf(1)), q, *snapshot), "prepare");
    auto evaluation = Check(db.manager().Register(ClientId{IdentityOf(1), sats::ConnectionId(1)},
                                                  SubscriptionId::QuerySet(0), prepared, snapshot),
                            "register");
    std::vector<double> times;
    size_t n = 0;
    for (int i = 0; i < 50; ++i) {
      auto t0 = Clock::now();
      auto rows = Check(evaluation.Collect(), "collect");
      times.push_back(Micros(Clock::now() - t0));
      n = rows[0].rows.size();
    }
    Bench(prefix + "initial_one_chunk_rows", double(n), "rows");
    Bench(prefix + "initial_one_chunk_p50", Summarize(times).p50, "us");
  }

  std::mt19937_64 rng(3);
  std::vector<uint8_t> type_of(footprints);
  for (uint64_t e = 0; e < footprints; ++e) type_of[e] = uint8_t(e % 4);
  // Small transactions over chunks 0..9: move an entity to a neighbouring chunk, or change a footprint's type.
  auto run = [&](const std::string& label) {
    std::vector<double> move_us, retype_us;
    for (size_t k = 0; k < transactions; ++k) {
      uint64_t e = 5 * per_chunk + rng() % (per_chunk * 2);  // entities of chunks 5 and 6
      bool move = k % 2 == 0;
      auto t0 = Clock::now();
      db.Commit([&](datastore::MutTx& tx) -> Status {
        if (move) {
          uint64_t from = chunk_of[e], to = from == 5 ? 6 : 5;
          STDB_RETURN_IF_ERROR(tx.DeleteByValue(location, LocationRow(e, from, 0, int32_t(e), 0)));
          chunk_of[e] = to;
          return tx.Insert(location, LocationRow(e, to, 0, int32_t(e), 0)).ok() ? OkStatus()
                                                                                 : Error(ErrorCode::kInternal, "");
        }
        STDB_RETURN_IF_ERROR(tx.DeleteByValue(footprint, FootprintRow(e, e % 1000, type_of[e])));
        type_of[e] = uint8_t((type_of[e] + 1) % 4);
        return tx.Insert(footprint, FootprintRow(e, e % 1000, type_of[e])).ok() ? OkStatus()
                                                                                : Error(ErrorCode::kInternal, "");
      });
      (move ? move_us : retype_us).push_back(Micros(Clock::now() - t0));
    }
    Percentiles m = Summarize(move_us), r = Summarize(retype_us);
    Bench(prefix + label + "_move_entity_tx_p50", m.p50, "us");
    Bench(prefix + label + "_move_entity_tx_p99", m.p99, "us");
    Bench(prefix + label + "_retype_footprint_tx_p50", r.p50, "us");
    Bench(prefix + label + "_retype_footprint_tx_p99", r.p99, "us");
  };
  run("1_query");

  // One query per chunk, one client each.
  for (uint64_t c = 0; c < chunks; ++c) {
    if (c == 5) continue;
    auto view = db.ds().CurrentView();
    std::vector<std::string> q = {query(c)};
    Check(db.manager().Subscribe(ClientId{IdentityOf(uint32_t(c + 10)), sats::ConnectionId(c + 10)},
                                 sql::CallerContext::Client(IdentityOf(uint32_t(c + 10))), SubscriptionId::QuerySet(0),
                                 q, *view),
          "subscribe");
  }
  uint64_t evaluated = db.manager().stats().queries_evaluated;
  run(std::to_string(chunks) + "_queries");
  Bench(prefix + std::to_string(chunks) + "_queries_evaluated_per_tx",
        double(db.manager().stats().queries_evaluated - evaluated) / double(transactions), "queries/tx");
}

}  // namespace
}  // namespace stdb::subscription

int main(int argc, char** argv) {
  using namespace stdb::subscription;
  // Arguments: `quick` (smaller sizes), or one of `fanout`, `initial`, `join` (full sizes); none: everything.
  std::string only = argc > 1 ? argv[1] : "";
  if (only == "quick") {
    FanOut(1000, 20000, 2000);
    InitialSubscription(100000);
    FootprintJoin(100000, 100, 1200, 400);
    return 0;
  }
  if (only.empty() || only == "fanout") {
    FanOut(1000, 100000, 20000);
    FanOut(10000, 100000, 20000);
  }
  if (only.empty() || only == "initial") InitialSubscription(1000000);
  if (only.empty() || only == "join") FootprintJoin(1000000, 1000, 1200, 2000);
  return 0;
}
