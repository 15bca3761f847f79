// Timestamp: microseconds since the Unix epoch (SATS Product{__timestamp_micros_since_unix_epoch__: I64}).
//
// A module has no wall clock (reducers must be deterministic); the time of the current call is
// ReducerContext::timestamp. The text form is RFC 3339 in UTC with microseconds: "2024-01-02T03:04:05.000006+00:00".
//
// Thread-safety: plain value.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <string>

#include "spacetimedb/bsatn/traits.h"
#include "spacetimedb/types/time_duration.h"

namespace SpacetimeDB {

class Timestamp {
 public:
  constexpr Timestamp() = default;
  constexpr explicit Timestamp(int64_t micros_since_epoch) : micros_(micros_since_epoch) {}

  static constexpr Timestamp from_micros_since_epoch(int64_t micros) { return Timestamp(micros); }
  static constexpr Timestamp from_millis_since_epoch(int64_t millis) { return Timestamp(millis * 1000); }
  static constexpr Timestamp from_seconds_since_epoch(int64_t seconds) { return Timestamp(seconds * 1000000); }
  static constexpr Timestamp unix_epoch() { return Timestamp(0); }
  static Timestamp from_chrono(std::chrono::system_clock::time_point tp) {
    return Timestamp(std::chrono::duration_cast<std::chrono::microseconds>(tp.time_since_epoch()).count());
  }

  constexpr int64_t micros_since_epoch() const { return micros_; }
  constexpr int64_t millis_since_epoch() const { return micros_ / 1000; }
  constexpr int64_t seconds_since_epoch() const { return micros_ / 1000000; }
  std::chrono::system_clock::time_point to_chrono() const {
    return std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::microseconds(micros_)));
  }
  constexpr TimeDuration duration_since(const Timestamp& earlier) const {
    return TimeDuration(micros_ - earlier.micros_);
  }
  std::string to_string() const;

  constexpr Timestamp operator+(const TimeDuration& d) const { return Timestamp(micros_ + d.micros()); }
  constexpr Timestamp operator-(const TimeDuration& d) const { return Timestamp(micros_ - d.micros()); }
  constexpr TimeDuration operator-(const Timestamp& o) const { return duration_since(o); }
  constexpr bool operator==(const Timestamp&) const = default;
  constexpr auto operator<=>(const Timestamp&) const = default;

 private:
  int64_t micros_ = 0;
};

constexpr Timestamp operator+(const TimeDuration& d, const Timestamp& t) { return t + d; }

}  // namespace SpacetimeDB

namespace SpacetimeDB::bsatn {
template <>
struct bsatn_traits<Timestamp> {
  static void serialize(Writer& w, const Timestamp& v) { w.write_i64_le(v.micros_since_epoch()); }
  static Timestamp deserialize(Reader& r) { return Timestamp(r.read_i64_le()); }
  static AlgebraicType algebraic_type() {
    return AlgebraicType::special("__timestamp_micros_since_unix_epoch__", AlgebraicType::I64());
  }
};
}  // namespace SpacetimeDB::bsatn
