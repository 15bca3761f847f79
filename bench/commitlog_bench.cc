// Commitlog benchmarks on this machine's disk: append + fsync throughput of small transactions with different
// numbers of commits per fsync (group commit), reading the log back, and CRC32C speed.
//
// The log lives in a fresh directory under $STDB_BENCH_DIR (default: the system temp directory), removed
// afterwards. Headline figures: BENCH lines of commits/s (items/s) and fsyncs/s.
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "bench/bench_main.h"
#include "durability/commitlog.h"
#include "durability/crc32c.h"

namespace {

using namespace stdb;
using namespace stdb::durability;

std::string MakeBenchDir() {
  const char* base = std::getenv("STDB_BENCH_DIR");
  std::string tmpl = (base ? std::string(base) : std::filesystem::temp_directory_path().string()) +
                     "/stdb_commitlog_bench_XXXXXX";
  if (!::mkdtemp(tmpl.data())) std::abort();
  return tmpl;
}

// A reducer call shaped like the server's (56 bytes of caller data) with one small row: 100 bytes encoded.
sats::Bytes HundredByteRecord() {
  TxRecord tx;
  tx.inputs = TxInputs{"send", sats::Bytes(56, 0x5A)};
  tx.mutations = TxMutations{{{4097, {sats::Bytes(26, 0x11)}}}, {}, {}};
  sats::Bytes out;
  if (!EncodeTxRecord(tx, out).ok() || out.size() != 100) std::abort();
  return out;
}

// Appends `batch` one-transaction commits, then flushes and fsyncs once; repeats.
void BM_AppendAndFsync(benchmark::State& state) {
  const int64_t batch = state.range(0);
  const sats::Bytes record = HundredByteRecord();
  std::string dir = MakeBenchDir();
  {
    auto opened = Commitlog::Open(dir);
    if (!opened.ok()) {
      state.SkipWithError(opened.error().message().c_str());
      return;
    }
    auto log = std::move(opened).value();
    for (auto _ : state) {
      for (int64_t i = 0; i < batch; ++i)
        if (!log->AppendCommit(1, record).ok()) state.SkipWithError("append failed");
      if (!log->Sync().ok()) state.SkipWithError("fsync failed");
    }
    state.SetItemsProcessed(state.iterations() * batch);
    state.SetBytesProcessed(state.iterations() * batch * int64_t(record.size() + format::kCommitFramingSizeV1));
    state.counters["fsyncs_per_second"] = benchmark::Counter(static_cast<double>(state.iterations()),
                                                             benchmark::Counter::kIsRate);
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_AppendAndFsync)->Arg(1)->Arg(64)->Arg(1024)->UseRealTime()->MinTime(2.0);

// Reads back and decodes 100,000 transactions written with the default options.
void BM_ReadTransactions(benchmark::State& state) {
  const sats::Bytes record = HundredByteRecord();
  constexpr int64_t kCount = 100000;
  std::string dir = MakeBenchDir();
  {
    auto log = std::move(Commitlog::Open(dir)).value();
    for (int64_t i = 0; i < kCount; ++i) (void)log->AppendCommit(1, record);
    (void)log->Sync();
  }
  RowSizeFn row_size = [](uint32_t, sats::ByteSpan) -> Result<size_t> { return size_t(26); };
  for (auto _ : state) {
    auto reader = std::move(TransactionReader::Open(FileSystem::Posix(), dir, 0, row_size)).value();
    int64_t n = 0;
    while (*reader.Next()) ++n;
    if (n != kCount) state.SkipWithError("short read");
  }
  state.SetItemsProcessed(state.iterations() * kCount);
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_ReadTransactions)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Crc32c(benchmark::State& state) {
  sats::Bytes data(static_cast<size_t>(state.range(0)), 0xA5);
  bool hardware = state.range(1) != 0;
  if (hardware && !crc32c::HardwareAvailable()) {
    state.SkipWithError("no SSE4.2");
    return;
  }
  uint32_t crc = 0;
  for (auto _ : state) {
    crc = hardware ? crc32c::ExtendHardware(crc, data.data(), data.size())
                   : crc32c::ExtendPortable(crc, data.data(), data.size());
    benchmark::DoNotOptimize(crc);
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
  state.counters["MB_per_second"] =
      benchmark::Counter(static_cast<double>(state.iterations() * state.range(0)) / 1e6, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Crc32c)->Args({4096, 0})->Args({4096, 1});

}  // namespace

STDB_BENCH_MAIN();
