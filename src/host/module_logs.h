// ModuleLogs: the log of one database — every console_log line of its module plus the host's own messages
// (reducer errors, traps, panics), kept in a ring buffer in memory and appended to a file, readable later and
// followable live (spacetime logs [-f]).
//
// Records are written as newline-delimited JSON in the reference's shape (spec/client-protocol.md §9.4):
//   {"level":"Info","ts":<µs since epoch>,"target":...,"filename":...,"line_number":...,"function":...,"message":...}
// with absent fields omitted. The file is opened for append and written with one write() per record; it is a
// diagnostic log, not part of the database, so it is not fsynced.
//
// Thread-safety: all methods are thread-safe; follower callbacks run on the thread that appended the record and
// must not block.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace stdb::host {

enum class LogLevel : uint8_t { kError = 0, kWarn = 1, kInfo = 2, kDebug = 3, kTrace = 4, kPanic = 101 };

// "Error", "Warn", "Info", "Debug", "Trace", "Panic".
const char* LogLevelName(LogLevel level);
// The level for an ABI level byte; unknown values are Debug.
LogLevel LogLevelFromAbi(uint32_t level);
// Parses a level name case-insensitively.
std::optional<LogLevel> ParseLogLevel(std::string_view name);
// Severity order for filtering: Panic > Error > Warn > Info > Debug > Trace.
int LogSeverity(LogLevel level);

struct LogRecord {
  LogLevel level = LogLevel::kInfo;
  int64_t ts_micros = 0;
  std::optional<std::string> target;
  std::optional<std::string> filename;
  std::optional<uint32_t> line_number;
  std::optional<std::string> function;
  std::string message;

  std::string ToJson() const;
};

class ModuleLogs {
 public:
  // `file_path` empty: memory only.
  explicit ModuleLogs(std::string file_path = "", size_t capacity = 10000);
  ~ModuleLogs();
  ModuleLogs(const ModuleLogs&) = delete;
  ModuleLogs& operator=(const ModuleLogs&) = delete;

  void Append(LogRecord record);
  // A host message (target/filename/function "__spacetimedb__" like the reference).
  void System(LogLevel level, std::string message);

  // The last `n` records (all when n is 0), oldest first. Older records are read back from the file when the ring
  // buffer does not hold enough.
  std::vector<LogRecord> Tail(size_t n) const;

  using Follower = std::function<void(const LogRecord&)>;
  // Registers a follower; returns a handle for Unfollow.
  uint64_t Follow(Follower follower);
  void Unfollow(uint64_t handle);

 private:
  mutable std::mutex mu_;
  std::string path_;
  int fd_ = -1;
  size_t capacity_;
  std::deque<LogRecord> ring_;
  uint64_t next_follower_ = 1;
  std::map<uint64_t, Follower> followers_;
};

}  // namespace stdb::host
