#include "host/module_logs.h"

#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <fstream>

#include "sats/json.h"

namespace stdb::host {

const char* LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kError: return "Error";
    case LogLevel::kWarn: return "Warn";
    case LogLevel::kInfo: return "Info";
    case LogLevel::kDebug: return "Debug";
    case LogLevel::kTrace: return "Trace";
    case LogLevel::kPanic: return "Panic";
  }
  return "Debug";
}

LogLevel LogLevelFromAbi(uint32_t level) {
  switch (level) {
    case 0: return LogLevel::kError;
    case 1: return LogLevel::kWarn;
    case 2: return LogLevel::kInfo;
    case 3: return LogLevel::kDebug;
    case 4: return LogLevel::kTrace;
    case 101: return LogLevel::kPanic;
    default: return LogLevel::kDebug;
  }
}

std::optional<LogLevel> ParseLogLevel(std::string_view name) {
  std::string lower;
  for (char c : name) lower.push_back(char(std::tolower(static_cast<unsigned char>(c))));
  for (LogLevel l : {LogLevel::kError, LogLevel::kWarn, LogLevel::kInfo, LogLevel::kDebug, LogLevel::kTrace,
                     LogLevel::kPanic}) {
    std::string n = LogLevelName(l);
    for (auto& c : n) c = char(std::tolower(static_cast<unsigned char>(c)));
    if (n == lower) return l;
  }
  return std::nullopt;
}

int LogSeverity(LogLevel level) {
  switch (level) {
    case LogLevel::kTrace: return 0;
    case LogLevel::kDebug: return 1;
    case LogLevel::kInfo: return 2;
    case LogLevel::kWarn: return 3;
    case LogLevel::kError: return 4;
    case LogLevel::kPanic: return 5;
  }
  return 1;
}

std::string LogRecord::ToJson() const {
  std::string out = "{\"level\":\"";
  out += LogLevelName(level);
  out += "\",\"ts\":" + std::to_string(ts_micros);
  auto field = [&](const char* name, const std::optional<std::string>& v) {
    if (!v) return;
    out += ",\"";
    out += name;
    out += "\":";
    sats::AppendJsonString(out, *v);
  };
  field("target", target);
  field("filename", filename);
  if (line_number) out += ",\"line_number\":" + std::to_string(*line_number);
  field("function", function);
  out += ",\"message\":";
  sats::AppendJsonString(out, message);
  out += "}";
  return out;
}

namespace {

std::optional<LogRecord> ParseRecord(const std::string& line) {
  auto j = sats::Json::Parse(line);
  if (!j.ok() || !j->is_object()) return std::nullopt;
  LogRecord r;
  if (const auto* l = j->Find("level"); l && l->is_string()) r.level = ParseLogLevel(l->text()).value_or(LogLevel::kInfo);
  if (const auto* t = j->Find("ts"); t && t->is_number()) r.ts_micros = std::stoll(t->text());
  auto str = [&](const char* name) -> std::optional<std::string> {
    const auto* v = j->Find(name);
    return v && v->is_string() ? std::optional<std::string>(v->text()) : std::nullopt;
  };
  r.target = str("target");
  r.filename = str("filename");
  r.function = str("function");
  if (const auto* n = j->Find("line_number"); n && n->is_number()) r.line_number = uint32_t(std::stoul(n->text()));
  r.message = str("message").value_or("");
  return r;
}

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

ModuleLogs::ModuleLogs(std::string file_path, size_t capacity) : path_(std::move(file_path)), capacity_(capacity) {
  if (!path_.empty()) fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
}

ModuleLogs::~ModuleLogs() {
  if (fd_ >= 0) ::close(fd_);
}

void ModuleLogs::Append(LogRecord record) {
  if (record.ts_micros == 0) record.ts_micros = NowMicros();
  std::vector<Follower> followers;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (fd_ >= 0) {
      std::string line = record.ToJson() + "\n";
      ssize_t w = ::write(fd_, line.data(), line.size());
      (void)w;  // a diagnostic log: a failed write must not fail the reducer
    }
    ring_.push_back(record);
    if (ring_.size() > capacity_) ring_.pop_front();
    for (const auto& [id, f] : followers_) followers.push_back(f);
  }
  for (const auto& f : followers) f(record);
}

void ModuleLogs::System(LogLevel level, std::string message) {
  LogRecord r;
  r.level = level;
  r.target = r.filename = r.function = "__spacetimedb__";
  r.message = std::move(message);
  Append(std::move(r));
}

std::vector<LogRecord> ModuleLogs::Tail(size_t n) const {
  std::lock_guard<std::mutex> lock(mu_);
  if ((n == 0 || n > ring_.size()) && !path_.empty()) {
    // The file holds everything ever logged; read it when memory does not go back far enough.
    std::ifstream in(path_);
    std::deque<LogRecord> all;
    std::string line;
    while (std::getline(in, line)) {
      if (auto r = ParseRecord(line)) {
        all.push_back(std::move(*r));
        if (n && all.size() > n) all.pop_front();
      }
    }
    if (all.size() >= ring_.size()) return {all.begin(), all.end()};
  }
  size_t take = n == 0 ? ring_.size() : std::min(n, ring_.size());
  return {ring_.end() - long(take), ring_.end()};
}

uint64_t ModuleLogs::Follow(Follower follower) {
  std::lock_guard<std::mutex> lock(mu_);
  uint64_t id = next_follower_++;
  followers_[id] = std::move(follower);
  return id;
}

void ModuleLogs::Unfollow(uint64_t handle) {
  std::lock_guard<std::mutex> lock(mu_);
  followers_.erase(handle);
}

}  // namespace stdb::host
