// The HTTP/1.1 response wire format (RFC 9112): status line, header fields, and the body framing the server
// chooses. Requests are parsed by Beast in http_connection.cc; responses are written by hand because the
// format is small and writing it directly lets one gathered write carry head and body.
//
//   HTTP/1.1 <status> <reason>\r\n
//   <name>: <value>\r\n ...               the handler's fields, then Date and the framing fields
//   \r\n
//   body                                  Content-Length bytes, or chunks: <hex size>\r\n<data>\r\n ...
//   0\r\n\r\n
//
// Framing is the server's business: Content-Length and Transfer-Encoding fields set by a handler are
// replaced, and "close"/"keep-alive" in its Connection field are decided by the server (other options, like
// "upgrade" on a 426 response, are kept). A handler field whose name is not an RFC 9110 token or whose value
// holds CR, LF or NUL is refused (response splitting), and the server answers 500 instead.
//
// Thread-safety: pure functions (the Date cache is per thread).
#pragma once

#include <ctime>
#include <string>
#include <string_view>

#include "sats/result.h"
#include "server/http_types.h"

namespace stdb::server {

enum class BodyFraming {
  kContentLength,  // the whole body follows the head
  kChunked,        // chunked transfer coding; the body follows later as EncodeChunk()s and kLastChunk
  kUntilClose,     // HTTP/1.0 streaming: raw bytes until the server closes the connection
};

struct ResponseFraming {
  BodyFraming body = BodyFraming::kContentLength;
  bool keep_alive = true;     // false: "Connection: close", and the server closes after the response
  bool head_request = false;  // HEAD: the head says what GET would send; no body is written
  int version_minor = 1;      // the request's HTTP/1.<minor>; a 1.0 client is told "keep-alive" explicitly
};

// The status line and header fields of `response`, ending with the blank line.
Result<std::string> SerializeResponseHead(const HttpResponse& response, const ResponseFraming& framing);

// One chunk of a chunked body; "" for empty data (an empty chunk would end the body).
std::string EncodeChunk(std::string_view data);
inline constexpr std::string_view kLastChunk = "0\r\n\r\n";

// The interim response that tells a client sending "Expect: 100-continue" to send its body.
inline constexpr std::string_view kContinueResponse = "HTTP/1.1 100 Continue\r\n\r\n";

// An IMF-fixdate (RFC 9110 §5.6.7): "Sun, 06 Nov 1994 08:49:37 GMT".
std::string FormatHttpDate(std::time_t time);

// OK if `name` is an RFC 9110 token and `value` holds no CR, LF or NUL.
Status ValidateHeaderField(std::string_view name, std::string_view value);

// Whether status forbids a body (1xx, 204, 304).
bool StatusHasNoBody(int status);

}  // namespace stdb::server
