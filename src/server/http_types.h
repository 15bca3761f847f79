// HttpRequest and HttpResponse: what a route handler receives and what it answers, independent of the wire
// (http_wire.h writes responses; http_connection.cc parses requests).
//
// Header names compare case-insensitively (RFC 9110 §5.1); values are kept byte for byte. A request's path
// and query parameters arrive percent-decoded (url.h); the raw target is kept for logging and for the router,
// which splits the raw path before decoding it, so that an encoded "/" (%2F) stays inside its segment.
//
// Response helpers follow the HTTP API's conventions (spec/client-protocol.md §9): error bodies are plain
// text, "text/plain; charset=utf-8"; JSON bodies carry exactly "Content-Type: application/json", which the
// reference CLI compares for equality.
//
// Thread-safety: plain values; no shared state.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stdb::server {

// True if a and b are equal ignoring ASCII case.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// An ordered list of header fields; a name may repeat (e.g. Sec-WebSocket-Protocol).
class HttpHeaders {
 public:
  using Field = std::pair<std::string, std::string>;

  // Appends a field, keeping any existing ones with the same name.
  void Add(std::string name, std::string value);
  // Replaces every field named `name` with one field.
  void Set(std::string name, std::string value);
  void Remove(std::string_view name);

  // The first value of `name`, or nullopt.
  std::optional<std::string_view> Get(std::string_view name) const;
  // Every value of `name`, in order.
  std::vector<std::string_view> GetAll(std::string_view name) const;
  bool Contains(std::string_view name) const { return Get(name).has_value(); }
  // Whether a comma-separated list header (all its occurrences) holds `token`, ignoring case and surrounding
  // whitespace: HasToken("Connection", "upgrade") is true for "Connection: keep-alive, Upgrade".
  bool HasToken(std::string_view name, std::string_view token) const;

  size_t size() const { return fields_.size(); }
  bool empty() const { return fields_.empty(); }
  std::vector<Field>::const_iterator begin() const { return fields_.begin(); }
  std::vector<Field>::const_iterator end() const { return fields_.end(); }

 private:
  std::vector<Field> fields_;
};

// Splits a comma-separated header value into trimmed, non-empty elements.
std::vector<std::string_view> SplitHeaderList(std::string_view value);

struct HttpRequest {
  std::string method;    // as sent; methods are case-sensitive ("GET", "POST", ...)
  std::string target;    // the raw request target, e.g. "/v1/database/x/sql?confirmed=true"
  std::string raw_path;  // the target's path, still percent-encoded
  std::string path;      // the path, percent-decoded
  // Decoded query parameters in order of appearance ('+' is a space); a name may repeat.
  std::vector<std::pair<std::string, std::string>> query;
  // Named segments and the wildcard of the matched route (router.h), decoded.
  std::vector<std::pair<std::string, std::string>> path_params;
  HttpHeaders headers;
  std::string body;
  std::string remote_address;  // "ip:port" of the client
  int version_minor = 1;       // HTTP/1.<version_minor>

  // The first value of query parameter `name`.
  std::optional<std::string_view> QueryParam(std::string_view name) const;
  // The value of the route's named segment or wildcard `name`.
  std::optional<std::string_view> PathParam(std::string_view name) const;
  std::optional<std::string_view> Header(std::string_view name) const { return headers.Get(name); }
};

inline constexpr std::string_view kTextPlainUtf8 = "text/plain; charset=utf-8";
inline constexpr std::string_view kApplicationJson = "application/json";

struct HttpResponse {
  int status = 200;
  HttpHeaders headers;
  std::string body;

  // A plain-text response (errors and messages).
  static HttpResponse Text(int status, std::string text);
  // A JSON response with "Content-Type: application/json" exactly.
  static HttpResponse Json(int status, std::string json);
  // A response without a body (Content-Length: 0 on the wire).
  static HttpResponse Empty(int status);

  HttpResponse& WithHeader(std::string name, std::string value) & {
    headers.Add(std::move(name), std::move(value));
    return *this;
  }
  HttpResponse&& WithHeader(std::string name, std::string value) && {
    headers.Add(std::move(name), std::move(value));
    return std::move(*this);
  }
};

// The standard reason phrase of a status code ("Not Found"), or "" for codes without one (e.g. 530).
std::string_view StatusReason(int status);

}  // namespace stdb::server
