// WebSocketSession: one accepted WebSocket connection as the application sees it — a thread-safe handle to
// send messages and close — together with the WebSocketHandler that receives its events.
//
// A route accepts an upgrade with Responder::AcceptWebSocket (responder.h), which returns the session at
// once; the 101 response and the socket work happen on the connection's I/O thread (websocket_connection.cc).
//
// Outgoing: Send queues a message and returns immediately; the I/O thread writes queued messages in order,
// each split into frames of at most write_fragment_bytes. The queue is bounded by max_outgoing_messages and
// max_outgoing_bytes (one message is always accepted into an empty queue, so a single large message cannot be
// refused): a client that does not read fast enough fills it, and the next Send that would overflow drops the
// queue instead of growing memory or slowing the sender, and closes with 1013 once the write in progress is
// done; a client that does not let even that write finish within close_handshake_timeout is aborted (the
// reference always aborts, without a close frame). Close(code, reason) sends what is already queued, then a close frame; after close_handshake_timeout
// without the client's close frame the connection is dropped.
//
// Incoming: each complete message is handed to OnMessage (text frames with is_text = true; the v1.json
// protocol uses them), up to max_incoming_message_bytes (32 MiB, the reference's limit); a larger message is
// answered with close 1009 "message too big" (the reference aborts without a close frame). With
// max_unacknowledged_incoming > 0 the application acknowledges processed messages (AcknowledgeIncoming); when
// that many are outstanding the session either stops reading from the socket until acknowledgements arrive
// (kPauseReading: TCP flow control pushes back on the client) or closes with 1013 "too many requests"
// (kClose: the reference's behaviour).
//
// Keepalive (spec/client-protocol.md §8.3): a ping every ping_interval, skipped while the previous ping is
// unanswered; when nothing at all (data, ping, pong) arrived for idle_timeout the connection is dropped
// without a close frame. The client's pings are answered automatically. While reading is paused by flow
// control the idle timeout does not run (the silence is ours).
//
// Thread-safety: every public WebSocketSession method may be called from any thread and never blocks on the
// network. Handler callbacks run on the session's I/O thread, one at a time, and must not block: an I/O
// thread never runs module code (ARCHITECTURE.md §4); post the work to the database instead.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "server/transport_metrics.h"

namespace stdb::server {

class Responder;

// Close codes (RFC 6455 §7.4.1) the transport uses or reports.
inline constexpr uint16_t kCloseNormal = 1000;
inline constexpr uint16_t kCloseGoingAway = 1001;  // server shutting down, module exited
inline constexpr uint16_t kCloseProtocolError = 1002;
inline constexpr uint16_t kCloseNoStatus = 1005;  // reported only: the peer's close frame had no code
inline constexpr uint16_t kCloseAbnormal = 1006;  // reported only: the connection ended without a close frame
inline constexpr uint16_t kCloseMessageTooBig = 1009;
inline constexpr uint16_t kCloseInternalError = 1011;
inline constexpr uint16_t kCloseTryAgainLater = 1013;  // "too many requests"

enum class IncomingOverflow {
  kPauseReading,  // stop reading the socket until the application acknowledges messages
  kClose,         // close with 1013 "too many requests"
};

struct WebSocketOptions {
  std::chrono::milliseconds ping_interval{15'000};
  std::chrono::milliseconds idle_timeout{30'000};
  std::chrono::milliseconds close_handshake_timeout{250};
  std::chrono::milliseconds handshake_timeout{10'000};  // writing the 101 response
  // A write (one frame) that makes no progress for this long means the client stalled: it is dropped.
  std::chrono::milliseconds write_timeout{30'000};
  size_t max_incoming_message_bytes = 32 * 1024 * 1024;
  size_t max_outgoing_messages = 16'384;
  size_t max_outgoing_bytes = 64 * 1024 * 1024;
  size_t write_fragment_bytes = 64 * 1024;  // the reference uses 4096
  size_t max_unacknowledged_incoming = 0;   // 0: no incoming flow control, no acknowledgements expected
  IncomingOverflow incoming_overflow = IncomingOverflow::kPauseReading;
};

class WebSocketSession;

// Receives the events of one session. Created by the route that accepts the upgrade.
class WebSocketHandler {
 public:
  virtual ~WebSocketHandler() = default;
  // The 101 response was written; messages sent before this are on their way.
  virtual void OnOpen(const std::shared_ptr<WebSocketSession>& session) {}
  virtual void OnMessage(std::string payload, bool is_text) = 0;
  // Called exactly once for every accepted session, also when the handshake never completed. `code` is the
  // close code received from the client or sent by the server, or kCloseAbnormal (1006) if the connection
  // ended without a close handshake (network error, idle timeout, slow client, ...); `reason` says why.
  virtual void OnClose(uint16_t code, std::string reason) {}
};

namespace detail {
class WebSocketConnection;

// The I/O side of a session (websocket_connection.cc). Each method only queues work on the connection's
// I/O thread and returns.
class WebSocketTransport {
 public:
  virtual ~WebSocketTransport() = default;
  virtual void WakeWriter() = 0;      // messages or a close request are queued
  virtual void ResumeReading() = 0;   // acknowledgements made room for incoming messages
  virtual void DropSlowClient() = 0;  // the outgoing queue overflowed
};
}  // namespace detail

class WebSocketSession {
 public:
  enum class State { kConnecting, kOpen, kClosing, kClosed };

  WebSocketSession(std::string subprotocol, std::string remote_address, WebSocketOptions options,
                   std::shared_ptr<TransportMetrics> metrics);
  WebSocketSession(const WebSocketSession&) = delete;
  WebSocketSession& operator=(const WebSocketSession&) = delete;

  // Queues a message. False if the session is closing or closed, or if this message overflowed the outgoing
  // queue (the client is then dropped). Never blocks.
  bool Send(std::string payload, bool is_binary = true);
  // The same for a payload shared with other sessions (encoded once, sent to many).
  bool Send(std::shared_ptr<const std::string> payload, bool is_binary = true);

  // Sends the queued messages, then a close frame with `code` and `reason` (at most 123 bytes; longer reasons
  // are cut). Later Sends are refused. No effect once closing.
  void Close(uint16_t code, std::string reason);

  // Marks `count` delivered messages as processed (only with max_unacknowledged_incoming > 0).
  void AcknowledgeIncoming(size_t count = 1);

  uint64_t id() const { return id_; }
  const std::string& subprotocol() const { return subprotocol_; }
  const std::string& remote_address() const { return remote_address_; }
  const WebSocketOptions& options() const { return options_; }
  State state() const;
  size_t queued_messages() const;
  size_t queued_bytes() const;

 private:
  friend class detail::WebSocketConnection;
  friend class Responder;  // closes a session whose client left before the upgrade

  struct Outgoing {
    std::string owned;
    std::shared_ptr<const std::string> shared;
    bool binary = true;
    std::string_view bytes() const { return shared ? std::string_view(*shared) : std::string_view(owned); }
  };
  struct CloseRequest {
    uint16_t code = kCloseNormal;
    std::string reason;
  };
  enum class NextWrite { kMessage, kClose, kNothing };
  enum class Admission { kDeliver, kDeliverThenPause, kOverflow };

  bool Enqueue(Outgoing message);

  // Transport side (detail::WebSocketConnection, on the I/O thread).
  // Attaches the transport once the handshake completed. Returns false if the session must be dropped at once
  // (its queue overflowed before it opened).
  bool AttachTransport(std::weak_ptr<detail::WebSocketTransport> transport);
  // The next thing to write; kNothing marks the writer idle, so that the next Send wakes it.
  NextWrite TakeNextWrite(Outgoing* message, CloseRequest* close);
  // A close decided by the transport (1009, 1013, ...): drops the queue, the close frame goes next.
  void CloseNow(uint16_t code, std::string reason);
  // Flow control for one complete incoming message.
  Admission AdmitIncoming();
  bool reading_paused() const;
  void MarkClosed();

  const uint64_t id_;
  const std::string subprotocol_;
  const std::string remote_address_;
  const WebSocketOptions options_;
  const std::shared_ptr<TransportMetrics> metrics_;

  mutable std::mutex mu_;
  State state_ = State::kConnecting;
  std::deque<Outgoing> queue_;
  size_t queued_bytes_ = 0;
  bool writer_idle_ = true;
  bool overflowed_ = false;
  std::optional<CloseRequest> close_request_;
  bool close_taken_ = false;
  size_t unacknowledged_ = 0;
  bool reading_paused_ = false;
  std::weak_ptr<detail::WebSocketTransport> transport_;
};

}  // namespace stdb::server
