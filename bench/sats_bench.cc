// BSATN encode/decode throughput for the row shape of issue 2: (u32, u64, 32-byte string).
//   encode_row          AlgebraicValue -> BSATN
//   decode_row          BSATN -> AlgebraicValue (allocates the product and the string)
//   validate_row        BSATN checked against the row type without building values (what the datastore does
//                       with every row a module inserts)
#include <benchmark/benchmark.h>

#include "bench/bench_main.h"
#include "sats/bsatn.h"

namespace stdb::sats {
namespace {

AlgebraicType RowType() {
  return NamedProduct({{"id", AlgebraicType::U32()}, {"n", AlgebraicType::U64()}, {"s", AlgebraicType::String()}});
}

std::vector<Bytes> MakeRows(size_t n) {
  std::vector<Bytes> rows;
  for (size_t i = 0; i < n; ++i)
    rows.push_back(bsatn::EncodeValue(AlgebraicValue::Product(
        {AlgebraicValue::U32(uint32_t(i)), AlgebraicValue::U64(i * 7), AlgebraicValue::String(std::string(32, char('a' + i % 26)))})));
  return rows;
}

void BM_encode_row(benchmark::State& state) {
  AlgebraicValue row = AlgebraicValue::Product(
      {AlgebraicValue::U32(1), AlgebraicValue::U64(2), AlgebraicValue::String(std::string(32, 'x'))});
  Bytes out;
  out.reserve(64);
  for (auto _ : state) {
    out.clear();
    bsatn::Writer w(out);
    bsatn::EncodeValue(row, w);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_encode_row);

void BM_decode_row(benchmark::State& state) {
  AlgebraicType type = RowType();
  auto rows = MakeRows(1024);
  size_t i = 0;
  for (auto _ : state) {
    auto v = bsatn::DecodeValue(type, rows[i++ & 1023]);
    benchmark::DoNotOptimize(v);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_decode_row);

void BM_validate_row(benchmark::State& state) {
  AlgebraicType type = RowType();
  auto rows = MakeRows(1024);
  size_t i = 0;
  for (auto _ : state) {
    auto s = bsatn::ValidateValue(type, rows[i++ & 1023]);
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_validate_row);

}  // namespace
}  // namespace stdb::sats

STDB_BENCH_MAIN()
