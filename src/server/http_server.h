// HttpServer: the HTTP/1.1 and WebSocket transport the SpacetimeDB routes plug into.
//
// The server listens on one address, accepts connections and spreads them over io_threads I/O threads, each
// running its own event loop (one Asio io_context per thread, so a connection's work never needs a lock and
// never migrates between cores). Every request is handed to the RequestHandler (usually Router::Handle) on
// the connection's I/O thread, with a Responder to answer it now or later from any thread (responder.h).
//
// HTTP/1.1: persistent connections; pipelined requests are read ahead and answered strictly in order, one at
// a time; "Expect: 100-continue" is honoured; HEAD responses carry no body. Limits and their answers:
//   header larger than max_header_bytes                 431, connection closed
//   body larger than max_body_bytes                     413 (as soon as Content-Length says so), closed
//   malformed request                                   400, closed
//   header not complete within header_timeout           408, closed (slow-loris)
//   no body bytes for body_idle_timeout                 408, closed
//   idle keep-alive connection for keep_alive_timeout   closed
//   a response write that stalls for write_timeout      connection aborted
//   more than max_connections connections               new ones closed at once
// After a response with "Connection: close" the server stops sending, then keeps reading (and discarding) for
// up to linger_timeout so that the client reads the response instead of a reset.
//
// Stop: stops accepting, closes idle connections, lets in-flight responses finish with "Connection: close",
// ends streams, closes WebSockets with 1001 and the given reason, and after `grace` aborts whatever is left.
// It returns once every connection is gone and the I/O threads have exited. It must not be called from an I/O
// thread (a handler); the destructor calls it.
//
// Thread-safety: all methods may be called from any thread, except Stop from an I/O thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "sats/result.h"
#include "server/http_types.h"
#include "server/responder.h"
#include "server/transport_metrics.h"
#include "server/websocket_session.h"

namespace stdb::server {

using RequestHandler = std::function<void(HttpRequest request, Responder responder)>;

struct HttpServerOptions {
  std::string listen_address = "127.0.0.1:3000";  // "host:port", "[v6]:port"; port 0 picks a free port
  int io_threads = 1;
  size_t max_connections = 10'000;
  size_t max_header_bytes = 64 * 1024;
  size_t max_body_bytes = 64 * 1024 * 1024;
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_idle_timeout{30'000};
  std::chrono::milliseconds keep_alive_timeout{60'000};
  std::chrono::milliseconds write_timeout{30'000};
  std::chrono::milliseconds linger_timeout{2'000};
  size_t max_stream_buffer_bytes = 8 * 1024 * 1024;  // per streamed response
  WebSocketOptions websocket;                        // defaults for accepted sessions
};

class HttpServer {
 public:
  // Binds, listens and starts the I/O threads. Error kIo if the address cannot be used.
  static Result<std::unique_ptr<HttpServer>> Start(HttpServerOptions options, RequestHandler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // The port actually bound (useful with port 0).
  uint16_t port() const;
  // "ip:port" actually bound.
  std::string local_address() const;

  void Stop(const std::string& websocket_close_reason = "server shutting down",
            std::chrono::milliseconds grace = std::chrono::milliseconds(5'000));

  TransportMetricsSnapshot metrics() const;

  struct Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace stdb::server
