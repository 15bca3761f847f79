#include "bench/keynote/latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace stdb::bench::keynote {

namespace {

constexpr uint64_t kSubBuckets = uint64_t{1} << LatencyHistogram::kSubBucketBits;
// Linear range [0, 2^B) plus one group of 2^B sub-buckets per power of two from 2^B to 2^kMaxValueBits.
constexpr size_t kBuckets = size_t(LatencyHistogram::kMaxValueBits - LatencyHistogram::kSubBucketBits + 1) * kSubBuckets;

}  // namespace

LatencyHistogram::LatencyHistogram() : counts_(kBuckets, 0) {}

// For v >= 2^B with highest set bit m, shift = m - B: v >> shift lies in [2^B, 2^(B+1)), and its low B bits
// select the sub-bucket. Bucket index = (shift + 1) * 2^B + those bits, which continues the linear range at 2^B.
size_t LatencyHistogram::BucketOf(uint64_t value) {
  if (value < kSubBuckets) return size_t(value);
  const int shift = (63 - std::countl_zero(value)) - kSubBucketBits;
  return size_t(uint64_t(shift + 1) * kSubBuckets + ((value >> shift) & (kSubBuckets - 1)));
}

uint64_t LatencyHistogram::LowestInBucket(size_t bucket) {
  if (bucket < kSubBuckets) return bucket;
  const uint64_t shift = bucket / kSubBuckets - 1;
  return (kSubBuckets + bucket % kSubBuckets) << shift;
}

uint64_t LatencyHistogram::HighestInBucket(size_t bucket) {
  if (bucket < kSubBuckets) return bucket;
  const uint64_t shift = bucket / kSubBuckets - 1;
  return LowestInBucket(bucket) + (uint64_t{1} << shift) - 1;
}

void LatencyHistogram::Record(uint64_t value_ns) {
  if (value_ns > kMaxValue) {
    value_ns = kMaxValue;
    ++clamped_;
  }
  ++counts_[BucketOf(value_ns)];
  ++count_;
  sum_ += value_ns;
  min_ = std::min(min_, value_ns);
  max_ = std::max(max_, value_ns);
}

void LatencyHistogram::Merge(const LatencyHistogram& other) {
  for (size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  clamped_ += other.clamped_;
}

void LatencyHistogram::Reset() { *this = LatencyHistogram(); }

uint64_t LatencyHistogram::ValueAtPercentile(double percentile) const {
  if (count_ == 0) return 0;
  percentile = std::clamp(percentile, 0.0, 100.0);
  // The rank of the requested value, 1-based: at least the first value, at most the last.
  uint64_t rank = uint64_t(std::ceil(percentile / 100.0 * double(count_)));
  rank = std::clamp<uint64_t>(rank, 1, count_);
  uint64_t seen = 0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::min(HighestInBucket(i), max_);
  }
  return max_;
}

}  // namespace stdb::bench::keynote
