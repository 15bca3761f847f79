// Handles and status codes of the spacetime_10.x host ABI (spec/module-abi.md §1.3, §1.4).
//
// Every handle the host gives a module is a u32 in which 0 is invalid; each gets its own small wrapper type so
// a table id cannot be passed where an index id is expected. Status is the u16 errno every host call returns
// (0 = success); the numbers are wire-visible and must never change.
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <string>

namespace SpacetimeDB {

#define SPACETIMEDB_DEFINE_HANDLE(Name, Underlying)                                  \
  struct Name {                                                                      \
    Underlying inner = 0;                                                            \
    constexpr Name() = default;                                                      \
    constexpr explicit Name(Underlying v) : inner(v) {}                              \
    constexpr Underlying get() const { return inner; }                               \
    constexpr bool is_valid() const { return inner != 0; }                           \
    constexpr explicit operator bool() const { return is_valid(); }                  \
    constexpr bool operator==(const Name&) const = default;                          \
    constexpr auto operator<=>(const Name&) const = default;                         \
  };

SPACETIMEDB_DEFINE_HANDLE(Status, uint16_t)
SPACETIMEDB_DEFINE_HANDLE(TableId, uint32_t)
SPACETIMEDB_DEFINE_HANDLE(IndexId, uint32_t)
SPACETIMEDB_DEFINE_HANDLE(ColId, uint16_t)
SPACETIMEDB_DEFINE_HANDLE(LogLevel, uint8_t)
SPACETIMEDB_DEFINE_HANDLE(BytesSink, uint32_t)
SPACETIMEDB_DEFINE_HANDLE(BytesSource, uint32_t)
SPACETIMEDB_DEFINE_HANDLE(RowIter, uint32_t)
SPACETIMEDB_DEFINE_HANDLE(ConsoleTimerId, uint32_t)

#undef SPACETIMEDB_DEFINE_HANDLE

// Errno values of crates/primitives/src/errno.rs.
namespace StatusCode {
inline constexpr Status OK{0};
inline constexpr Status HOST_CALL_FAILURE{1};
inline constexpr Status NOT_IN_TRANSACTION{2};
inline constexpr Status BSATN_DECODE_ERROR{3};
inline constexpr Status NO_SUCH_TABLE{4};
inline constexpr Status NO_SUCH_INDEX{5};
inline constexpr Status NO_SUCH_ITER{6};
inline constexpr Status NO_SUCH_CONSOLE_TIMER{7};
inline constexpr Status NO_SUCH_BYTES{8};
inline constexpr Status NO_SPACE{9};
inline constexpr Status WRONG_INDEX_ALGO{10};
inline constexpr Status BUFFER_TOO_SMALL{11};
inline constexpr Status UNIQUE_ALREADY_EXISTS{12};
inline constexpr Status SCHEDULE_AT_DELAY_TOO_LONG{13};
inline constexpr Status INDEX_NOT_UNIQUE{14};
inline constexpr Status NO_SUCH_ROW{15};
inline constexpr Status AUTO_INC_OVERFLOW{16};
inline constexpr Status WOULD_BLOCK_TRANSACTION{17};
inline constexpr Status TRANSACTION_NOT_ANONYMOUS{18};
inline constexpr Status TRANSACTION_IS_READ_ONLY{19};
inline constexpr Status TRANSACTION_IS_MUT{20};
inline constexpr Status HTTP_ERROR{21};

// The errno's name ("NO_SUCH_ROW"), or "UNKNOWN_ERROR".
const char* to_string(Status status);
}  // namespace StatusCode

inline bool is_ok(Status status) { return status == StatusCode::OK; }
inline bool is_error(Status status) { return status != StatusCode::OK; }
// "NO_SUCH_ROW (15)".
std::string format_status(Status status);

// console_log levels; the host treats unknown values as Debug.
namespace LogLevelValue {
inline constexpr LogLevel ERROR{0};
inline constexpr LogLevel WARN{1};
inline constexpr LogLevel INFO{2};
inline constexpr LogLevel DEBUG{3};
inline constexpr LogLevel TRACE{4};
inline constexpr LogLevel PANIC{101};
}  // namespace LogLevelValue

}  // namespace SpacetimeDB
