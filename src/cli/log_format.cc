#include "cli/log_format.h"

#include <cctype>
#include <charconv>
#include <ctime>

#include "sats/json.h"

namespace stdb::cli {

namespace {

constexpr const char* kSentinel = "__spacetimedb__";
constexpr const char* kDim = "\x1b[2m";
constexpr const char* kReset = "\x1b[0m";

std::optional<LogSeverity> SeverityOfRecordLevel(std::string_view level) { return ParseLogSeverity(level); }

const char* LevelLabel(LogSeverity s) {
  switch (s) {
    case LogSeverity::kTrace: return "TRACE";
    case LogSeverity::kDebug: return "DEBUG";
    case LogSeverity::kInfo: return " INFO";
    case LogSeverity::kWarn: return " WARN";
    case LogSeverity::kError: return "ERROR";
    case LogSeverity::kPanic: return "PANIC";
  }
  return "?????";
}

const char* LevelColor(LogSeverity s) {
  switch (s) {
    case LogSeverity::kTrace: return "\x1b[2m";
    case LogSeverity::kDebug: return "\x1b[1;2m";
    case LogSeverity::kInfo: return "\x1b[34m";
    case LogSeverity::kWarn: return "\x1b[33m";
    case LogSeverity::kError: return "\x1b[31m";
    case LogSeverity::kPanic: return "\x1b[1;91m";
  }
  return "";
}

const std::string* StringMember(const sats::Json& json, const char* name) {
  const sats::Json* v = json.Find(name);
  return v && v->is_string() ? &v->text() : nullptr;
}

Error BadRecord(const std::string& why) {
  return Error(ErrorCode::kDecode, "the server sent a log record that cannot be read (" + why +
                                       "); print the raw records with `spacetime logs --format json`");
}

}  // namespace

std::optional<LogSeverity> ParseLogSeverity(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "trace") return LogSeverity::kTrace;
  if (lower == "debug") return LogSeverity::kDebug;
  if (lower == "info") return LogSeverity::kInfo;
  if (lower == "warn") return LogSeverity::kWarn;
  if (lower == "error") return LogSeverity::kError;
  if (lower == "panic") return LogSeverity::kPanic;
  return std::nullopt;
}

bool LogFilter::Accepts(LogSeverity severity) const {
  if (!level) return true;
  return exact ? severity == *level : severity >= *level;
}

std::string FormatLogTimestamp(int64_t micros) {
  int64_t secs = micros / 1'000'000;
  int64_t frac = micros % 1'000'000;
  if (frac < 0) {
    frac += 1'000'000;
    --secs;
  }
  std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out = buf;
  int64_t nanos = frac * 1000;
  if (nanos != 0) {
    char digits[16];
    if (nanos % 1'000'000 == 0) {
      std::snprintf(digits, sizeof(digits), ".%03lld", static_cast<long long>(nanos / 1'000'000));
    } else if (nanos % 1000 == 0) {
      std::snprintf(digits, sizeof(digits), ".%06lld", static_cast<long long>(nanos / 1000));
    } else {
      std::snprintf(digits, sizeof(digits), ".%09lld", static_cast<long long>(nanos));
    }
    out += digits;
  }
  return out + "Z";
}

Result<FormattedLogLine> FormatLogLine(std::string_view line, bool color) {
  auto json = sats::Json::Parse(line);
  if (!json.ok()) return BadRecord(json.error().message());
  if (!json->is_object()) return BadRecord("not a JSON object");
  const std::string* level = StringMember(*json, "level");
  if (!level) return BadRecord("no \"level\"");
  auto severity = SeverityOfRecordLevel(*level);
  if (!severity) return BadRecord("unknown level \"" + *level + "\"");
  FormattedLogLine out;
  out.severity = *severity;
  std::string& text = out.text;
  auto dim = [&](const std::string& s) { text += color ? kDim + s + kReset : s; };
  if (const sats::Json* ts = json->Find("ts"); ts && ts->is_number()) {
    int64_t micros = 0;
    const std::string& t = ts->text();
    std::from_chars(t.data(), t.data() + t.size(), micros);
    dim(FormatLogTimestamp(micros));
    text += ' ';
  }
  text += color ? std::string(LevelColor(*severity)) + LevelLabel(*severity) + kReset : LevelLabel(*severity);
  text += ": ";
  bool need_space = false;
  bool need_colon = false;
  if (const std::string* function = StringMember(*json, "function"); function && *function != kSentinel) {
    dim(*function);
    need_space = true;
    need_colon = true;
  }
  if (const std::string* filename = StringMember(*json, "filename"); filename && *filename != kSentinel) {
    if (need_space) text += ' ';
    std::string location = *filename;
    if (const sats::Json* line_number = json->Find("line_number"); line_number && line_number->is_number())
      location += ":" + line_number->text();
    dim(location);
    need_colon = true;
  }
  if (need_colon) text += ": ";
  const std::string* message = StringMember(*json, "message");
  text += message ? *message : std::string();
  text += '\n';
  if (const sats::Json* trace = json->Find("trace"); trace && trace->is_array()) {
    for (const auto& frame : trace->items()) {
      text += "    in ";
      if (const std::string* module = StringMember(frame, "module_name")) {
        dim(*module);
        text += " :: ";
      }
      if (const std::string* function = StringMember(frame, "func_name")) {
        dim(*function);
        text += '\n';
      }
    }
  }
  return out;
}

}  // namespace stdb::cli
