// StdbRng: the deterministic random number generator a reducer gets from ctx.rng().
//
// Reducers must be deterministic, so the generator is a std::mt19937_64 seeded with the call's timestamp in
// microseconds: the same call at the same microsecond draws the same numbers on every replica. Ranges and
// floats are derived here rather than with <random>'s distributions, whose algorithms differ between standard
// libraries, so a value depends only on the seed.
//
//   auto& rng = ctx.rng();
//   uint64_t x = rng.next_u64();  int die = rng.gen_range(1, 6);  double p = rng.gen<double>();  // [0, 1)
//   rng.shuffle(v.begin(), v.end());  auto pick = rng.sample(options);
//
// Thread-safety: single-threaded (one per reducer call).
#pragma once

#include <concepts>
#include <cstdint>
#include <iterator>
#include <random>
#include <type_traits>
#include <utility>
#include <vector>

#include "spacetimedb/types/timestamp.h"

namespace SpacetimeDB {

class StdbRng {
 public:
  explicit StdbRng(uint64_t seed) : engine_(seed) {}
  explicit StdbRng(const Timestamp& seed) : StdbRng(static_cast<uint64_t>(seed.micros_since_epoch())) {}

  uint64_t next_u64() const { return engine_(); }
  uint32_t next_u32() const { return static_cast<uint32_t>(engine_() >> 32); }

  // A uniform integer in [min, max] (both inclusive), or a float in [min, max).
  template <typename T>
  T gen_range(T min, T max) const {
    if constexpr (std::is_floating_point_v<T>) {
      return min + static_cast<T>(gen_double()) * (max - min);
    } else {
      static_assert(std::is_integral_v<T>, "gen_range needs an integer or floating-point type");
      if (max <= min) return min;
      using U = std::make_unsigned_t<T>;
      const uint64_t span = static_cast<uint64_t>(static_cast<U>(max) - static_cast<U>(min));
      return static_cast<T>(static_cast<U>(min) + static_cast<U>(below(span)));
    }
  }

  // Integers: uniformly random bits; floats: [0, 1); bool: a fair coin.
  template <typename T>
  T gen() const {
    if constexpr (std::is_same_v<T, bool>) {
      return gen_bool();
    } else if constexpr (std::is_floating_point_v<T>) {
      return static_cast<T>(std::is_same_v<T, float> ? gen_float() : gen_double());
    } else {
      static_assert(std::is_integral_v<T>, "gen<T> needs an arithmetic type");
      return static_cast<T>(next_u64());
    }
  }

  float gen_float() const { return static_cast<float>(next_u64() >> 40) * (1.0f / 16777216.0f); }
  double gen_double() const { return static_cast<double>(next_u64() >> 11) * (1.0 / 9007199254740992.0); }
  bool gen_bool() const { return (next_u64() >> 63) != 0; }

  void fill_bytes(uint8_t* dest, size_t count) const {
    for (size_t i = 0; i < count; i += 8) {
      uint64_t bits = next_u64();
      for (size_t j = 0; j < 8 && i + j < count; ++j) dest[i + j] = static_cast<uint8_t>(bits >> (8 * j));
    }
  }
  void fill_bytes(std::vector<uint8_t>& dest) const { fill_bytes(dest.data(), dest.size()); }

  // Fisher-Yates.
  template <typename RandomIt>
  void shuffle(RandomIt first, RandomIt last) const {
    const auto n = static_cast<uint64_t>(std::distance(first, last));
    for (uint64_t i = n; i > 1; --i) {
      const uint64_t j = below(i - 1);
      using std::swap;
      swap(first[static_cast<std::ptrdiff_t>(i - 1)], first[static_cast<std::ptrdiff_t>(j)]);
    }
  }

  // One element chosen uniformly. Precondition: the container is not empty.
  template <typename Container>
  auto sample(const Container& container) const -> decltype(container[0]) {
    return container[static_cast<size_t>(below(static_cast<uint64_t>(container.size()) - 1))];
  }

  // The standard UniformRandomBitGenerator interface, so <algorithm> can use the generator too.
  using result_type = uint64_t;
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~result_type{0}; }
  result_type operator()() const { return next_u64(); }

 private:
  // Uniform in [0, span] by rejection, so no value is favoured.
  uint64_t below(uint64_t span) const {
    if (span == ~uint64_t{0}) return next_u64();
    const uint64_t range = span + 1;
    const uint64_t limit = ~uint64_t{0} - (~uint64_t{0} % range);
    uint64_t v;
    do {
      v = next_u64();
    } while (v >= limit);
    return v % range;
  }

  mutable std::mt19937_64 engine_;
};

}  // namespace SpacetimeDB
