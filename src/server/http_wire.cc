#include "server/http_wire.h"

#include <cstdio>

namespace stdb::server {
namespace {

// tchar from RFC 9110 §5.6.2.
bool IsTokenChar(unsigned char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

bool IsValidFieldName(std::string_view name) {
  if (name.empty()) return false;
  for (unsigned char c : name)
    if (!IsTokenChar(c)) return false;
  return true;
}

bool IsValidFieldValue(std::string_view value) {
  for (unsigned char c : value)
    if (c == '\r' || c == '\n' || c == '\0') return false;
  return true;
}

bool IsFramingField(std::string_view name) {
  return EqualsIgnoreCase(name, "Content-Length") || EqualsIgnoreCase(name, "Transfer-Encoding");
}

// The Date value changes once a second; formatting it for every response would be wasted work.
const std::string& CurrentHttpDate() {
  thread_local std::time_t cached_second = 0;
  thread_local std::string cached_date;
  std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    cached_second = now;
    cached_date = FormatHttpDate(now);
  }
  return cached_date;
}

}  // namespace

Status ValidateHeaderField(std::string_view name, std::string_view value) {
  if (!IsValidFieldName(name))
    return Error(ErrorCode::kInvalidArgument, "invalid response header name \"" + std::string(name) + "\"");
  if (!IsValidFieldValue(value))
    return Error(ErrorCode::kInvalidArgument, "invalid value for response header " + std::string(name));
  return OkStatus();
}

bool StatusHasNoBody(int status) {
  return (status >= 100 && status < 200) || status == 204 || status == 304;
}

std::string FormatHttpDate(std::time_t time) {
  std::tm utc{};
  gmtime_r(&time, &utc);
  char buffer[40];
  size_t n = std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S GMT", &utc);
  return std::string(buffer, n);
}

Result<std::string> SerializeResponseHead(const HttpResponse& response, const ResponseFraming& framing) {
  if (response.status < 100 || response.status > 999)
    return Error(ErrorCode::kInvalidArgument, "invalid HTTP status " + std::to_string(response.status));
  std::string head;
  head.reserve(128 + response.headers.size() * 48);
  head += "HTTP/1.1 ";
  head += std::to_string(response.status);
  head += ' ';
  head += StatusReason(response.status);
  head += "\r\n";
  bool has_date = false;
  // Connection options a handler sets (e.g. "upgrade" on a 426) are kept; close/keep-alive are ours.
  std::string connection;
  auto add_connection_option = [&](std::string_view option) {
    if (!connection.empty()) connection += ", ";
    connection += option;
  };
  for (const auto& [name, value] : response.headers) {
    STDB_RETURN_IF_ERROR(ValidateHeaderField(name, value));
    if (IsFramingField(name)) continue;
    if (EqualsIgnoreCase(name, "Connection")) {
      for (std::string_view option : SplitHeaderList(value))
        if (!EqualsIgnoreCase(option, "close") && !EqualsIgnoreCase(option, "keep-alive"))
          add_connection_option(option);
      continue;
    }
    if (EqualsIgnoreCase(name, "Date")) has_date = true;
    head += name;
    head += ": ";
    head += value;
    head += "\r\n";
  }
  if (!has_date) {
    head += "Date: ";
    head += CurrentHttpDate();
    head += "\r\n";
  }
  if (!StatusHasNoBody(response.status)) {
    switch (framing.body) {
      case BodyFraming::kContentLength:
        head += "Content-Length: ";
        head += std::to_string(response.body.size());
        head += "\r\n";
        break;
      case BodyFraming::kChunked:
        head += "Transfer-Encoding: chunked\r\n";
        break;
      case BodyFraming::kUntilClose:
        break;
    }
  }
  bool keep_alive = framing.keep_alive && framing.body != BodyFraming::kUntilClose;
  if (!keep_alive) {
    add_connection_option("close");
  } else if (framing.version_minor == 0) {
    add_connection_option("keep-alive");
  }
  if (!connection.empty()) {
    head += "Connection: ";
    head += connection;
    head += "\r\n";
  }
  head += "\r\n";
  return head;
}

std::string EncodeChunk(std::string_view data) {
  if (data.empty()) return {};
  char size_line[24];
  int n = std::snprintf(size_line, sizeof size_line, "%zx\r\n", data.size());
  std::string chunk;
  chunk.reserve(static_cast<size_t>(n) + data.size() + 2);
  chunk.append(size_line, static_cast<size_t>(n));
  chunk.append(data);
  chunk += "\r\n";
  return chunk;
}

}  // namespace stdb::server
