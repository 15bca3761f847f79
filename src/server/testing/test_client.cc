#include "server/testing/test_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <functional>

namespace stdb::server::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

// Runs handlers until `finished` says so or the deadline passes; true if finished.
bool RunUntil(net::io_context& io_context, Clock::time_point deadline,
              const std::function<bool()>& finished) {
  io_context.restart();
  while (!finished()) {
    if (Clock::now() >= deadline) return false;
    if (io_context.run_one_until(deadline) == 0 && io_context.stopped()) return finished();
  }
  return true;
}

// After a deadline passed: close the socket so that pending operations complete, and run them to the end
// (their handlers refer to the caller's stack).
void Abandon(net::io_context& io_context, tcp::socket& socket) {
  beast::error_code ignored;
  socket.close(ignored);
  io_context.restart();
  io_context.run();
}

Error IoError(const std::string& what, beast::error_code ec) {
  return Error(ErrorCode::kIo, what + ": " + ec.message());
}
Error TimedOut(const std::string& what) {
  return Error(ErrorCode::kIo, what + ": timed out");
}

ClientResponse ToClientResponse(http::response<http::string_body>& message, bool keep_alive) {
  ClientResponse response;
  response.status = static_cast<int>(message.result_int());
  for (const auto& field : message)
    response.headers.Add(std::string(field.name_string()), std::string(field.value()));
  response.body = std::move(message.body());
  response.keep_alive = keep_alive;
  response.chunked = message.chunked();
  return response;
}

Status ConnectSocket(net::io_context& io_context, tcp::socket& socket, uint16_t port,
                     std::chrono::milliseconds timeout) {
  bool done = false;
  beast::error_code result;
  socket.async_connect(tcp::endpoint(net::ip::address_v4::loopback(), port), [&](beast::error_code ec) {
    done = true;
    result = ec;
  });
  if (!RunUntil(io_context, Clock::now() + timeout, [&] { return done; })) {
    Abandon(io_context, socket);
    return TimedOut("connect");
  }
  if (result) return IoError("connect", result);
  socket.set_option(tcp::no_delay(true), result);
  return OkStatus();
}

}  // namespace

// --- TestHttpClient
// ------------------------------------------------------------------------------------------

struct TestHttpClient::Impl {
  net::io_context io_context{1};
  tcp::socket socket{io_context};
  beast::flat_buffer buffer;
  std::chrono::milliseconds timeout;
  uint16_t port = 0;
  std::optional<http::response_parser<http::string_body>> stream_parser;
  size_t body_reported = 0;
};

TestHttpClient::TestHttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TestHttpClient::~TestHttpClient() {
  Close();
}

Result<std::unique_ptr<TestHttpClient>> TestHttpClient::Connect(uint16_t port,
                                                                std::chrono::milliseconds timeout) {
  auto impl = std::make_unique<Impl>();
  impl->timeout = timeout;
  impl->port = port;
  STDB_RETURN_IF_ERROR(ConnectSocket(impl->io_context, impl->socket, port, timeout));
  return std::unique_ptr<TestHttpClient>(new TestHttpClient(std::move(impl)));
}

void TestHttpClient::set_timeout(std::chrono::milliseconds timeout) {
  impl_->timeout = timeout;
}

Status TestHttpClient::Send(std::string_view method, std::string_view target, const HttpHeaders& headers,
                            std::string_view body) {
  std::string request;
  request.append(method).append(" ").append(target).append(" HTTP/1.1\r\n");
  if (!headers.Contains("Host")) request += "Host: 127.0.0.1:" + std::to_string(impl_->port) + "\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  if (!body.empty() && !headers.Contains("Content-Length") && !headers.Contains("Transfer-Encoding"))
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  request += "\r\n";
  request.append(body);
  return SendRaw(request);
}

Status TestHttpClient::SendRaw(std::string_view bytes) {
  bool done = false;
  beast::error_code result;
  net::async_write(impl_->socket, net::buffer(bytes.data(), bytes.size()), [&](beast::error_code ec, size_t) {
    done = true;
    result = ec;
  });
  if (!RunUntil(impl_->io_context, Clock::now() + impl_->timeout, [&] { return done; })) {
    Abandon(impl_->io_context, impl_->socket);
    return TimedOut("write");
  }
  if (result) return IoError("write", result);
  return OkStatus();
}

Result<ClientResponse> TestHttpClient::ReadResponse(bool head_request) {
  http::response_parser<http::string_body> parser;
  parser.body_limit(boost::none);
  parser.skip(head_request);
  bool done = false;
  beast::error_code result;
  http::async_read(impl_->socket, impl_->buffer, parser, [&](beast::error_code ec, size_t) {
    done = true;
    result = ec;
  });
  if (!RunUntil(impl_->io_context, Clock::now() + impl_->timeout, [&] { return done; })) {
    Abandon(impl_->io_context, impl_->socket);
    return TimedOut("read response");
  }
  if (result) return IoError("read response", result);
  bool keep_alive = parser.keep_alive();
  return ToClientResponse(parser.get(), keep_alive);
}

Result<ClientResponse> TestHttpClient::Request(std::string_view method, std::string_view target,
                                               const HttpHeaders& headers, std::string_view body) {
  STDB_RETURN_IF_ERROR(Send(method, target, headers, body));
  return ReadResponse(method == "HEAD");
}

Result<ClientResponse> TestHttpClient::ReadResponseHead() {
  impl_->stream_parser.emplace();
  impl_->stream_parser->body_limit(boost::none);
  impl_->body_reported = 0;
  bool done = false;
  beast::error_code result;
  http::async_read_header(impl_->socket, impl_->buffer, *impl_->stream_parser,
                          [&](beast::error_code ec, size_t) {
                            done = true;
                            result = ec;
                          });
  if (!RunUntil(impl_->io_context, Clock::now() + impl_->timeout, [&] { return done; })) {
    Abandon(impl_->io_context, impl_->socket);
    return TimedOut("read response head");
  }
  if (result) return IoError("read response head", result);
  ClientResponse head;
  auto& message = impl_->stream_parser->get();
  head.status = static_cast<int>(message.result_int());
  for (const auto& field : message)
    head.headers.Add(std::string(field.name_string()), std::string(field.value()));
  head.keep_alive = impl_->stream_parser->keep_alive();
  head.chunked = impl_->stream_parser->chunked();
  return head;
}

Result<std::optional<std::string>> TestHttpClient::ReadBodyPiece() {
  if (!impl_->stream_parser) return Error(ErrorCode::kInvalidArgument, "ReadResponseHead first");
  auto& parser = *impl_->stream_parser;
  Clock::time_point deadline = Clock::now() + impl_->timeout;
  for (;;) {
    std::string& body = parser.get().body();
    if (body.size() > impl_->body_reported) {
      std::string piece = body.substr(impl_->body_reported);
      impl_->body_reported = body.size();
      return std::optional<std::string>(std::move(piece));
    }
    if (parser.is_done()) return std::optional<std::string>();
    bool done = false;
    beast::error_code result;
    http::async_read_some(impl_->socket, impl_->buffer, parser, [&](beast::error_code ec, size_t) {
      done = true;
      result = ec;
    });
    if (!RunUntil(impl_->io_context, deadline, [&] { return done; })) {
      Abandon(impl_->io_context, impl_->socket);
      return TimedOut("read body");
    }
    if (result) return IoError("read body", result);
  }
}

bool TestHttpClient::WaitForServerClose() {
  Clock::time_point deadline = Clock::now() + impl_->timeout;
  impl_->buffer.consume(impl_->buffer.size());
  for (;;) {
    bool done = false;
    beast::error_code result;
    impl_->socket.async_read_some(impl_->buffer.prepare(64 * 1024), [&](beast::error_code ec, size_t n) {
      done = true;
      result = ec;
      impl_->buffer.commit(n);
    });
    if (!RunUntil(impl_->io_context, deadline, [&] { return done; })) {
      Abandon(impl_->io_context, impl_->socket);
      return false;
    }
    impl_->buffer.consume(impl_->buffer.size());
    if (result) return true;
  }
}

Result<std::string> TestHttpClient::ReadRawUntilClose() {
  Clock::time_point deadline = Clock::now() + impl_->timeout;
  for (;;) {
    bool done = false;
    beast::error_code result;
    impl_->socket.async_read_some(impl_->buffer.prepare(64 * 1024), [&](beast::error_code ec, size_t n) {
      done = true;
      result = ec;
      impl_->buffer.commit(n);
    });
    if (!RunUntil(impl_->io_context, deadline, [&] { return done; })) {
      Abandon(impl_->io_context, impl_->socket);
      return TimedOut("read until close");
    }
    if (result == net::error::eof || result == net::error::connection_reset) {
      std::string all = beast::buffers_to_string(impl_->buffer.data());
      impl_->buffer.consume(impl_->buffer.size());
      return all;
    }
    if (result) return IoError("read until close", result);
  }
}

void TestHttpClient::Close() {
  beast::error_code ignored;
  impl_->socket.close(ignored);
}

// --- TestWebSocketClient
// -------------------------------------------------------------------------------------

struct TestWebSocketClient::Impl {
  net::io_context io_context{1};
  websocket::stream<tcp::socket> ws{io_context};
  beast::flat_buffer buffer;
  HttpHeaders handshake_headers;
  std::optional<WebSocketCloseInfo> close_info;
  size_t pings = 0;
  size_t pongs = 0;
  std::chrono::milliseconds timeout;

  void RecordClose() {
    const websocket::close_reason& reason = ws.reason();
    close_info = WebSocketCloseInfo{static_cast<uint16_t>(reason.code),
                                    std::string(reason.reason.data(), reason.reason.size())};
  }
};

TestWebSocketClient::TestWebSocketClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

TestWebSocketClient::~TestWebSocketClient() {
  beast::error_code ignored;
  impl_->ws.next_layer().close(ignored);
}

Result<std::unique_ptr<TestWebSocketClient>> TestWebSocketClient::Connect(uint16_t port, Options options) {
  auto impl = std::make_unique<Impl>();
  impl->timeout = options.timeout;
  tcp::socket& socket = impl->ws.next_layer();
  if (options.receive_buffer_bytes > 0) {
    beast::error_code ec;
    socket.open(tcp::v4(), ec);
    if (ec) return IoError("open", ec);
    socket.set_option(net::socket_base::receive_buffer_size(static_cast<int>(options.receive_buffer_bytes)),
                      ec);
    if (ec) return IoError("SO_RCVBUF", ec);
  }
  STDB_RETURN_IF_ERROR(ConnectSocket(impl->io_context, socket, port, options.timeout));

  std::string protocols;
  for (const std::string& p : options.subprotocols) protocols += (protocols.empty() ? "" : ", ") + p;
  impl->ws.set_option(websocket::stream_base::decorator(
      [protocols, headers = options.headers](websocket::request_type& request) {
        if (!protocols.empty()) request.set(http::field::sec_websocket_protocol, protocols);
        for (const auto& [name, value] : headers) request.insert(name, value);
      }));
  impl->ws.read_message_max(0);
  Impl* raw = impl.get();
  impl->ws.control_callback([raw](websocket::frame_type kind, beast::string_view) {
    if (kind == websocket::frame_type::ping) ++raw->pings;
    if (kind == websocket::frame_type::pong) ++raw->pongs;
  });

  websocket::response_type response;
  bool done = false;
  beast::error_code result;
  std::string host = "127.0.0.1:" + std::to_string(port);
  impl->ws.async_handshake(response, host, options.target, [&](beast::error_code ec) {
    done = true;
    result = ec;
  });
  if (!RunUntil(impl->io_context, Clock::now() + options.timeout, [&] { return done; })) {
    Abandon(impl->io_context, socket);
    return TimedOut("WebSocket handshake");
  }
  if (result) {
    return Error(ErrorCode::kIo, "WebSocket handshake: " + result.message() + " (status " +
                                     std::to_string(response.result_int()) + ": " + response.body() + ")");
  }
  for (const auto& field : response)
    impl->handshake_headers.Add(std::string(field.name_string()), std::string(field.value()));
  return std::unique_ptr<TestWebSocketClient>(new TestWebSocketClient(std::move(impl)));
}

const HttpHeaders& TestWebSocketClient::handshake_headers() const {
  return impl_->handshake_headers;
}

void TestWebSocketClient::set_timeout(std::chrono::milliseconds timeout) {
  impl_->timeout = timeout;
}

std::optional<WebSocketCloseInfo> TestWebSocketClient::close_info() const {
  return impl_->close_info;
}

size_t TestWebSocketClient::pings_received() const {
  return impl_->pings;
}

size_t TestWebSocketClient::pongs_received() const {
  return impl_->pongs;
}

Status TestWebSocketClient::Ping() {
  bool done = false;
  beast::error_code result;
  impl_->ws.async_ping({}, [&](beast::error_code ec) {
    done = true;
    result = ec;
  });
  if (!RunUntil(impl_->io_context, Clock::now() + impl_->timeout, [&] { return done; })) {
    Abandon(impl_->io_context, impl_->ws.next_layer());
    return TimedOut("WebSocket ping");
  }
  if (result) return IoError("WebSocket ping", result);
  return OkStatus();
}

Status TestWebSocketClient::Send(std::string_view payload, bool binary) {
  impl_->ws.binary(binary);
  bool done = false;
  beast::error_code result;
  impl_->ws.async_write(net::buffer(payload.data(), payload.size()), [&](beast::error_code ec, size_t) {
    done = true;
    result = ec;
  });
  if (!RunUntil(impl_->io_context, Clock::now() + impl_->timeout, [&] { return done; })) {
    Abandon(impl_->io_context, impl_->ws.next_layer());
    return TimedOut("WebSocket write");
  }
  if (result) return IoError("WebSocket write", result);
  return OkStatus();
}

Result<WebSocketMessage> TestWebSocketClient::Receive() {
  bool done = false;
  beast::error_code result;
  impl_->ws.async_read(impl_->buffer, [&](beast::error_code ec, size_t) {
    done = true;
    result = ec;
  });
  if (!RunUntil(impl_->io_context, Clock::now() + impl_->timeout, [&] { return done; })) {
    Abandon(impl_->io_context, impl_->ws.next_layer());
    return TimedOut("WebSocket read");
  }
  if (result == websocket::error::closed) {
    impl_->RecordClose();
    return Error(ErrorCode::kIo, "WebSocket closed by the server");
  }
  if (result) return IoError("WebSocket read", result);
  WebSocketMessage message;
  message.payload = beast::buffers_to_string(impl_->buffer.data());
  message.is_text = impl_->ws.got_text();
  impl_->buffer.consume(impl_->buffer.size());
  return message;
}

Status TestWebSocketClient::SendWhileAwaitingClose(std::string payload) {
  bool write_done = false;
  bool read_done = false;
  beast::error_code read_result;
  impl_->ws.binary(true);
  impl_->ws.async_write(net::buffer(payload), [&](beast::error_code, size_t) { write_done = true; });
  std::function<void()> read_next = [&] {
    impl_->ws.async_read(impl_->buffer, [&](beast::error_code ec, size_t) {
      impl_->buffer.consume(impl_->buffer.size());
      if (!ec) {
        read_next();  // a data message from the server; keep waiting for the close
        return;
      }
      read_done = true;
      read_result = ec;
    });
  };
  read_next();
  if (!RunUntil(impl_->io_context, Clock::now() + impl_->timeout, [&] { return write_done && read_done; })) {
    Abandon(impl_->io_context, impl_->ws.next_layer());
    return TimedOut("awaiting the server's close");
  }
  if (read_result == websocket::error::closed) {
    impl_->RecordClose();
    return OkStatus();
  }
  return IoError("connection ended without a close frame", read_result);
}

Status TestWebSocketClient::Close(uint16_t code, std::string_view reason) {
  bool done = false;
  beast::error_code result;
  impl_->ws.async_close(websocket::close_reason(static_cast<websocket::close_code>(code), reason),
                        [&](beast::error_code ec) {
                          done = true;
                          result = ec;
                        });
  if (!RunUntil(impl_->io_context, Clock::now() + impl_->timeout, [&] { return done; })) {
    Abandon(impl_->io_context, impl_->ws.next_layer());
    return TimedOut("WebSocket close");
  }
  if (result) return IoError("WebSocket close", result);
  return OkStatus();
}

}  // namespace stdb::server::testing
