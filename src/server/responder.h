// Responder: the right and duty to answer one HTTP request, exactly once.
//
// The server hands every request to its handler together with a Responder. The handler may answer at once or
// pass the Responder anywhere — typically into a task for a database thread — and answer later from that
// thread. It answers with exactly one of:
//   Send(response)            a complete response;
//   StartStream(head, ...)    status and headers now, the body as chunks over time (response_stream.h);
//   AcceptWebSocket(accept)   101 Switching Protocols; the connection becomes a WebSocketSession.
// Copies of a Responder share the one answer (so it fits in a std::function): the first answer wins and later
// ones do nothing. When the last copy is destroyed without an answer, the client gets 500, so a request is
// never left hanging.
//
// If the client has gone away (or the server stopped) before the answer, the answer is dropped silently;
// for AcceptWebSocket the handler's OnClose then runs on the calling thread before AcceptWebSocket returns.
//
// Thread-safety: any copy may be used from any thread, concurrently with the others. Answering never blocks:
// the work is queued on the connection's I/O thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "server/http_types.h"
#include "server/response_stream.h"
#include "server/transport_metrics.h"
#include "server/websocket_session.h"

namespace stdb::server {

struct WebSocketAccept {
  std::string subprotocol;  // echoed in Sec-WebSocket-Protocol; empty: no header
  HttpHeaders headers;      // extra 101 headers, e.g. spacetime-identity and spacetime-identity-token
  std::shared_ptr<WebSocketHandler> handler;  // required
  std::optional<WebSocketOptions> options;    // default: HttpServerOptions::websocket
};

namespace detail {

// The connection side of an exchange (http_connection.cc). Each method only queues work on the connection's
// I/O thread (running it inline if called there) and returns.
class ExchangeTarget {
 public:
  virtual ~ExchangeTarget() = default;
  virtual void CompleteWithResponse(uint64_t exchange_id, HttpResponse response) = 0;
  virtual void CompleteWithStream(uint64_t exchange_id, HttpResponse head,
                                  std::shared_ptr<StreamChannel> channel) = 0;
  virtual void CompleteWithWebSocket(uint64_t exchange_id, WebSocketAccept accept,
                                     std::shared_ptr<WebSocketSession> session) = 0;
};

// What the copies of one Responder share: the request's connection and whether it has been answered.
struct Exchange {
  Exchange() = default;
  Exchange(const Exchange&) = delete;
  Exchange& operator=(const Exchange&) = delete;
  ~Exchange();  // answers 500 if nobody answered

  // True for exactly one caller: the one whose answer is sent.
  bool Claim() { return !answered.exchange(true, std::memory_order_acq_rel); }
  // The extra headers, merged into `response` (a header the response sets itself wins).
  void MergeExtraHeaders(HttpResponse& response);

  std::weak_ptr<ExchangeTarget> target;
  uint64_t id = 0;
  std::string remote_address;
  size_t max_stream_buffer_bytes = 0;
  WebSocketOptions websocket_options;
  std::shared_ptr<TransportMetrics> metrics;
  std::atomic<bool> answered{false};
  std::mutex mu;
  HttpHeaders extra_headers;  // AddResponseHeader; guarded by mu
};

}  // namespace detail

class Responder {
 public:
  Responder() = default;  // answers nothing; valid() is false
  explicit Responder(std::shared_ptr<detail::Exchange> exchange) : exchange_(std::move(exchange)) {}

  void Send(HttpResponse response);
  // Sends `head` (status and headers; its body, if any, becomes the first chunk) and returns the body stream.
  // on_closed runs once, on the I/O thread, if the stream closes before Finish (client gone, server stops).
  ResponseStream StartStream(HttpResponse head, std::function<void()> on_closed = {});
  // Completes the WebSocket handshake (the route checked the request first: websocket_upgrade.h). Messages
  // may be sent on the returned session at once; they go out after the 101 response.
  std::shared_ptr<WebSocketSession> AcceptWebSocket(WebSocketAccept accept);

  // Adds a header to whatever response eventually answers (the router's CORS headers use this).
  void AddResponseHeader(std::string name, std::string value);

  // True until some copy answered (false for a moved-from Responder).
  bool valid() const { return exchange_ && !exchange_->answered.load(std::memory_order_acquire); }

 private:
  std::shared_ptr<detail::Exchange> exchange_;
};

}  // namespace stdb::server
