#include "cli/websocket_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <openssl/ssl.h>

#include <type_traits>
#include <variant>

#include "cli/http_url.h"

namespace stdb::cli {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;

namespace {

std::string JoinProtocols(const std::vector<std::string>& protocols) {
  std::string out;
  for (const auto& p : protocols) {
    if (!out.empty()) out += ", ";
    out += p;
  }
  return out;
}

// Owns the I/O context and TLS context, which the stream in the derived class refers to: base members are
// constructed first and destroyed last.
class WebSocketBase : public WebSocketClient {
 protected:
  WebSocketBase() : tls_(ssl::context::tls_client) {
    tls_.set_default_verify_paths();
    tls_.set_verify_mode(ssl::verify_peer);
  }
  net::io_context ioc_;
  ssl::context tls_;
};

template <class NextLayer>
class BeastWebSocket final : public WebSocketBase {
 public:
  explicit BeastWebSocket(HttpUrl url) : url_(std::move(url)), ws_(MakeStream()) {}

  Status Connect(const WebSocketClient::Options& options, const std::string& origin) {
    tcp::resolver resolver(ioc_);
    beast::error_code ec;
    auto endpoints = resolver.resolve(url_.host, std::to_string(url_.port), ec);
    if (ec)
      return Error(ErrorCode::kIo, "could not resolve host '" + url_.host + "' of " + origin + ": " + ec.message() +
                                       " — check the server URL (`spacetime server list`)");
    beast::get_lowest_layer(ws_).connect(endpoints, ec);
    if (ec)
      return Error(ErrorCode::kIo,
                   ConnectFailureMessage(origin, ec.message(), ec == net::error::connection_refused));
    if constexpr (!std::is_same_v<NextLayer, beast::tcp_stream>) {
      if (!SSL_set_tlsext_host_name(ws_.next_layer().native_handle(), url_.host.c_str()))
        return Error(ErrorCode::kIo, "cannot set the TLS server name for " + origin);
      ws_.next_layer().set_verify_callback(ssl::host_name_verification(url_.host));
      ws_.next_layer().handshake(ssl::stream_base::client, ec);
      if (ec) return Error(ErrorCode::kIo, "TLS handshake with " + origin + " failed: " + ec.message());
    }
    return Handshake(options);
  }

  const std::string& protocol() const override { return protocol_; }

  Status SendBinary(const std::string& payload) override { return Send(payload, true); }
  Status SendText(const std::string& payload) override { return Send(payload, false); }

  Result<std::variant<WebSocketMessage, ReadEnd>> Read(std::optional<Clock::time_point> deadline) override {
    using Out = std::variant<WebSocketMessage, ReadEnd>;
    if (broken_) return Out(ReadEnd::kClosed);
    buffer_.clear();
    bool done = false;
    beast::error_code result_ec;
    ws_.async_read(buffer_, [&](beast::error_code ec, size_t) {
      result_ec = ec;
      done = true;
    });
    ioc_.restart();
    if (deadline) {
      while (!done && Clock::now() < *deadline) ioc_.run_one_until(*deadline);
      if (!done) {
        Abort();
        return Out(ReadEnd::kTimedOut);
      }
    } else {
      while (!done) ioc_.run_one();
    }
    if (result_ec == websocket::error::closed || result_ec == net::error::eof ||
        result_ec == http::error::end_of_stream) {
      close_reason_ = std::string(ws_.reason().reason.data(), ws_.reason().reason.size());
      if (ws_.reason().code != websocket::close_code::none && close_reason_.empty())
        close_reason_ = "close code " + std::to_string(static_cast<int>(ws_.reason().code));
      broken_ = true;
      return Out(ReadEnd::kClosed);
    }
    if (result_ec) {
      broken_ = true;
      return Error(ErrorCode::kIo, "lost the WebSocket connection to " + url_.Origin() + ": " + result_ec.message());
    }
    WebSocketMessage message;
    message.binary = ws_.got_binary();
    message.data = beast::buffers_to_string(buffer_.data());
    return Out(std::move(message));
  }

  const std::string& close_reason() const override { return close_reason_; }

  void Close() override {
    if (broken_ || !ws_.is_open()) return;
    broken_ = true;
    bool done = false;
    ws_.async_close(websocket::close_code::normal, [&](beast::error_code) { done = true; });
    ioc_.restart();
    auto deadline = Clock::now() + std::chrono::milliseconds(500);
    while (!done && Clock::now() < deadline) ioc_.run_one_until(deadline);
    if (!done) Abort();
  }

 private:
  websocket::stream<NextLayer> MakeStream() {
    if constexpr (std::is_same_v<NextLayer, beast::tcp_stream>) {
      return websocket::stream<NextLayer>(ioc_);
    } else {
      return websocket::stream<NextLayer>(ioc_, tls_);
    }
  }

  Status Handshake(const WebSocketClient::Options& options) {
    ws_.set_option(websocket::stream_base::decorator([&options](websocket::request_type& req) {
      req.set(http::field::user_agent, CliUserAgent());
      if (!options.subprotocols.empty())
        req.set(http::field::sec_websocket_protocol, JoinProtocols(options.subprotocols));
      for (const auto& [name, value] : options.headers) req.set(name, value);
    }));
    // The asynchronous handshake hands back the server's response even when the upgrade is declined (Boost
    // 1.74's synchronous one does not), so its status and body can be reported.
    websocket::response_type response;
    beast::error_code ec;
    bool done = false;
    ws_.async_handshake(response, url_.Authority(), url_.target, [&](beast::error_code e) {
      ec = e;
      done = true;
    });
    ioc_.restart();
    while (!done) ioc_.run_one();
    if (ec) {
      if (ec == websocket::error::upgrade_declined && response.result_int() != 101) {
        std::string body = response.body();
        while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.pop_back();
        return Error(ErrorCode::kIo, "the server refused the WebSocket connection to " + url_.ToString() + ": " +
                                         std::to_string(response.result_int()) + " " +
                                         std::string(response.reason()) + (body.empty() ? std::string() : ": " + body));
      }
      return Error(ErrorCode::kIo, "WebSocket handshake with " + url_.Origin() + " failed: " + ec.message() +
                                       " — check that the server is a SpacetimeDB server");
    }
    protocol_ = std::string(response[http::field::sec_websocket_protocol]);
    return OkStatus();
  }

  Status Send(const std::string& payload, bool binary) {
    beast::error_code ec;
    ws_.binary(binary);
    ws_.write(net::buffer(payload), ec);
    if (ec) return Error(ErrorCode::kIo, "sending to " + url_.Origin() + " over WebSocket failed: " + ec.message());
    return OkStatus();
  }

  void Abort() {
    broken_ = true;
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().cancel(ignored);
    beast::get_lowest_layer(ws_).socket().close(ignored);
    ioc_.restart();
    ioc_.run();
  }

  HttpUrl url_;
  websocket::stream<NextLayer> ws_;
  beast::flat_buffer buffer_;
  std::string protocol_;
  std::string close_reason_;
  bool broken_ = false;
};

}  // namespace

Result<std::unique_ptr<WebSocketClient>> WebSocketClient::Connect(const Options& options) {
  STDB_ASSIGN_OR_RETURN(HttpUrl url, HttpUrl::Parse(options.url));
  if (url.scheme == "http") url.scheme = "ws";
  if (url.scheme == "https") url.scheme = "wss";
  HttpUrl http_origin = url;
  http_origin.scheme = url.secure() ? "https" : "http";
  std::string origin = http_origin.Origin();
  if (!url.secure()) {
    auto client = std::make_unique<BeastWebSocket<beast::tcp_stream>>(url);
    STDB_RETURN_IF_ERROR(client->Connect(options, origin));
    return std::unique_ptr<WebSocketClient>(std::move(client));
  }
  auto client = std::make_unique<BeastWebSocket<beast::ssl_stream<beast::tcp_stream>>>(url);
  STDB_RETURN_IF_ERROR(client->Connect(options, origin));
  return std::unique_ptr<WebSocketClient>(std::move(client));
}

}  // namespace stdb::cli
