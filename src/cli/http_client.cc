#include "cli/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <openssl/ssl.h>

#include <strings.h>

#include <limits>

#include "cli/http_url.h"
#include "cli/version.h"

namespace stdb::cli {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;

namespace {

constexpr uint64_t kMaxBodyBytes = uint64_t{1} << 30;

Error NetworkError(const std::string& origin, const std::string& what) {
  return Error(ErrorCode::kIo, "request to " + origin + " failed: " + what +
                                   " — check that the server is running and reachable (`spacetime server ping`)");
}

Result<http::verb> VerbOf(const std::string& method) {
  http::verb verb = http::string_to_verb(method);
  if (verb == http::verb::unknown) return Error(ErrorCode::kInternal, "unknown HTTP method " + method);
  return verb;
}

HttpResponse FromBeastHeader(const http::response_header<>& header) {
  HttpResponse response;
  response.status = static_cast<int>(header.result_int());
  response.reason = std::string(header.reason());
  for (const auto& field : header) response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  return response;
}

// Connects the TCP layer of `stream` to the URL's host.
Status ConnectTcp(net::io_context& ioc, beast::tcp_stream& stream, const HttpUrl& url) {
  tcp::resolver resolver(ioc);
  beast::error_code ec;
  auto endpoints = resolver.resolve(url.host, std::to_string(url.port), ec);
  if (ec)
    return Error(ErrorCode::kIo, "could not resolve host '" + url.host + "' of " + url.Origin() + ": " + ec.message() +
                                     " — check the server URL (`spacetime server list`)");
  stream.connect(endpoints, ec);
  if (ec)
    return Error(ErrorCode::kIo, ConnectFailureMessage(url.Origin(), ec.message(),
                                                        ec == net::error::connection_refused));
  return OkStatus();
}

template <class Stream>
Result<HttpResponse> Exchange(Stream& stream, const HttpUrl& url, const HttpRequest& request,
                              const std::function<bool(std::string_view)>* on_body) {
  STDB_ASSIGN_OR_RETURN(http::verb verb, VerbOf(request.method));
  http::request<http::string_body> req{verb, url.target, 11};
  req.set(http::field::host, url.Authority());
  req.set(http::field::user_agent, CliUserAgent());
  req.set(http::field::connection, "close");
  for (const auto& [name, value] : request.headers) req.set(name, value);
  req.body() = request.body;
  if (!request.body.empty() || verb == http::verb::post || verb == http::verb::put) req.prepare_payload();
  beast::error_code ec;
  http::write(stream, req, ec);
  if (ec) return NetworkError(url.Origin(), "sending the request: " + ec.message());

  beast::flat_buffer buffer;
  if (on_body == nullptr) {
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxBodyBytes);
    http::read(stream, buffer, parser, ec);
    if (ec) return NetworkError(url.Origin(), "reading the response: " + ec.message());
    HttpResponse response = FromBeastHeader(parser.get().base());
    response.body = std::move(parser.get().body());
    return response;
  }

  http::response_parser<http::buffer_body> parser;
  // No limit: a followed log never ends. (Boost 1.74 compares the limit wrongly when it is `none`, so use the
  // largest value instead.)
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  http::read_header(stream, buffer, parser, ec);
  if (ec) return NetworkError(url.Origin(), "reading the response: " + ec.message());
  HttpResponse response = FromBeastHeader(parser.get().base());
  bool deliver = response.ok();
  char chunk[16 * 1024];
  while (!parser.is_done()) {
    parser.get().body().data = chunk;
    parser.get().body().size = sizeof(chunk);
    // read_some returns as soon as some body arrived, so a never-ending stream is delivered as it comes.
    http::read_some(stream, buffer, parser, ec);
    if (ec == http::error::need_buffer) ec = {};
    if (ec) {
      if (ec == http::error::end_of_stream || ec == net::error::eof) break;
      return NetworkError(url.Origin(), "reading the response: " + ec.message());
    }
    size_t n = sizeof(chunk) - parser.get().body().size;
    if (n == 0) continue;
    if (!deliver) {
      response.body.append(chunk, n);
      if (response.body.size() > kMaxBodyBytes) break;
    } else if (!(*on_body)(std::string_view(chunk, n))) {
      break;
    }
  }
  return response;
}

Result<HttpResponse> Perform(const HttpRequest& request, const std::function<bool(std::string_view)>* on_body) {
  STDB_ASSIGN_OR_RETURN(HttpUrl url, HttpUrl::Parse(request.url));
  if (url.scheme != "http" && url.scheme != "https")
    return Error(ErrorCode::kInvalidArgument, "'" + request.url + "' is not an http:// or https:// URL");
  net::io_context ioc;
  if (!url.secure()) {
    beast::tcp_stream stream(ioc);
    STDB_RETURN_IF_ERROR(ConnectTcp(ioc, stream, url));
    auto result = Exchange(stream, url, request, on_body);
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    return result;
  }
  ssl::context ctx(ssl::context::tls_client);
  ctx.set_default_verify_paths();
  ctx.set_verify_mode(ssl::verify_peer);
  beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
  if (!SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str()))
    return NetworkError(url.Origin(), "cannot set the TLS server name");
  stream.set_verify_callback(ssl::host_name_verification(url.host));
  STDB_RETURN_IF_ERROR(ConnectTcp(ioc, beast::get_lowest_layer(stream), url));
  beast::error_code ec;
  stream.handshake(ssl::stream_base::client, ec);
  if (ec) return NetworkError(url.Origin(), "TLS handshake: " + ec.message());
  auto result = Exchange(stream, url, request, on_body);
  stream.shutdown(ec);  // servers often close without close_notify; not an error for us
  return result;
}

}  // namespace

std::optional<std::string> HttpResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (key.size() == name.size() && ::strncasecmp(key.data(), name.data(), name.size()) == 0) return value;
  return std::nullopt;
}

std::string ConnectFailureMessage(const std::string& origin, const std::string& error_text, bool refused) {
  if (refused) return "could not connect to " + origin + ": connection refused — is `spacetime start` running?";
  std::string text = error_text;
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return "could not connect to " + origin + ": " + text +
         " — check that the server is running and the URL is right (`spacetime server list`)";
}

std::string CliUserAgent() { return std::string("spacetime-cpp/") + kCliVersion; }

Result<HttpResponse> SendHttpRequest(const HttpRequest& request) { return Perform(request, nullptr); }

Result<HttpResponse> StreamHttpRequest(const HttpRequest& request,
                                       const std::function<bool(std::string_view)>& on_body) {
  return Perform(request, &on_body);
}

}  // namespace stdb::cli
