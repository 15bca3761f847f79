// TimeDuration: a signed span of microseconds (SATS Product{__time_duration_micros__: I64}).
//
// Used for ScheduleAt intervals and for arithmetic on Timestamps. The text form is "+S.ffffff" / "-S.ffffff".
//
// Thread-safety: plain value.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <string>

#include "spacetimedb/bsatn/traits.h"

namespace SpacetimeDB {

class TimeDuration {
 public:
  constexpr TimeDuration() = default;
  constexpr explicit TimeDuration(int64_t micros) : micros_(micros) {}

  static constexpr TimeDuration from_micros(int64_t micros) { return TimeDuration(micros); }
  static constexpr TimeDuration from_millis(int64_t millis) { return TimeDuration(millis * 1000); }
  static constexpr TimeDuration from_seconds(int64_t seconds) { return TimeDuration(seconds * 1000000); }
  static constexpr TimeDuration from_secs(int64_t seconds) { return from_seconds(seconds); }
  static constexpr TimeDuration from_minutes(int64_t minutes) { return TimeDuration(minutes * 60000000); }
  static constexpr TimeDuration from_hours(int64_t hours) { return TimeDuration(hours * 3600000000LL); }
  template <typename Rep, typename Period>
  static constexpr TimeDuration from_chrono(std::chrono::duration<Rep, Period> d) {
    return TimeDuration(std::chrono::duration_cast<std::chrono::microseconds>(d).count());
  }

  constexpr int64_t micros() const { return micros_; }
  constexpr int64_t millis() const { return micros_ / 1000; }
  constexpr int64_t seconds() const { return micros_ / 1000000; }
  constexpr std::chrono::microseconds to_chrono() const { return std::chrono::microseconds(micros_); }
  constexpr TimeDuration abs() const { return TimeDuration(micros_ < 0 ? -micros_ : micros_); }
  std::string to_string() const;

  constexpr TimeDuration operator+(const TimeDuration& o) const { return TimeDuration(micros_ + o.micros_); }
  constexpr TimeDuration operator-(const TimeDuration& o) const { return TimeDuration(micros_ - o.micros_); }
  constexpr TimeDuration operator*(int64_t k) const { return TimeDuration(micros_ * k); }
  constexpr TimeDuration operator/(int64_t k) const { return TimeDuration(micros_ / k); }
  constexpr bool operator==(const TimeDuration&) const = default;
  constexpr auto operator<=>(const TimeDuration&) const = default;

 private:
  int64_t micros_ = 0;
};

constexpr TimeDuration operator*(int64_t k, const TimeDuration& d) { return d * k; }

}  // namespace SpacetimeDB

namespace SpacetimeDB::bsatn {
template <>
struct bsatn_traits<TimeDuration> {
  static void serialize(Writer& w, const TimeDuration& v) { w.write_i64_le(v.micros()); }
  static TimeDuration deserialize(Reader& r) { return TimeDuration(r.read_i64_le()); }
  static AlgebraicType algebraic_type() {
    return AlgebraicType::special("__time_duration_micros__", AlgebraicType::I64());
  }
};
}  // namespace SpacetimeDB::bsatn
