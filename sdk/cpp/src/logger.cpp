// console_log and console_timer wrappers (see logger.h).
#include "spacetimedb/logger.h"

#include "spacetimedb/abi/host_imports.h"

namespace SpacetimeDB {

namespace {

constexpr uint32_t kNoLineNumber = 0xFFFFFFFF;

const uint8_t* BytesOrNull(std::string_view s) {
  return s.empty() ? nullptr : reinterpret_cast<const uint8_t*>(s.data());
}

}  // namespace

void log_with_caller_info(LogLevel level, std::string_view message, std::string_view target,
                          std::string_view filename, uint32_t line_number) {
  // The message pointer must be non-null even when empty; target and filename may be null (absent).
  static const uint8_t kEmpty = 0;
  const uint8_t* message_bytes = message.empty() ? &kEmpty : reinterpret_cast<const uint8_t*>(message.data());
  abi::console_log(level.inner, BytesOrNull(target), static_cast<uint32_t>(target.size()), BytesOrNull(filename),
                   static_cast<uint32_t>(filename.size()), line_number == 0 ? kNoLineNumber : line_number,
                   message_bytes, static_cast<uint32_t>(message.size()));
}

void fatal_error(std::string_view message, std::string_view target, std::string_view filename, uint32_t line_number) {
  log_with_caller_info(LogLevelValue::ERROR, message, target, filename, line_number);
  __builtin_trap();
}

LogStopwatch::LogStopwatch(std::string_view name) {
  static const uint8_t kEmpty = 0;
  const uint8_t* bytes = name.empty() ? &kEmpty : reinterpret_cast<const uint8_t*>(name.data());
  timer_ = ConsoleTimerId(abi::console_timer_start(bytes, static_cast<uint32_t>(name.size())));
}

LogStopwatch& LogStopwatch::operator=(LogStopwatch&& other) noexcept {
  if (this != &other) {
    end();
    timer_ = other.timer_;
    ended_ = other.ended_;
    other.ended_ = true;
  }
  return *this;
}

void LogStopwatch::end() {
  if (ended_) return;
  ended_ = true;
  abi::console_timer_end(timer_.inner);
}

}  // namespace SpacetimeDB
