// keynote_loadgen: the load generator of the keynote end-to-end benchmark (issue 10; docs/benchmarks.md "Keynote").
//
// The workload is SpacetimeDB's keynote benchmark: `transfer(from, to, amount = 1)` between accounts drawn from a
// Zipf distribution (alpha 1.5, about 80% contention, or 0, uniform) over 100,000 accounts, from 2 x CPU client
// connections that each keep up to 40 calls in flight, with confirmed reads (a call counts once the client sees
// it durable). It talks to a running server (`spacetime start`) on which the keynote-transfer module is published.
//
// A run: connect every connection (I/O threads, one per core by default, each driving its share of connections);
// seed the accounts (the module's `seed` reducer); fetch all balances; issue calls for --warmup + --duration
// seconds, counting and timing the results that arrive inside the measurement window (the last --duration
// seconds); wait for the calls still in flight; fetch all balances again and check the invariant
// (balance_check.h). It prints a summary and `BENCH <name>_tps|_p50_ms|_p99_ms|_p999_ms` lines, and exits
// with 3 if the invariant is violated, 1 on any other failure.
//
//   keynote_loadgen --url http://127.0.0.1:3000 --database keynote --alpha 1.5 --duration 30
//   keynote_loadgen --write-pairs pairs.bin --pairs 100000 --alpha 1.5   # the same pairs for another client
//   keynote_loadgen --verify-only                                        # check the sum after another client
#include <CLI/CLI.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench/keynote/balance_check.h"
#include "bench/keynote/keynote_connection.h"
#include "bench/keynote/transfer_calls.h"
#include "bench/keynote/zipf_pairs.h"

namespace {

using namespace stdb::bench::keynote;
namespace v2 = stdb::server::protocol::v2;
namespace net = boost::asio;
using stdb::Error;
using stdb::ErrorCode;
using stdb::Result;
using stdb::Status;

struct Options {
  std::string url = "http://127.0.0.1:3000";
  std::string database = "keynote";
  size_t connections = 0;  // 0: 2 x CPUs
  size_t inflight = 40;
  double alpha = 1.5;
  uint32_t accounts = 100'000;
  double duration_s = 30;
  double warmup_s = 5;
  bool confirmed = true;
  std::string protocol = "v3";
  size_t threads = 0;  // 0: one per CPU
  size_t pairs = 1u << 20;
  bool seed = true;
  int64_t initial_balance = 1'000'000'000;
  int64_t amount = 1;
  uint64_t rng_seed = 0x12345678;
  std::string name = "keynote";
  std::string write_pairs;
  bool verify_only = false;
  bool progress = false;
  double timeout_s = 60;
};

constexpr int kExitFailure = 1;
constexpr int kExitInvariant = 3;

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return in ? one + " " + five + " " + fifteen : "unknown";
}

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// host and port of an http:// or ws:// URL.
Result<std::pair<std::string, std::string>> ParseUrl(std::string url) {
  for (const char* scheme : {"http://", "ws://"}) {
    if (url.rfind(scheme, 0) == 0) url = url.substr(std::string(scheme).size());
  }
  if (url.find("://") != std::string::npos) return Error(ErrorCode::kInvalidArgument, "only http:// and ws:// URLs are supported");
  if (auto slash = url.find('/'); slash != std::string::npos) url = url.substr(0, slash);
  auto colon = url.rfind(':');
  if (colon == std::string::npos) return std::make_pair(url, std::string("80"));
  return std::make_pair(url.substr(0, colon), url.substr(colon + 1));
}

// I/O threads, each running one io_context until Stop().
class IoThreads {
 public:
  explicit IoThreads(size_t n) {
    for (size_t i = 0; i < n; ++i) {
      contexts_.push_back(std::make_unique<net::io_context>(1));
      guards_.emplace_back(net::make_work_guard(*contexts_.back()));
    }
    for (auto& io : contexts_) threads_.emplace_back([&io = *io] { io.run(); });
  }
  ~IoThreads() { Stop(std::chrono::seconds(0)); }
  net::io_context& context(size_t i) { return *contexts_[i % contexts_.size()]; }
  size_t size() const { return contexts_.size(); }
  // Lets the contexts finish their work (closing connections) for up to `grace`, then stops them.
  void Stop(std::chrono::milliseconds grace) {
    guards_.clear();
    auto deadline = Clock::now() + grace;
    for (auto& io : contexts_) {
      while (!io->stopped() && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      io->stop();
    }
    for (auto& t : threads_)
      if (t.joinable()) t.join();
  }

 private:
  std::vector<std::unique_ptr<net::io_context>> contexts_;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> guards_;
  std::vector<std::thread> threads_;
};

template <typename T>
Result<T> WaitFor(std::future<Result<T>>& future, double timeout_s, const std::string& what) {
  if (future.wait_for(std::chrono::duration<double>(timeout_s)) != std::future_status::ready)
    return Error(ErrorCode::kIo, what + " timed out after " + std::to_string(int(timeout_s)) + " s");
  return future.get();
}

Result<v2::ServerMessage> Ask(KeynoteConnection& connection, v2::ClientMessage message, uint32_t request_id,
                              double timeout_s, const std::string& what) {
  auto promise = std::make_shared<std::promise<Result<v2::ServerMessage>>>();
  auto future = promise->get_future();
  connection.Request(std::move(message), request_id,
                     [promise](Result<v2::ServerMessage> answer) { promise->set_value(std::move(answer)); });
  return WaitFor(future, timeout_s, what);
}

uint32_t next_control_id = kFirstControlRequestId;

Status Seed(KeynoteConnection& connection, const Options& o) {
  uint32_t id = next_control_id++;
  auto answer = Ask(connection, v2::CallReducer{id, v2::CallFlags::kDefault, "seed", SeedArgs(o.accounts, o.initial_balance)},
                    id, o.timeout_s, "seeding");
  if (!answer.ok()) return std::move(answer).error();
  auto* result = std::get_if<v2::ReducerResult>(&*answer);
  if (!result) return Error(ErrorCode::kInternal, "seed was answered with a " + std::string(v2::ServerMessageName(*answer)));
  if (auto* err = std::get_if<v2::ReducerErr>(&result->result)) {
    stdb::sats::bsatn::Reader r(err->error);
    return Error(ErrorCode::kInternal, "seed failed: " + r.String());
  }
  if (auto* internal = std::get_if<v2::ReducerInternalError>(&result->result))
    return Error(ErrorCode::kInternal, "seed failed: " + internal->message);
  return stdb::OkStatus();
}

Result<Balances> FetchBalances(KeynoteConnection& connection, const Options& o) {
  uint32_t id = next_control_id++;
  auto answer = Ask(connection, v2::OneOffQuery{id, "SELECT * FROM accounts"}, id, o.timeout_s, "fetching the balances");
  if (!answer.ok()) return std::move(answer).error();
  auto* result = std::get_if<v2::OneOffQueryResult>(&*answer);
  if (!result) return Error(ErrorCode::kInternal, "the query was answered with a " + std::string(v2::ServerMessageName(*answer)));
  if (auto* error = std::get_if<std::string>(&result->result)) return Error(ErrorCode::kInternal, "SELECT * FROM accounts: " + *error);
  return DecodeBalances(std::get<v2::QueryRows>(result->result), o.accounts);
}

std::string Ms(uint64_t ns) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", double(ns) / 1e6);
  return buf;
}

int Run(const Options& o) {
  const unsigned cpus = std::max(1u, std::thread::hardware_concurrency());
  const size_t connections = o.connections ? o.connections : 2 * cpus;
  const size_t threads = std::min(connections, o.threads ? o.threads : size_t(cpus));
  auto endpoint = ParseUrl(o.url);
  if (!endpoint.ok()) {
    std::fprintf(stderr, "keynote_loadgen: --url: %s\n", endpoint.error().message().c_str());
    return kExitFailure;
  }
  ConnectionConfig config;
  config.host = endpoint->first;
  config.port = endpoint->second;
  config.database = o.database;
  config.protocol = o.protocol == "v2" ? WireProtocol::kV2 : WireProtocol::kV3;
  config.confirmed_reads = o.confirmed;
  config.inflight = o.inflight;

  // Each connection cycles through its own stretch of the pre-encoded calls.
  const size_t stretch = o.pairs / connections;
  if (!o.verify_only && stretch <= 2 * o.inflight) {
    std::fprintf(stderr, "keynote_loadgen: --pairs %zu is too small for %zu connections x %zu in flight\n", o.pairs,
                 connections, o.inflight);
    return kExitFailure;
  }
  auto generation_start = Clock::now();
  TransferCalls calls(o.verify_only ? std::vector<TransferPair>{}
                                    : MakeTransferPairs(o.accounts, o.alpha, stretch * connections, o.rng_seed),
                      o.amount);
  const double generation_s = Seconds(Clock::now() - generation_start);

  RunState run;
  IoThreads io(threads);
  std::vector<std::unique_ptr<LoadStats>> stats;
  for (size_t t = 0; t < io.size(); ++t) stats.push_back(std::make_unique<LoadStats>(o.accounts));
  std::vector<std::unique_ptr<KeynoteConnection>> conns;
  for (size_t c = 0; c < connections; ++c)
    conns.push_back(std::make_unique<KeynoteConnection>(io.context(c), config, calls, c * stretch,
                                                        o.verify_only ? 1 : stretch, stats[c % io.size()].get(), &run));
  auto fail = [&](const std::string& message) {
    std::fprintf(stderr, "keynote_loadgen: FAILED: %s\n", message.c_str());
    for (auto& c : conns) c->Close();
    io.Stop(std::chrono::milliseconds(500));
    return kExitFailure;
  };

  std::vector<std::future<Status>> connected;
  for (auto& c : conns) {
    auto promise = std::make_shared<std::promise<Status>>();
    connected.push_back(promise->get_future());
    c->Connect([promise](Status s) { promise->set_value(std::move(s)); });
  }
  for (auto& f : connected) {
    auto s = WaitFor(f, o.timeout_s, "connecting");
    if (!s.ok()) return fail(s.error().message());
  }
  KeynoteConnection& control = *conns[0];

  if (o.verify_only) {
    auto balances = FetchBalances(control, o);
    if (!balances.ok()) return fail(balances.error().message());
    Balances expected = *balances;
    expected.sum = __int128(o.accounts) * o.initial_balance;
    expected.present.assign(o.accounts, 1);
    expected.accounts = o.accounts;
    InvariantOutcome outcome = CheckInvariant(expected, *balances, {});
    for (auto& c : conns) c->Close();
    io.Stop(std::chrono::milliseconds(500));
    std::printf("invariant            %s\n", outcome.report.c_str());
    return outcome.ok ? 0 : kExitInvariant;
  }

  if (o.seed) {
    Status s = Seed(control, o);
    if (!s.ok()) return fail(s.error().message());
  }
  auto before = FetchBalances(control, o);
  if (!before.ok()) return fail(before.error().message());

  const std::string load_start = LoadAverage();
  const Clock::time_point start = Clock::now();
  run.measure_begin = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.warmup_s));
  run.measure_end = run.measure_begin + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.duration_s));
  for (auto& c : conns) c->StartLoad();

  uint64_t last_completed = 0;
  Clock::time_point last = start;
  while (Clock::now() < run.measure_end) {
    std::this_thread::sleep_until(std::min(run.measure_end, last + std::chrono::seconds(1)));
    if (run.failed()) break;
    if (o.progress) {
      const Clock::time_point now = Clock::now();
      const uint64_t completed = run.completed.load();
      std::fprintf(stderr, "t=%5.1f s  %8.0f results/s  in flight %" PRId64 "  load %s\n", Seconds(now - start),
                   double(completed - last_completed) / Seconds(now - last), run.in_flight.load(), LoadAverage().c_str());
      last_completed = completed;
      last = now;
    }
  }
  const std::string load_end = LoadAverage();
  const Clock::time_point drain_deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.timeout_s));
  while (run.in_flight.load() > 0 && !run.failed() && Clock::now() < drain_deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  {
    std::lock_guard<std::mutex> lock(run.failure_mu);
    if (run.failure) return fail(*run.failure);
  }
  if (run.in_flight.load() > 0)
    return fail(std::to_string(run.in_flight.load()) + " calls were still unanswered " + std::to_string(int(o.timeout_s)) +
                " s after the end of the run");
  auto after = FetchBalances(control, o);
  if (!after.ok()) return fail(after.error().message());
  for (auto& c : conns) c->Close();
  io.Stop(std::chrono::milliseconds(1000));

  LoadStats total(o.accounts);
  for (auto& s : stats) total.Merge(*s);
  InvariantOutcome invariant = CheckInvariant(*before, *after, total.balance_delta);

  const double tps = double(total.committed_in_window) / o.duration_s;
  const auto& h = total.latency;
  std::printf("keynote: %zu connections x %zu in flight, alpha %g, %u accounts, %s, %s, %zu I/O threads\n", connections,
              o.inflight, o.alpha, o.accounts, o.confirmed ? "confirmed reads" : "unconfirmed reads", o.protocol.c_str(),
              io.size());
  std::printf("pairs                %zu pre-encoded calls in %.2f s\n", calls.size(), generation_s);
  std::printf("window               %.1f s measured after %.1f s warm-up; load average %s at start, %s at end\n",
              o.duration_s, o.warmup_s, load_start.c_str(), load_end.c_str());
  std::printf("committed transfers  %" PRIu64 " in the window: %.0f tx/s (%" PRIu64 " in the whole run)\n",
              total.committed_in_window, tps, total.committed);
  std::printf("latency ms           p50 %s  p99 %s  p99.9 %s  max %s  mean %s\n", Ms(h.ValueAtPercentile(50)).c_str(),
              Ms(h.ValueAtPercentile(99)).c_str(), Ms(h.ValueAtPercentile(99.9)).c_str(), Ms(h.max()).c_str(),
              Ms(uint64_t(h.mean())).c_str());
  std::printf("rejected             %" PRIu64 " by the reducer, %" PRIu64 " internal errors\n", total.rejected,
              total.internal_errors);
  for (const auto& [message, count] : total.errors) std::printf("  %8" PRIu64 "  %s\n", count, message.c_str());
  std::printf("invariant            %s\n", invariant.report.c_str());
  std::printf("BENCH %s_tps %.0f tx/s\n", o.name.c_str(), tps);
  std::printf("BENCH %s_p50_ms %s ms\n", o.name.c_str(), Ms(h.ValueAtPercentile(50)).c_str());
  std::printf("BENCH %s_p99_ms %s ms\n", o.name.c_str(), Ms(h.ValueAtPercentile(99)).c_str());
  std::printf("BENCH %s_p999_ms %s ms\n", o.name.c_str(), Ms(h.ValueAtPercentile(99.9)).c_str());
  if (!invariant.ok) {
    std::fprintf(stderr, "keynote_loadgen: INVARIANT VIOLATED: %s\n", invariant.report.c_str());
    return kExitInvariant;
  }
  if (total.committed_in_window == 0) {
    std::fprintf(stderr, "keynote_loadgen: FAILED: no transfer committed inside the measurement window\n");
    return kExitFailure;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"Load generator of the keynote transfer benchmark (docs/benchmarks.md, Keynote)"};
  app.add_option("--url", o.url, "Server URL (http:// or ws://)")->capture_default_str();
  app.add_option("--database", o.database, "Database name or identity")->capture_default_str();
  app.add_option("--connections", o.connections, "WebSocket connections (default: 2 x CPUs)");
  app.add_option("--inflight", o.inflight, "Calls in flight per connection")->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--alpha", o.alpha, "Zipf exponent of the account choice (0: uniform)")->capture_default_str();
  app.add_option("--accounts", o.accounts, "Accounts")->capture_default_str()->check(CLI::Range(2u, 1u << 30));
  app.add_option("--duration", o.duration_s, "Measured seconds")->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--warmup", o.warmup_s, "Seconds of load before the measurement")->capture_default_str()->check(CLI::NonNegativeNumber);
  app.add_option("--confirmed", o.confirmed, "Confirmed reads: results only once durable (true/false)")->capture_default_str();
  app.add_option("--protocol", o.protocol, "WebSocket protocol")->capture_default_str()->check(CLI::IsMember({"v3", "v2"}));
  app.add_option("--threads", o.threads, "I/O threads (default: one per CPU)");
  app.add_option("--pairs", o.pairs, "Pre-encoded transfer pairs (shared out among the connections)")->capture_default_str()
      ->check(CLI::Range(size_t(2), size_t(kFirstControlRequestId) - 1));
  app.add_flag("!--no-seed", o.seed, "Do not reseed the accounts before the run");
  app.add_option("--initial-balance", o.initial_balance, "Balance of each seeded account")->capture_default_str();
  app.add_option("--amount", o.amount, "Amount of each transfer")->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--rng-seed", o.rng_seed, "Seed of the pair generator")->capture_default_str();
  app.add_option("--name", o.name, "Prefix of the BENCH lines")->capture_default_str();
  app.add_option("--write-pairs", o.write_pairs, "Only write --pairs pairs to this file (u32 from, u32 to, little-endian)");
  app.add_flag("--verify-only", o.verify_only, "Only check that --accounts accounts hold --initial-balance on average");
  app.add_flag("--progress", o.progress, "Print results per second on standard error");
  app.add_option("--timeout", o.timeout_s, "Seconds to wait for connections, control requests and the final drain")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  if (!o.write_pairs.empty()) {
    auto pairs = MakeTransferPairs(o.accounts, o.alpha, o.pairs, o.rng_seed);
    if (!WritePairsFile(o.write_pairs, pairs)) {
      std::perror(o.write_pairs.c_str());
      return kExitFailure;
    }
    std::printf("wrote %zu pairs (alpha %g, %u accounts) to %s\n", pairs.size(), o.alpha, o.accounts, o.write_pairs.c_str());
    return 0;
  }
  return Run(o);
}
