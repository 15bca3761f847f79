// ScheduleAt: when a scheduled reducer fires (SATS Sum{Interval: TimeDuration, Time: Timestamp}).
//
// Interval (tag 0) fires repeatedly, every |duration| from the insert; Time (tag 1) fires once at that instant
// and the host then deletes the row. A schedule table holds one ScheduleAt column (spec/module-abi.md §6.4).
//
// Thread-safety: plain value.
#pragma once

#include <variant>

#include "spacetimedb/bsatn/traits.h"
#include "spacetimedb/types/time_duration.h"
#include "spacetimedb/types/timestamp.h"

namespace SpacetimeDB {

class ScheduleAt {
 public:
  ScheduleAt() : value_(TimeDuration(0)) {}
  ScheduleAt(const TimeDuration& interval) : value_(interval) {}  // NOLINT: implicit by design
  ScheduleAt(const Timestamp& time) : value_(time) {}             // NOLINT: implicit by design

  static ScheduleAt interval(const TimeDuration& d) { return ScheduleAt(d); }
  static ScheduleAt time(const Timestamp& t) { return ScheduleAt(t); }

  bool is_interval() const { return value_.index() == 0; }
  bool is_time() const { return value_.index() == 1; }
  // The interval (a zero duration if this is a Time).
  TimeDuration get_interval() const { return is_interval() ? std::get<0>(value_) : TimeDuration(0); }
  // The instant (the epoch if this is an Interval).
  Timestamp get_time() const { return is_time() ? std::get<1>(value_) : Timestamp(0); }

  bool operator==(const ScheduleAt&) const = default;

 private:
  std::variant<TimeDuration, Timestamp> value_;
};

}  // namespace SpacetimeDB

namespace SpacetimeDB::bsatn {
template <>
struct bsatn_traits<ScheduleAt> {
  static void serialize(Writer& w, const ScheduleAt& v) {
    if (v.is_interval()) {
      w.write_u8(0);
      bsatn::serialize(w, v.get_interval());
    } else {
      w.write_u8(1);
      bsatn::serialize(w, v.get_time());
    }
  }
  static ScheduleAt deserialize(Reader& r) {
    switch (r.read_u8()) {
      case 0:
        return ScheduleAt(bsatn::deserialize<TimeDuration>(r));
      case 1:
        return ScheduleAt(bsatn::deserialize<Timestamp>(r));
      default:
        r.fail();
        return ScheduleAt();
    }
  }
  static AlgebraicType algebraic_type() {
    return AlgebraicType::make_sum(NamedTypeListBuilder()
                                       .add("Interval", algebraic_type_of<TimeDuration>())
                                       .add("Time", algebraic_type_of<Timestamp>())
                                       .build());
  }
};
}  // namespace SpacetimeDB::bsatn
