#include "bench/keynote/zipf_pairs.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace stdb::bench::keynote {

namespace {

uint64_t SplitMix64(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

Rng::Rng(uint64_t seed) {
  for (auto& s : s_) s = SplitMix64(seed);
}

uint64_t Rng::Next() {
  const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

ZipfDistribution::ZipfDistribution(uint32_t n, double alpha) : n_(n), alpha_(alpha) {
  if (n == 0) throw std::invalid_argument("ZipfDistribution needs at least one element");
  if (alpha <= 0) return;
  // Normalise with the sum taken from the smallest term up, which keeps the rounding error of the tail small.
  double total = 0;
  for (uint32_t k = n; k > 0; --k) total += std::pow(double(k), -alpha);
  cdf_.resize(n);
  double cumulative = 0;
  for (uint32_t k = 0; k < n; ++k) {
    cumulative += std::pow(double(k + 1), -alpha) / total;
    cdf_[k] = cumulative;
  }
  cdf_[n - 1] = 1.0;  // no draw may fall past the end through rounding
}

uint32_t ZipfDistribution::Sample(Rng& rng) const {
  if (cdf_.empty()) return uint32_t((rng.Next() >> 32) * n_ >> 32);
  const double u = rng.NextDouble();
  return uint32_t(std::upper_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin());
}

double ZipfDistribution::Probability(uint32_t index) const {
  if (index >= n_) return 0;
  if (cdf_.empty()) return 1.0 / n_;
  return index == 0 ? cdf_[0] : cdf_[index] - cdf_[index - 1];
}

std::vector<TransferPair> MakeTransferPairs(uint32_t accounts, double alpha, size_t count, uint64_t seed) {
  if (accounts < 2) throw std::invalid_argument("a transfer needs at least two accounts");
  ZipfDistribution zipf(accounts, alpha);
  Rng rng(seed);
  std::vector<TransferPair> pairs(count);
  for (auto& p : pairs) {
    p.from = zipf.Sample(rng);
    do p.to = zipf.Sample(rng);
    while (p.to == p.from);
  }
  return pairs;
}

bool WritePairsFile(const std::string& path, const std::vector<TransferPair>& pairs) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return false;
  std::vector<uint8_t> bytes(pairs.size() * 8);
  for (size_t i = 0; i < pairs.size(); ++i) {
    for (int b = 0; b < 4; ++b) {
      bytes[i * 8 + b] = uint8_t(pairs[i].from >> (8 * b));
      bytes[i * 8 + 4 + b] = uint8_t(pairs[i].to >> (8 * b));
    }
  }
  bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  return std::fclose(f) == 0 && ok;
}

}  // namespace stdb::bench::keynote
