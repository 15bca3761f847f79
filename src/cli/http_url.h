// HttpUrl: an absolute http(s) or ws(s) URL split into the parts a client connection needs.
//
//   scheme://host[:port][/path][?query]
//
// The scheme is one of http, https, ws, wss (case-insensitive, stored lower-case); the port defaults to 80 for
// http/ws and 443 for https/wss; IPv6 literals are written in brackets ("http://[::1]:3000"). User info and
// fragments are not supported (SpacetimeDB URLs never carry them). `target` is the path plus query, "/" when
// empty, exactly as it goes on an HTTP request line.
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sats/result.h"

namespace stdb::cli {

struct HttpUrl {
  std::string scheme;  // "http", "https", "ws" or "wss"
  std::string host;    // without brackets
  uint16_t port = 0;
  std::string target = "/";

  static Result<HttpUrl> Parse(std::string_view text);

  bool secure() const { return scheme == "https" || scheme == "wss"; }
  bool default_port() const { return port == (secure() ? 443 : 80); }
  // "host" or "host:port" (port omitted when default), IPv6 in brackets: the Host header value.
  std::string Authority() const;
  // scheme://authority (no target): the server's base URL.
  std::string Origin() const;
  std::string ToString() const { return Origin() + (target == "/" ? "" : target); }
};

// Percent-encodes every byte except unreserved characters (A-Z a-z 0-9 - _ . ~), for path segments and query
// values.
std::string PercentEncode(std::string_view text);

}  // namespace stdb::cli
