// Tests of the keynote workload's plain pieces: the latency histogram's error bound and percentiles, the Zipf
// sampler's distribution, the pre-encoded calls and the balance invariant.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "bench/keynote/balance_check.h"
#include "bench/keynote/latency_histogram.h"
#include "bench/keynote/transfer_calls.h"
#include "bench/keynote/zipf_pairs.h"
#include "server/protocol/v2_client_message.h"

namespace stdb::bench::keynote {
namespace {

namespace v2 = server::protocol::v2;

TEST(LatencyHistogram, BucketsCoverEveryValueWithinOnePartInAThousand) {
  for (uint64_t v : {uint64_t{0}, uint64_t{1}, uint64_t{1023}, uint64_t{1024}, uint64_t{1025}, uint64_t{4097},
                     uint64_t{999'999}, uint64_t{123'456'789}, LatencyHistogram::kMaxValue}) {
    size_t b = LatencyHistogram::BucketOf(v);
    EXPECT_LE(LatencyHistogram::LowestInBucket(b), v) << v;
    EXPECT_GE(LatencyHistogram::HighestInBucket(b), v) << v;
    EXPECT_LE(double(LatencyHistogram::HighestInBucket(b) - LatencyHistogram::LowestInBucket(b)), double(v) / 1024 + 1e-9) << v;
  }
  // Consecutive buckets tile the range without gaps.
  for (size_t b = 1; b < 40'000 && LatencyHistogram::LowestInBucket(b) <= LatencyHistogram::kMaxValue; ++b) {
    ASSERT_EQ(LatencyHistogram::LowestInBucket(b), LatencyHistogram::HighestInBucket(b - 1) + 1) << b;
  }
}

TEST(LatencyHistogram, PercentilesOfAUniformRange) {
  LatencyHistogram h;
  for (uint64_t v = 1; v <= 1'000'000; ++v) h.Record(v * 1000);  // 1 µs .. 1 s
  EXPECT_EQ(h.count(), 1'000'000u);
  EXPECT_NEAR(double(h.ValueAtPercentile(50)), 500e6, 500e6 / 1000);
  EXPECT_NEAR(double(h.ValueAtPercentile(99)), 990e6, 990e6 / 1000);
  EXPECT_NEAR(double(h.ValueAtPercentile(99.9)), 999e6, 999e6 / 1000);
  EXPECT_EQ(h.ValueAtPercentile(100), 1'000'000'000u);
  EXPECT_EQ(h.min(), 1000u);
  EXPECT_NEAR(h.mean(), 500.0005e6, 1);
}

TEST(LatencyHistogram, MergeAddsCountsAndClampsHugeValues) {
  LatencyHistogram a, b;
  a.Record(10);
  b.Record(20);
  b.Record(uint64_t{1} << 50);
  a.Merge(b);
  EXPECT_EQ(a.count(), 3u);
  EXPECT_EQ(a.clamped(), 1u);
  EXPECT_EQ(a.ValueAtPercentile(1), 10u);
  EXPECT_EQ(a.ValueAtPercentile(50), 20u);
  EXPECT_EQ(a.max(), LatencyHistogram::kMaxValue);
}

TEST(Zipf, Alpha15MatchesTheDistribution) {
  ZipfDistribution zipf(100'000, 1.5);
  // P(0) = 1 / H(100000, 1.5) with H close to zeta(1.5) = 2.612.
  EXPECT_NEAR(zipf.Probability(0), 0.3837, 0.001);
  EXPECT_NEAR(zipf.Probability(1) / zipf.Probability(0), std::pow(2.0, -1.5), 1e-9);
  Rng rng(7);
  const int n = 400'000;
  std::vector<int> hits(3);
  for (int i = 0; i < n; ++i) {
    uint32_t k = zipf.Sample(rng);
    ASSERT_LT(k, 100'000u);
    if (k < 3) ++hits[k];
  }
  for (int k = 0; k < 3; ++k) EXPECT_NEAR(double(hits[k]) / n, zipf.Probability(k), 0.005) << k;
}

TEST(Zipf, AlphaZeroIsUniform) {
  ZipfDistribution zipf(10, 0);
  Rng rng(1);
  std::vector<int> hits(10);
  for (int i = 0; i < 100'000; ++i) ++hits[zipf.Sample(rng)];
  for (int h : hits) EXPECT_NEAR(h, 10'000, 600);
}

TEST(TransferPairs, DistinctDeterministicAndEncoded) {
  auto pairs = MakeTransferPairs(1000, 1.5, 10'000, 42);
  EXPECT_EQ(pairs.size(), 10'000u);
  for (const auto& p : pairs) EXPECT_NE(p.from, p.to);
  auto again = MakeTransferPairs(1000, 1.5, 10'000, 42);
  for (size_t i = 0; i < pairs.size(); ++i) ASSERT_EQ(pairs[i].from, again[i].from);

  TransferCalls calls(pairs, 1);
  auto decoded = v2::DecodeClientMessage(calls.message(17));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message();
  auto& call = std::get<v2::CallReducer>(*decoded);
  EXPECT_EQ(call.request_id, 17u);
  EXPECT_EQ(call.reducer, "transfer");
  EXPECT_EQ(call.args, TransferArgs(pairs[17].from, pairs[17].to, 1));
}

Balances MakeBalances(std::vector<int64_t> values) {
  Balances b;
  b.by_id = values;
  b.present.assign(values.size(), 1);
  b.accounts = values.size();
  for (auto v : values) b.sum += v;
  return b;
}

TEST(BalanceCheck, AcceptsCommittedTransfersAndCatchesLostOnes) {
  Balances before = MakeBalances({100, 100, 100});
  EXPECT_TRUE(CheckInvariant(before, MakeBalances({99, 101, 100}), {-1, 1, 0}).ok);
  // A transfer applied but never acknowledged keeps the sum; the per-account check catches it.
  auto unacknowledged = CheckInvariant(before, MakeBalances({98, 102, 100}), {-1, 1, 0});
  EXPECT_FALSE(unacknowledged.ok);
  EXPECT_NE(unacknowledged.report.find("account 0"), std::string::npos) << unacknowledged.report;
  // Money created.
  auto created = CheckInvariant(before, MakeBalances({100, 101, 100}), {});
  EXPECT_FALSE(created.ok);
  EXPECT_NE(created.report.find("sum"), std::string::npos) << created.report;
}

TEST(BalanceCheck, DecodesAccountRows) {
  sats::Bytes r0, r1;
  sats::bsatn::Writer(r0).U32(1);
  sats::bsatn::Writer(r0).I64(-5);
  sats::bsatn::Writer(r1).U32(0);
  sats::bsatn::Writer(r1).I64(7);
  std::vector<sats::ByteSpan> rows = {r0, r1};
  v2::QueryRows q;
  q.tables.push_back({"accounts", server::protocol::BsatnRowList::FromRows(rows)});
  auto b = DecodeBalances(q, 2);
  ASSERT_TRUE(b.ok()) << b.error().message();
  EXPECT_EQ(b->by_id, (std::vector<int64_t>{7, -5}));
  EXPECT_EQ(Int128ToString(b->sum), "2");
  EXPECT_FALSE(DecodeBalances(q, 1).ok());  // id 1 is not below 1
}

}  // namespace
}  // namespace stdb::bench::keynote
