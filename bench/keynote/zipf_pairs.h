// Zipf-distributed account pairs for the keynote transfer workload (issue 10).
//
// ZipfDistribution draws account indexes in [0, n) with P(k) proportional to 1 / (k + 1)^alpha, so account 0 is
// the hottest; alpha <= 0 is the uniform distribution. It precomputes the cumulative distribution once (n doubles)
// and samples by binary search, which is exact (no rejection-sampling approximation) and, for the keynote's
// 100,000 accounts, about 17 comparisons per draw. At alpha = 1.5 account 0 takes 38% of draws and two draws
// collide 17% of the time: the "about 80% contention" profile of the reference benchmark.
//
// MakeTransferPairs draws `count` (from, to) pairs like the reference's pickTwoDistinct: `from` is drawn, then
// `to` is redrawn until it differs (the reference gives up after 32 redraws; at alpha = 1.5 the chance of needing
// more is below 1e-13, so the two agree in practice). Generation is deterministic for a given seed, so runs and
// the peers (the TypeScript client reads pairs written by the load generator) see the same sequence.
//
// Thread-safety: a ZipfDistribution is immutable after construction and may be shared; the Rng is a
// single-threaded value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace stdb::bench::keynote {

// SplitMix64-seeded xoshiro256** (Blackman and Vigna): fast, good enough for workload generation.
class Rng {
 public:
  explicit Rng(uint64_t seed);
  uint64_t Next();
  // Uniform in [0, 1) with 53 bits of precision.
  double NextDouble() { return double(Next() >> 11) * 0x1.0p-53; }

 private:
  uint64_t s_[4];
};

class ZipfDistribution {
 public:
  // n >= 1. alpha <= 0 draws uniformly.
  ZipfDistribution(uint32_t n, double alpha);

  uint32_t n() const { return n_; }
  double alpha() const { return alpha_; }
  uint32_t Sample(Rng& rng) const;
  // P(index), for tests and reports.
  double Probability(uint32_t index) const;

 private:
  uint32_t n_;
  double alpha_;
  std::vector<double> cdf_;  // cdf_[k] = P(index <= k); empty when uniform
};

struct TransferPair {
  uint32_t from;
  uint32_t to;
};

// `count` pairs of distinct accounts in [0, accounts); accounts must be >= 2.
std::vector<TransferPair> MakeTransferPairs(uint32_t accounts, double alpha, size_t count, uint64_t seed);

// A file of pairs for other clients: `count` records of (from u32, to u32), little-endian, nothing else.
bool WritePairsFile(const std::string& path, const std::vector<TransferPair>& pairs);

}  // namespace stdb::bench::keynote
