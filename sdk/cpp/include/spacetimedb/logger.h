// Module logging through the host's console_log (spec/module-abi.md §2.7): the records land in the database's
// module log (`spacetime logs`), with the calling function as the target and the source file and line.
//
//   LOG_TRACE / LOG_DEBUG / LOG_INFO / LOG_WARN / LOG_ERROR (message)   message: anything convertible to
//                                                                       std::string_view
//   LOG_INFO_F("%d rows", n) ...                                         printf-style variants
//   LOG_PANIC(message), LOG_FATAL(message)                               log at Error, then trap: the host rolls
//                                                                       the transaction back and replaces the
//                                                                       instance
//   LogStopwatch timer("name");                                          logs the span's duration when it ends
//
// Messages below STDB_LOG_LEVEL are compiled out; it defaults to INFO with NDEBUG and DEBUG without. Panics log
// at Error rather than the Panic level because the host's Panic records try to capture a backtrace.
//
// Thread-safety: modules are single-threaded.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "spacetimedb/abi/status.h"

namespace SpacetimeDB {

namespace detail {
// The file name without its directories, computed at compile time from __FILE__.
constexpr const char* extract_filename(const char* path) {
  const char* file = path;
  for (; *path; ++path)
    if (*path == '/' || *path == '\\') file = path + 1;
  return file;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"
// printf into a std::string.
template <typename... Args>
std::string format(const char* fmt, Args... args) {
  const int size = std::snprintf(nullptr, 0, fmt, args...);
  if (size <= 0) return std::string();
  std::string out(static_cast<size_t>(size) + 1, '\0');
  std::snprintf(out.data(), out.size(), fmt, args...);
  out.resize(static_cast<size_t>(size));
  return out;
}
#pragma GCC diagnostic pop
}  // namespace detail

// One console_log record. Empty target or filename are passed as absent; line 0 means no line.
void log_with_caller_info(LogLevel level, std::string_view message, std::string_view target = {},
                          std::string_view filename = {}, uint32_t line_number = 0);
inline void log(LogLevel level, std::string_view message) { log_with_caller_info(level, message); }
inline void log_error(std::string_view message) { log(LogLevelValue::ERROR, message); }
inline void log_warn(std::string_view message) { log(LogLevelValue::WARN, message); }
inline void log_info(std::string_view message) { log(LogLevelValue::INFO, message); }
inline void log_debug(std::string_view message) { log(LogLevelValue::DEBUG, message); }
inline void log_trace(std::string_view message) { log(LogLevelValue::TRACE, message); }

// Logs at Error and traps; used for conditions the module cannot recover from.
[[noreturn]] void fatal_error(std::string_view message, std::string_view target = {}, std::string_view filename = {},
                              uint32_t line_number = 0);

// Times a span with console_timer_start/end; the host logs "Timing span "<name>": <elapsed>" at Info level.
class LogStopwatch {
 public:
  explicit LogStopwatch(std::string_view name);
  ~LogStopwatch() { end(); }
  LogStopwatch(const LogStopwatch&) = delete;
  LogStopwatch& operator=(const LogStopwatch&) = delete;
  LogStopwatch(LogStopwatch&& other) noexcept : timer_(other.timer_), ended_(other.ended_) { other.ended_ = true; }
  LogStopwatch& operator=(LogStopwatch&& other) noexcept;
  // Ends the span now (the destructor then does nothing).
  void end();

 private:
  ConsoleTimerId timer_;
  bool ended_ = false;
};

}  // namespace SpacetimeDB

#define STDB_FILENAME ::SpacetimeDB::detail::extract_filename(__FILE__)

#ifndef STDB_LOG_LEVEL
#ifdef NDEBUG
#define STDB_LOG_LEVEL ::SpacetimeDB::LogLevelValue::INFO
#else
#define STDB_LOG_LEVEL ::SpacetimeDB::LogLevelValue::DEBUG
#endif
#endif

#define SPACETIMEDB_LOG_AT(level, message)                                                                  \
  do {                                                                                                      \
    if constexpr ((STDB_LOG_LEVEL).inner >= (level).inner) {                                                \
      ::SpacetimeDB::log_with_caller_info((level), (message), __func__, STDB_FILENAME, __LINE__);           \
    }                                                                                                       \
  } while (0)

#define LOG_ERROR(message) SPACETIMEDB_LOG_AT(::SpacetimeDB::LogLevelValue::ERROR, message)
#define LOG_WARN(message) SPACETIMEDB_LOG_AT(::SpacetimeDB::LogLevelValue::WARN, message)
#define LOG_INFO(message) SPACETIMEDB_LOG_AT(::SpacetimeDB::LogLevelValue::INFO, message)
#define LOG_DEBUG(message) SPACETIMEDB_LOG_AT(::SpacetimeDB::LogLevelValue::DEBUG, message)
#define LOG_TRACE(message) SPACETIMEDB_LOG_AT(::SpacetimeDB::LogLevelValue::TRACE, message)

#define LOG_ERROR_F(fmt, ...) LOG_ERROR(::SpacetimeDB::detail::format(fmt __VA_OPT__(, ) __VA_ARGS__))
#define LOG_WARN_F(fmt, ...) LOG_WARN(::SpacetimeDB::detail::format(fmt __VA_OPT__(, ) __VA_ARGS__))
#define LOG_INFO_F(fmt, ...) LOG_INFO(::SpacetimeDB::detail::format(fmt __VA_OPT__(, ) __VA_ARGS__))
#define LOG_DEBUG_F(fmt, ...) LOG_DEBUG(::SpacetimeDB::detail::format(fmt __VA_OPT__(, ) __VA_ARGS__))
#define LOG_TRACE_F(fmt, ...) LOG_TRACE(::SpacetimeDB::detail::format(fmt __VA_OPT__(, ) __VA_ARGS__))

#define LOG_PANIC(message) ::SpacetimeDB::fatal_error((message), __func__, STDB_FILENAME, __LINE__)
#define LOG_FATAL(message) ::SpacetimeDB::fatal_error((message), __func__, STDB_FILENAME, __LINE__)
