// LatencyHistogram: an HDR-style histogram of latencies in nanoseconds with bounded relative error, cheap to
// record into and to merge (the load generator keeps one per I/O thread and merges them at the end).
//
// Buckets are log-linear, as in Gil Tene's HdrHistogram: values below 2^kSubBucketBits are counted exactly; above,
// every power-of-two range [2^m, 2^(m+1)) is split into 2^kSubBucketBits equal sub-buckets. With 10 bits a recorded
// value is off by less than 1/1024 (0.1%, three significant digits) wherever it falls, whatever the range. Values
// from 0 up to kMaxValue (about 18 minutes) are tracked; larger ones are clamped to it (and counted, see
// clamped()). Recording is an index computation (one count-leading-zeros) and an increment.
//
// Percentiles are reported HDR's way: the highest value equivalent to the bucket holding the requested rank, so
// a reported p99 is never below the true one by more than the bucket width.
//
// Thread-safety: none; one histogram per thread, merged once the threads are done.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace stdb::bench::keynote {

class LatencyHistogram {
 public:
  static constexpr int kSubBucketBits = 10;
  static constexpr int kMaxValueBits = 40;
  static constexpr uint64_t kMaxValue = (uint64_t{1} << kMaxValueBits) - 1;

  LatencyHistogram();

  void Record(uint64_t value_ns);
  void Merge(const LatencyHistogram& other);
  void Reset();

  uint64_t count() const { return count_; }
  uint64_t min() const { return count_ ? min_ : 0; }
  uint64_t max() const { return max_; }
  double mean() const { return count_ ? double(sum_) / double(count_) : 0; }
  uint64_t clamped() const { return clamped_; }
  // The value below or at which `percentile` percent of the recorded values lie (0 < percentile <= 100); 0 when
  // empty.
  uint64_t ValueAtPercentile(double percentile) const;

  // Bucket arithmetic, exposed for tests: the bucket of a value and the range [lowest, highest] of values it holds.
  static size_t BucketOf(uint64_t value);
  static uint64_t LowestInBucket(size_t bucket);
  static uint64_t HighestInBucket(size_t bucket);

 private:
  std::vector<uint64_t> counts_;
  uint64_t count_ = 0;
  uint64_t sum_ = 0;
  uint64_t min_ = UINT64_MAX;
  uint64_t max_ = 0;
  uint64_t clamped_ = 0;
};

}  // namespace stdb::bench::keynote
