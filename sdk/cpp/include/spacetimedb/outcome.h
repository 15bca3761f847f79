// Outcome<T>: how module code reports success or a user-facing error without exceptions.
//
// A reducer returns ReducerResult (= Outcome<void>): `return Ok();` commits, `return Err("why");` rolls the
// transaction back and hands "why" to the caller (the SDK writes it to the error sink and returns 1 from
// __call_reducer__, spec/module-abi.md §3.3). Outcome<T> carries a value on success, which helpers use:
//
//   Outcome<std::string> validate(std::string s) { if (s.empty()) return Err<std::string>("empty"); return Ok(s); }
//
// Thread-safety: plain value.
#pragma once

#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace SpacetimeDB {

// The error alternative, a distinct type so that Outcome<std::string> is unambiguous.
struct OutcomeError {
  std::string msg;
};

template <typename T>
class [[nodiscard]] Outcome {
 public:
  using value_type = T;

  static Outcome Ok(T value) { return Outcome(std::in_place_index<0>, std::move(value)); }
  static Outcome Err(std::string message) { return Outcome(std::in_place_index<1>, OutcomeError{std::move(message)}); }

  bool is_ok() const { return state_.index() == 0; }
  bool is_err() const { return state_.index() == 1; }
  // Precondition: is_ok().
  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  // Precondition: is_err().
  const std::string& error() const { return std::get<1>(state_).msg; }
  template <typename U>
  T value_or(U&& fallback) const& {
    return is_ok() ? std::get<0>(state_) : T(std::forward<U>(fallback));
  }

 private:
  template <size_t I, typename V>
  Outcome(std::in_place_index_t<I> index, V&& v) : state_(index, std::forward<V>(v)) {}
  std::variant<T, OutcomeError> state_;
};

template <>
class [[nodiscard]] Outcome<void> {
 public:
  using value_type = void;

  static Outcome Ok() { return Outcome(std::nullopt); }
  static Outcome Err(std::string message) { return Outcome(OutcomeError{std::move(message)}); }

  bool is_ok() const { return !error_.has_value(); }
  bool is_err() const { return error_.has_value(); }
  // Precondition: is_err().
  const std::string& error() const { return error_->msg; }

 private:
  explicit Outcome(std::optional<OutcomeError> error) : error_(std::move(error)) {}
  std::optional<OutcomeError> error_;
};

using ReducerResult = Outcome<void>;

inline Outcome<void> Ok() { return Outcome<void>::Ok(); }
inline Outcome<void> Err(std::string message) { return Outcome<void>::Err(std::move(message)); }
inline Outcome<void> Err(const char* message) { return Outcome<void>::Err(std::string(message)); }

template <typename T>
Outcome<std::decay_t<T>> Ok(T&& value) {
  return Outcome<std::decay_t<T>>::Ok(std::forward<T>(value));
}
template <typename T>
Outcome<T> Err(std::string message) {
  return Outcome<T>::Err(std::move(message));
}
template <typename T>
Outcome<T> Err(const char* message) {
  return Outcome<T>::Err(std::string(message));
}

}  // namespace SpacetimeDB
