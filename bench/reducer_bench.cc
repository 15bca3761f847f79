// In-process reducer calls (issue 5): a host::Database called on its own thread, no network, durability off
// (in memory) and on (commitlog with group commit in a temporary directory):
//   empty     set_gate(true) of src/host/testdata/gatekeeper_module.wat: decodes one byte, changes nothing
//   transfer  the keynote transfer of examples/keynote-transfer on 100,000 accounts (two primary-key reads, two
//             updates), between uniformly random accounts
// Calls are made back to back inside one job on the database thread, so the figures are the cost of a call:
// argument copy, V8 call, the module's work, commit (and, durable, the hand-off to the log worker). The durable
// run counts until the last transaction is on disk.
//
//   reducer_bench [calls per run, default 200000] [--only <substring of a run's name>]
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "durability/recovery.h"
#include "host/database.h"
#include "sats/algebraic_value.h"
#include "sats/bsatn.h"

namespace {

using namespace stdb;
using Clock = std::chrono::steady_clock;

constexpr uint32_t kAccounts = 100'000;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "reducer_bench: %s\n", what.c_str());
  std::exit(1);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Die("cannot read " + path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

sats::Bytes Args(std::vector<sats::AlgebraicValue> values) {
  return sats::bsatn::EncodeValue(sats::AlgebraicValue::Product(std::move(values)));
}

// A database for `program`, in memory when `dir` is empty.
std::unique_ptr<host::Database> Open(const std::string& program, const std::string& dir) {
  if (!dir.empty()) std::filesystem::create_directories(dir);
  durability::DatabaseStateOptions state_options;
  state_options.dir = dir;
  auto state = durability::OpenDatabaseState(state_options);
  if (!state.ok()) Die("open the database state: " + state.error().message());
  host::DatabaseOptions options;
  options.name = "bench";
  sats::ByteSpan bytes(reinterpret_cast<const uint8_t*>(program.data()), program.size());
  auto db = host::Database::Create(options, bytes, std::move(state->datastore), std::move(state->durability));
  if (!db.ok()) Die("publish: " + db.error().message());
  return std::move(*db);
}

// Calls `reducer` with each of `args` in turn, `calls` times in all, on the database thread; then waits until the
// last transaction is durable. Prints and returns calls/s.
void Measure(host::Database& db, const std::string& reducer, const std::vector<sats::Bytes>& args, size_t calls,
             const std::string& name) {
  auto start = Clock::now();
  std::optional<uint64_t> last_offset = db.Run([&] {
    host::ReducerRequest request;
    request.reducer = reducer;
    std::optional<uint64_t> last;
    for (size_t i = 0; i < calls; ++i) {
      request.args = args[i % args.size()];
      host::ReducerResponse response = db.CallReducer(request);
      if (!response.committed()) Die(reducer + " failed: " + response.message);
      if (response.tx && response.tx->tx_offset) last = response.tx->tx_offset;
    }
    return last;
  });
  if (last_offset) {
    std::promise<void> durable;
    db.durability().WhenDurable(*last_offset, [&] { durable.set_value(); });
    durable.get_future().wait();
  }
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("%-28s %9zu calls in %6.2f s: %10.0f calls/s (%.2f us per call)\n", name.c_str(), calls, seconds,
              calls / seconds, seconds * 1e6 / calls);
  std::printf("BENCH reducer_%s_calls_per_s %.0f calls/s\n", name.c_str(), calls / seconds);
}

}  // namespace

int main(int argc, char** argv) {
  size_t calls = 200'000;
  std::string only;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--only" && i + 1 < argc) only = argv[++i];
    else if (a[0] != '-') calls = std::strtoull(argv[i], nullptr, 10);  // other flags are BENCH_ARGS for other programs
  }
  auto wanted = [&](const std::string& name) { return name.find(only) != std::string::npos; };
  if (calls == 0) Die("usage: reducer_bench [calls per run]");

  const std::string empty_module = ReadFile(STDB_WASM_TESTDATA_DIR "/gatekeeper_module.wasm");
  const std::string transfer_module = ReadFile(STDB_MODULES_DIR "/keynote-transfer.wasm");
  const std::vector<sats::Bytes> empty_args = {Args({sats::AlgebraicValue::Bool(true)})};
  std::vector<sats::Bytes> transfer_args;
  std::mt19937 rng(42);
  std::uniform_int_distribution<uint32_t> account(0, kAccounts - 1);
  for (int i = 0; i < 65536; ++i) {
    uint32_t from = account(rng);
    uint32_t to = (from + 1 + account(rng) % (kAccounts - 1)) % kAccounts;
    transfer_args.push_back(Args({sats::AlgebraicValue::U32(from), sats::AlgebraicValue::U32(to), sats::AlgebraicValue::I64(1)}));
  }
  const std::vector<sats::Bytes> seed_args = {Args({sats::AlgebraicValue::U32(kAccounts), sats::AlgebraicValue::I64(1'000'000)})};

  const std::string dir =
      (std::filesystem::temp_directory_path() / ("stdb_reducer_bench_" + std::to_string(::getpid()))).string();
  for (bool durable : {false, true}) {
    const std::string mode = durable ? "durable" : "in_memory";
    std::filesystem::remove_all(dir);
    if (wanted("empty_" + mode)) {
      auto db = Open(empty_module, durable ? dir + "/empty" : "");
      Measure(*db, "set_gate", empty_args, calls, "empty_" + mode);
    }
    if (wanted("transfer_" + mode)) {
      auto db = Open(transfer_module, durable ? dir + "/transfer" : "");
      Measure(*db, "seed", seed_args, 1, "seed_100k_" + mode);
      Measure(*db, "transfer", transfer_args, calls, "transfer_" + mode);
    }
  }
  std::filesystem::remove_all(dir);
  return 0;
}
