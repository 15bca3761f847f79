// Result<T>: the value of an operation that can fail in an expected way, or an Error saying why.
//
// The project does not throw exceptions across layer boundaries for expected failures (bad input, constraint
// violations, I/O errors); every such function returns Result<T> (or Status = Result<void>). An Error carries a
// machine-readable code and a human-readable message meant to be shown to the user as is.
//
// Thread-safety: plain values; no shared state.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace stdb {

enum class ErrorCode {
  kInvalidArgument,   // bad input from a caller, client or module
  kDecode,            // malformed bytes (BSATN, JSON, frames, files)
  kNotFound,          // the named object does not exist
  kAlreadyExists,     // duplicate name or id
  kConstraint,        // unique constraint violation and similar
  kPermissionDenied,  // caller is not allowed
  kIo,                // file system or network failure
  kCorruption,        // stored data failed a checksum or consistency check
  kUnsupported,       // valid but not implemented
  kResourceExhausted, // limits: memory, sizes, sequences
  kInternal,          // a bug
  // Datastore outcomes the module ABI reports with distinct errno values.
  kNoSuchTable,
  kNoSuchIndex,
  kNoSuchRow,
  kIndexNotUnique,
  kWrongIndexAlgorithm,
};

class Error {
 public:
  Error(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // Prefixes the message with context: "while reading x: <message>".
  Error& Prefix(const std::string& context) {
    message_ = context + ": " + message_;
    return *this;
  }

 private:
  ErrorCode code_;
  std::string message_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const& { assert(!ok()); return std::get<1>(v_); }
  Error&& error() && { assert(!ok()); return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& { assert(!ok_); return error_; }
  Error&& error() && { assert(!ok_); return std::move(error_); }

 private:
  Error error_{ErrorCode::kInternal, ""};
  bool ok_ = true;
};

using Status = Result<void>;

inline Status OkStatus() { return Status(); }

}  // namespace stdb

// Propagates an error from an expression returning Result<T>/Status.
#define STDB_RETURN_IF_ERROR(expr)                     \
  do {                                                 \
    auto _stdb_status = (expr);                        \
    if (!_stdb_status.ok()) return std::move(_stdb_status).error(); \
  } while (0)

#define STDB_CONCAT_INNER(a, b) a##b
#define STDB_CONCAT(a, b) STDB_CONCAT_INNER(a, b)
// Evaluates a Result<T> expression; on error returns it, else moves the value into `lhs`.
#define STDB_ASSIGN_OR_RETURN(lhs, expr) STDB_ASSIGN_OR_RETURN_IMPL(STDB_CONCAT(_stdb_result_, __LINE__), lhs, expr)
#define STDB_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  if (!tmp.ok()) return std::move(tmp).error();    \
  lhs = std::move(tmp).value()
