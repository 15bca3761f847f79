// Range<T>: the bounds of a btree index scan, written like Rust's range expressions.
//
//   range(a, b)            a..b    (a <= x < b)        range_from(a)          a..   (a <= x)
//   range_inclusive(a, b)  a..=b   (a <= x <= b)       range_to(b)            ..b   (x < b)
//   range_full<T>()        ..      (every x)           range_to_inclusive(b)  ..=b  (x <= b)
//
//   for (const auto& p : ctx.db[product_price].filter(range_inclusive(10, 20))) ...
//
// The start bound is always inclusive; the end bound is exclusive or inclusive. An index accessor converts the
// bounds to its column type, so range_from(25) works on a uint64_t column. On the wire each bound becomes a
// BSATN Bound<T>: Included(v) = tag 0, Excluded(v) = tag 1, Unbounded = tag 2 (spec/module-abi.md §2.7).
//
// Thread-safety: plain value.
#pragma once

#include <concepts>
#include <optional>
#include <string>
#include <type_traits>

namespace SpacetimeDB {

template <typename T>
concept Rangeable = std::totally_ordered<T> && std::copyable<T>;

enum class RangeBound {
  Exclusive,  // the end is excluded: a..b
  Inclusive,  // the end is included: a..=b
};

template <Rangeable T>
struct Range {
  std::optional<T> start;  // inclusive; none = unbounded below
  std::optional<T> end;    // per bound_type; none = unbounded above
  RangeBound bound_type = RangeBound::Exclusive;

  Range() = default;
  Range(std::optional<T> start_value, std::optional<T> end_value, RangeBound bound = RangeBound::Exclusive)
      : start(std::move(start_value)), end(std::move(end_value)), bound_type(bound) {}

  constexpr bool contains(const T& value) const {
    if (start && value < *start) return false;
    if (!end) return true;
    return bound_type == RangeBound::Inclusive ? value <= *end : value < *end;
  }
};

template <Rangeable T>
Range<T> range(T start, T end) {
  return Range<T>(std::move(start), std::move(end), RangeBound::Exclusive);
}
template <Rangeable T>
Range<T> range_inclusive(T start, T end) {
  return Range<T>(std::move(start), std::move(end), RangeBound::Inclusive);
}
template <Rangeable T>
Range<T> range_from(T start) {
  return Range<T>(std::move(start), std::nullopt, RangeBound::Exclusive);
}
template <Rangeable T>
Range<T> range_to(T end) {
  return Range<T>(std::nullopt, std::move(end), RangeBound::Exclusive);
}
template <Rangeable T>
Range<T> range_to_inclusive(T end) {
  return Range<T>(std::nullopt, std::move(end), RangeBound::Inclusive);
}
template <Rangeable T>
Range<T> range_full() {
  return Range<T>();
}

template <typename T>
struct is_range : std::false_type {};
template <Rangeable T>
struct is_range<Range<T>> : std::true_type {};
template <typename T>
inline constexpr bool is_range_v = is_range<std::remove_cvref_t<T>>::value;
template <typename T>
concept RangeType = is_range_v<T>;

}  // namespace SpacetimeDB
