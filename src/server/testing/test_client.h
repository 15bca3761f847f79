// Test clients for the transport: a blocking HTTP/1.1 client and a blocking WebSocket client, built on
// Beast's client side over real sockets. Every operation has a deadline (timeout, generous by default), so a
// server bug fails a test instead of hanging it; a deadline that passes is an error (kIo, "timed out").
//
// They also do what well-behaved clients do not: send raw bytes, shrink their receive buffer and stop
// reading, so tests can play malformed, slow and stalled clients.
//
// Thread-safety: one client is used by one thread at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sats/result.h"
#include "server/http_types.h"

namespace stdb::server::testing {

inline constexpr std::chrono::milliseconds kDefaultClientTimeout{20'000};

struct ClientResponse {
  int status = 0;
  HttpHeaders headers;
  std::string body;
  bool keep_alive = true;
  bool chunked = false;
};

class TestHttpClient {
 public:
  static Result<std::unique_ptr<TestHttpClient>> Connect(
      uint16_t port, std::chrono::milliseconds timeout = kDefaultClientTimeout);
  ~TestHttpClient();

  // Sends one request (adds Host, and Content-Length when there is a body) without waiting for the answer.
  Status Send(std::string_view method, std::string_view target, const HttpHeaders& headers = {},
              std::string_view body = {});
  Status SendRaw(std::string_view bytes);
  // Reads one complete response.
  Result<ClientResponse> ReadResponse(bool head_request = false);
  Result<ClientResponse> Request(std::string_view method, std::string_view target,
                                 const HttpHeaders& headers = {}, std::string_view body = {});

  // Streaming: the status and headers, then body pieces as they arrive; nullopt once the body is complete.
  Result<ClientResponse> ReadResponseHead();
  Result<std::optional<std::string>> ReadBodyPiece();

  // Reads and discards until the server closes the connection; false if it did not within the timeout.
  bool WaitForServerClose();
  // Everything the server sends until it closes the connection.
  Result<std::string> ReadRawUntilClose();
  void Close();

  void set_timeout(std::chrono::milliseconds timeout);

  struct Impl;

 private:
  explicit TestHttpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

struct WebSocketMessage {
  std::string payload;
  bool is_text = false;
};

struct WebSocketCloseInfo {
  uint16_t code = 0;
  std::string reason;
};

class TestWebSocketClient {
 public:
  struct Options {
    std::string target = "/";
    std::vector<std::string> subprotocols;  // sent as one Sec-WebSocket-Protocol header
    HttpHeaders headers;
    size_t receive_buffer_bytes = 0;  // SO_RCVBUF before connecting; 0: the system default
    std::chrono::milliseconds timeout = kDefaultClientTimeout;
  };

  // Connects and completes the handshake; an error if the server does not answer 101.
  static Result<std::unique_ptr<TestWebSocketClient>> Connect(uint16_t port, Options options);
  ~TestWebSocketClient();

  // The 101 response's headers.
  const HttpHeaders& handshake_headers() const;

  Status Send(std::string_view payload, bool binary = true);
  // The next data message. An error once the connection ended; close_info() then tells whether the server
  // sent a close frame. Pings are answered while reading.
  Result<WebSocketMessage> Receive();
  // Sends `payload` as one message while reading, until the server's close frame or the end of the connection
  // (the write may fail halfway: the server is allowed to stop reading).
  Status SendWhileAwaitingClose(std::string payload);
  Status Close(uint16_t code, std::string_view reason);
  // Sends a ping; its pong is counted while a later Receive reads.
  Status Ping();

  std::optional<WebSocketCloseInfo> close_info() const;
  size_t pings_received() const;
  size_t pongs_received() const;

  void set_timeout(std::chrono::milliseconds timeout);

  struct Impl;

 private:
  explicit TestWebSocketClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace stdb::server::testing
