// Result<T, E>: a value or an error, stored in a table or passed to a reducer (SATS Sum{ok: T, err: E}).
//
// This is data, not control flow: a reducer reports failure with Err(...) from outcome.h. Tag 0 = ok, 1 = err.
//
// Thread-safety: plain value.
#pragma once

#include <utility>
#include <variant>

#include "spacetimedb/bsatn/traits.h"

namespace SpacetimeDB {

template <typename T, typename E>
class Result {
 public:
  Result() : value_(std::in_place_index<0>) {}
  static Result ok(T value) { return Result(std::in_place_index<0>, std::move(value)); }
  static Result err(E error) { return Result(std::in_place_index<1>, std::move(error)); }

  bool is_ok() const { return value_.index() == 0; }
  bool is_err() const { return value_.index() == 1; }
  // Preconditions: is_ok() / is_err().
  const T& unwrap() const { return std::get<0>(value_); }
  T& unwrap() { return std::get<0>(value_); }
  const E& unwrap_err() const { return std::get<1>(value_); }
  E& unwrap_err() { return std::get<1>(value_); }
  T unwrap_or(T fallback) const { return is_ok() ? unwrap() : std::move(fallback); }

  bool operator==(const Result&) const = default;

 private:
  template <size_t I, typename V>
  Result(std::in_place_index_t<I> index, V&& v) : value_(index, std::forward<V>(v)) {}
  std::variant<T, E> value_;
};

}  // namespace SpacetimeDB

namespace SpacetimeDB::bsatn {
template <typename T, typename E>
struct bsatn_traits<Result<T, E>> {
  static void serialize(Writer& w, const Result<T, E>& v) {
    if (v.is_ok()) {
      w.write_u8(0);
      bsatn::serialize(w, v.unwrap());
    } else {
      w.write_u8(1);
      bsatn::serialize(w, v.unwrap_err());
    }
  }
  static Result<T, E> deserialize(Reader& r) {
    switch (r.read_u8()) {
      case 0:
        return Result<T, E>::ok(bsatn::deserialize<T>(r));
      case 1:
        return Result<T, E>::err(bsatn::deserialize<E>(r));
      default:
        r.fail();
        return Result<T, E>();
    }
  }
  static AlgebraicType algebraic_type() {
    return AlgebraicType::result(algebraic_type_of<T>(), algebraic_type_of<E>());
  }
};
}  // namespace SpacetimeDB::bsatn
