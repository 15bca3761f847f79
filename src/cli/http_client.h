// HttpClient: one HTTP/1.1 request per connection, over plain TCP (http://) or TLS (https://, peer certificate and
// host name verified against the system's trust store), synchronous, built on Boost.Beast.
//
// Send() returns the whole response. Stream() hands the body to a callback piece by piece as it arrives (for
// `spacetime logs --follow`, whose response never ends); the callback returns false to stop reading.
//
// A request that cannot reach the server fails with an Error (kIo) whose message names the server and says what
// to check, e.g. "could not connect to http://127.0.0.1:3000: connection refused — is `spacetime start`
// running?". Any HTTP status is a successful exchange: callers judge the status.
//
// Thread-safety: the functions are reentrant; each call uses its own connection.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sats/result.h"

namespace stdb::cli {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // absolute http(s) URL with path and query
  HttpHeaders headers;
  std::string body;
};

struct HttpResponse {
  int status = 0;
  std::string reason;
  HttpHeaders headers;
  std::string body;

  bool ok() const { return status >= 200 && status < 300; }
  // The first header with this name (case-insensitive).
  std::optional<std::string> Header(std::string_view name) const;
};

Result<HttpResponse> SendHttpRequest(const HttpRequest& request);

// Like SendHttpRequest, but the body goes to `on_body` as it arrives and the returned response has an empty body.
// The callback is invoked only for 2xx responses; other responses are read whole into the returned body.
Result<HttpResponse> StreamHttpRequest(const HttpRequest& request,
                                       const std::function<bool(std::string_view chunk)>& on_body);

// The message for a connection failure to `origin` with the given system error text: connection refused gets
// the `spacetime start` hint.
std::string ConnectFailureMessage(const std::string& origin, const std::string& error_text, bool refused);

// "User-Agent" value sent with every request.
std::string CliUserAgent();

}  // namespace stdb::cli
