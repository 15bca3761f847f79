// LogFormat: the module log records that GET /v1/database/{db}/logs streams as newline-delimited JSON
// (spec/client-protocol.md §9.4), filtered by level and printed as text the way the reference CLI does:
//
//   2024-05-01T12:00:00.123456Z  INFO: lib.cpp:42: Client connected
//   2024-05-01T12:00:01Z ERROR: send_message: empty messages are not allowed
//       in module :: function          <- one line per backtrace frame of a panic
//
// The timestamp is chrono's Debug form (UTC, 0/3/6/9 fraction digits, "Z"); the level is right-aligned in five
// columns; the function and "file:line" of the record follow unless they are the system marker
// "__spacetimedb__". With colour on, timestamps and locations are dimmed and levels coloured.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sats/result.h"

namespace stdb::cli {

// Severity order: trace < debug < info < warn < error < panic.
enum class LogSeverity : uint8_t { kTrace = 0, kDebug, kInfo, kWarn, kError, kPanic };

// "trace", "debug", "info", "warn", "error", "panic" (case-insensitive).
std::optional<LogSeverity> ParseLogSeverity(std::string_view name);

struct LogFilter {
  std::optional<LogSeverity> level;  // none: everything
  bool exact = false;                // only `level`, not above
  bool Accepts(LogSeverity severity) const;
};

// One parsed record line: its severity and its text rendering (with a final newline).
struct FormattedLogLine {
  LogSeverity severity = LogSeverity::kInfo;
  std::string text;
};

// Parses one ndjson line; `color` adds ANSI colours.
Result<FormattedLogLine> FormatLogLine(std::string_view json_line, bool color);

// chrono's Debug rendering of a UTC time given in microseconds since the Unix epoch.
std::string FormatLogTimestamp(int64_t micros);

}  // namespace stdb::cli
