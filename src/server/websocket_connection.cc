#include "server/websocket_connection.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <algorithm>
#include <chrono>
#include <optional>

namespace stdb::server {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace detail {
namespace {

constexpr size_t kReadChunkBytes = 64 * 1024;
// A read buffer that grew beyond this for a large message is given back once the message is delivered.
constexpr size_t kKeepReadBufferBytes = 64 * 1024;

}  // namespace

class WebSocketConnection final : public WebSocketTransport,
                                  public ManagedConnection,
                                  public std::enable_shared_from_this<WebSocketConnection> {
 public:
  WebSocketConnection(tcp::socket socket, http::request<http::string_body> request, WebSocketAccept accept,
                      std::shared_ptr<WebSocketSession> session, std::shared_ptr<ServerContext> context)
      : executor_(socket.get_executor()),
        ws_(std::move(socket)),
        timer_(executor_),
        request_(std::move(request)),
        subprotocol_(std::move(accept.subprotocol)),
        extra_headers_(std::move(accept.headers)),
        handler_(std::move(accept.handler)),
        session_(std::move(session)),
        context_(std::move(context)),
        options_(session_->options()) {}

  ~WebSocketConnection() override {
    if (registry_id_ != 0) context_->registry.Remove(registry_id_);
    // Destroyed without finishing only when the server tears down its I/O contexts.
    if (phase_ != Phase::kFinished) Finish(kCloseAbnormal, "server stopped", /*abortive=*/true);
  }

  static void Reject(const std::shared_ptr<WebSocketSession>& session,
                     const std::shared_ptr<WebSocketHandler>& handler, std::string reason) {
    if (session) session->MarkClosed();
    if (!handler) return;
    try {
      handler->OnClose(kCloseAbnormal, std::move(reason));
    } catch (...) {
    }
  }

  void Start() {
    // The session's other holders keep only weak references, and while reading is paused no operation is
    // pending, so the connection keeps itself alive until Finish.
    self_ = shared_from_this();
    registry_id_ = context_->registry.Add(shared_from_this());
    ws_.set_option(websocket::stream_base::decorator(
        [protocol = subprotocol_, headers = extra_headers_](websocket::response_type& response) {
          // Beast would name itself and its version here; say who answers instead.
          response.set(http::field::server, "spacetimedb-cpp");
          if (!protocol.empty()) response.set(http::field::sec_websocket_protocol, protocol);
          for (const auto& [name, value] : headers) response.insert(name, value);
        }));
    ws_.read_message_max(0);   // the size cap is enforced here, to close with a reason
    ws_.auto_fragment(false);  // messages are framed by WriteFragment
    ws_.control_callback([this](websocket::frame_type kind, beast::string_view) { OnControlFrame(kind); });
    handshake_deadline_ = Clock::now() + options_.handshake_timeout;
    ScheduleTimer();
    ws_.async_accept(request_, [self = shared_from_this()](beast::error_code ec) { self->OnAccepted(ec); });
  }

  // --- WebSocketTransport (any thread) ---

  void WakeWriter() override {
    net::dispatch(executor_, [self = shared_from_this()] { self->PumpWrites(); });
  }

  void ResumeReading() override {
    net::dispatch(executor_, [self = shared_from_this()] {
      if (self->phase_ != Phase::kOpen || !self->paused_) return;
      self->paused_ = false;
      self->last_received_ = Clock::now();  // the silence while paused was ours
      self->StartRead();
      self->ScheduleTimer();
    });
  }

  void DropSlowClient() override {
    net::dispatch(executor_, [self = shared_from_this()] {
      if (self->phase_ == Phase::kFinished) return;
      TransportMetrics::Increment(self->context_->metrics->websocket_slow_clients_dropped);
      self->dropping_slow_client_ = true;
      // The session dropped the queue and asked for a 1013 close, which goes out after the write in progress.
      // That write gets close_handshake_timeout to finish; a client that does not read at all is aborted then.
      Clock::time_point limit = Clock::now() + self->options_.close_handshake_timeout;
      if (self->write_in_flight_ && self->write_deadline_ > limit) self->write_deadline_ = limit;
      self->ScheduleTimer();
      self->PumpWrites();
    });
  }

  // --- ManagedConnection (any thread) ---

  void BeginShutdown(const std::string& websocket_reason) override {
    // Close() sends what is queued, then the close frame; it is thread-safe and wakes the writer itself.
    session_->Close(kCloseGoingAway, websocket_reason);
  }

  void Abort() override {
    net::dispatch(executor_,
                  [self = shared_from_this()] { self->Finish(kCloseAbnormal, "server stopped", true); });
  }

 private:
  enum class Phase { kHandshake, kOpen, kFinished };

  // --- Handshake ---

  void OnAccepted(beast::error_code ec) {
    if (phase_ == Phase::kFinished) return;
    if (ec) {
      Finish(kCloseAbnormal, "WebSocket handshake failed: " + ec.message(), true);
      return;
    }
    phase_ = Phase::kOpen;
    counted_open_ = true;
    TransportMetrics::Increment(context_->metrics->websocket_sessions_open);
    TransportMetrics::Increment(context_->metrics->websocket_sessions_accepted);
    Clock::time_point now = Clock::now();
    last_received_ = now;
    next_ping_at_ = now + options_.ping_interval;
    if (!session_->AttachTransport(std::weak_ptr<WebSocketTransport>(shared_from_this()))) {
      TransportMetrics::Increment(context_->metrics->websocket_slow_clients_dropped);
      Finish(kCloseAbnormal, "outgoing queue full: the client does not read fast enough", true);
      return;
    }
    try {
      handler_->OnOpen(session_);
    } catch (...) {
    }
    if (phase_ == Phase::kFinished) return;
    ScheduleTimer();
    StartRead();
    PumpWrites();
  }

  // --- Reading ---

  void OnControlFrame(websocket::frame_type kind) {
    last_received_ = Clock::now();
    if (kind == websocket::frame_type::pong) awaiting_pong_ = false;
    if (kind == websocket::frame_type::close && !close_started_ && !peer_closing_) {
      // Beast answers the close and then waits for the client to end the TCP connection; not forever.
      peer_closing_ = true;
      close_deadline_ = last_received_ + options_.close_handshake_timeout;
      ScheduleTimer();
    }
  }

  void StartRead() {
    if (read_in_flight_ || phase_ != Phase::kOpen || close_started_ || stop_reading_) return;
    if (session_->reading_paused()) {
      paused_ = true;
      return;
    }
    size_t room = options_.max_incoming_message_bytes + 1 - message_.size();
    read_in_flight_ = true;
    ws_.async_read_some(message_, std::min(kReadChunkBytes, room),
                        [self = shared_from_this()](beast::error_code ec, size_t n) { self->OnRead(ec, n); });
  }

  void OnRead(beast::error_code ec, size_t n) {
    read_in_flight_ = false;
    if (phase_ == Phase::kFinished) return;
    if (n > 0) last_received_ = Clock::now();
    if (ec) {
      if (ec == websocket::error::closed) {
        if (close_started_) {
          Finish(close_code_sent_, close_reason_sent_, false);
        } else {
          FinishWithPeersClose(/*abortive=*/false);
        }
        return;
      }
      if (close_started_) return;  // the close handshake decides how this ends
      Finish(kCloseAbnormal, "read failed: " + ec.message(), false);
      return;
    }
    if (message_.size() > options_.max_incoming_message_bytes) {
      // Stop reading; the close operation drains the rest of the message while it awaits the client's close.
      message_.clear();
      message_.shrink_to_fit();
      stop_reading_ = true;
      CloseNow(kCloseMessageTooBig, "message too big");
      return;
    }
    if (ws_.is_message_done()) DeliverMessage();
    StartRead();
  }

  void DeliverMessage() {
    bool is_text = ws_.got_text();
    std::string payload(static_cast<const char*>(message_.data().data()), message_.size());
    message_.clear();
    if (message_.capacity() > kKeepReadBufferBytes) message_.shrink_to_fit();
    if (close_started_) return;
    WebSocketSession::Admission admission = session_->AdmitIncoming();
    if (admission == WebSocketSession::Admission::kOverflow) {
      stop_reading_ = true;
      CloseNow(kCloseTryAgainLater, "too many requests");
      return;
    }
    TransportMetrics::Increment(context_->metrics->websocket_messages_in);
    TransportMetrics::Increment(context_->metrics->websocket_bytes_in, payload.size());
    try {
      handler_->OnMessage(std::move(payload), is_text);
    } catch (...) {
    }
  }

  // --- Writing ---

  void PumpWrites() {
    if (write_in_flight_ || close_started_ || phase_ != Phase::kOpen) return;
    WebSocketSession::Outgoing message;
    WebSocketSession::CloseRequest close;
    switch (session_->TakeNextWrite(&message, &close)) {
      case WebSocketSession::NextWrite::kMessage:
        current_ = std::move(message);
        current_offset_ = 0;
        ws_.binary(current_.binary);
        WriteFragment();
        break;
      case WebSocketSession::NextWrite::kClose:
        StartClose(close.code, std::move(close.reason));
        break;
      case WebSocketSession::NextWrite::kNothing:
        break;
    }
  }

  void WriteFragment() {
    std::string_view bytes = current_.bytes();
    size_t remaining = bytes.size() - current_offset_;
    size_t fragment = options_.write_fragment_bytes == 0 ? remaining : options_.write_fragment_bytes;
    size_t n = std::min(remaining, fragment);
    bool fin = current_offset_ + n == bytes.size();
    write_in_flight_ = true;
    write_deadline_ = Clock::now() + options_.write_timeout;
    ScheduleTimer();
    ws_.async_write_some(
        fin, net::buffer(bytes.data() + current_offset_, n),
        [self = shared_from_this()](beast::error_code ec, size_t written) { self->OnWrite(ec, written); });
  }

  void OnWrite(beast::error_code ec, size_t written) {
    write_in_flight_ = false;
    if (phase_ == Phase::kFinished) return;
    if (ec) {
      if (!close_started_) Finish(kCloseAbnormal, "write failed: " + ec.message(), true);
      return;
    }
    current_offset_ += written;
    if (current_offset_ < current_.bytes().size()) {
      WriteFragment();
      return;
    }
    TransportMetrics::Increment(context_->metrics->websocket_messages_out);
    TransportMetrics::Increment(context_->metrics->websocket_bytes_out, current_.bytes().size());
    current_ = WebSocketSession::Outgoing{};
    PumpWrites();
  }

  // --- Closing ---

  // A close the transport decides on: what is queued is dropped and the close frame goes next.
  void CloseNow(uint16_t code, std::string reason) {
    session_->CloseNow(code, std::move(reason));
    PumpWrites();
  }

  void StartClose(uint16_t code, std::string reason) {
    close_started_ = true;
    close_code_sent_ = code;
    close_reason_sent_ = reason;
    close_deadline_ = Clock::now() + options_.close_handshake_timeout;
    ScheduleTimer();
    if (ping_in_flight_) return;  // Beast allows one control-frame write at a time; OnPingSent sends it
    SendCloseFrame();
  }

  void SendCloseFrame() {
    close_frame_sent_ = true;
    ws_.async_close(
        websocket::close_reason(static_cast<websocket::close_code>(close_code_sent_), close_reason_sent_),
        [self = shared_from_this()](beast::error_code ec) { self->OnCloseDone(ec); });
  }

  void OnCloseDone(beast::error_code ec) {
    if (phase_ == Phase::kFinished) return;
    Finish(close_code_sent_, close_reason_sent_, /*abortive=*/static_cast<bool>(ec));
  }

  // --- Keepalive and deadlines ---

  void SendPing() {
    ping_in_flight_ = true;
    awaiting_pong_ = true;
    ws_.async_ping({}, [self = shared_from_this()](beast::error_code ec) { self->OnPingSent(ec); });
  }

  void OnPingSent(beast::error_code ec) {
    ping_in_flight_ = false;
    if (phase_ == Phase::kFinished) return;
    if (close_started_) {
      if (!close_frame_sent_) SendCloseFrame();
      return;
    }
    if (ec) Finish(kCloseAbnormal, "ping failed: " + ec.message(), true);
  }

  Clock::time_point NextDeadline() const {
    Clock::time_point next = Clock::time_point::max();
    if (phase_ == Phase::kHandshake) return handshake_deadline_;
    if (phase_ != Phase::kOpen) return next;
    if (close_started_ || peer_closing_) {
      next = close_deadline_;
    } else {
      if (!paused_) next = std::min(next, last_received_ + options_.idle_timeout);
      next = std::min(next, next_ping_at_);
    }
    if (write_in_flight_) next = std::min(next, write_deadline_);
    return next;
  }

  void ScheduleTimer() {
    Clock::time_point next = NextDeadline();
    if (next == Clock::time_point::max()) return;
    if (timer_waiting_ && timer_expiry_ <= next) return;
    timer_expiry_ = next;
    timer_waiting_ = true;
    uint64_t generation = ++timer_generation_;
    timer_.expires_at(next);
    timer_.async_wait([weak = weak_from_this(), generation](beast::error_code) {
      if (auto self = weak.lock()) self->OnTimer(generation);
    });
  }

  void OnTimer(uint64_t generation) {
    if (generation != timer_generation_ || phase_ == Phase::kFinished) return;
    timer_waiting_ = false;
    Clock::time_point now = Clock::now();
    if (phase_ == Phase::kHandshake) {
      if (now >= handshake_deadline_) {
        Finish(kCloseAbnormal, "WebSocket handshake timed out", false);
        return;
      }
    } else if (close_started_) {
      if (now >= close_deadline_) {
        // The client did not answer our close in time. End gracefully unless it has stopped reading (a write
        // still stuck): a reset would make its kernel discard the close frame and the last messages it has
        // not read yet.
        Finish(close_code_sent_, close_reason_sent_, /*abortive=*/write_in_flight_);
        return;
      }
    } else if (peer_closing_) {
      if (now >= close_deadline_) {
        FinishWithPeersClose(/*abortive=*/true);
        return;
      }
    } else {
      if (write_in_flight_ && now >= write_deadline_) {
        if (dropping_slow_client_) {
          Finish(kCloseAbnormal, "outgoing queue full: the client does not read fast enough", true);
        } else {
          TransportMetrics::Increment(context_->metrics->websocket_slow_clients_dropped);
          Finish(kCloseAbnormal, "write timed out: the client does not read", true);
        }
        return;
      }
      if (!paused_ && now >= last_received_ + options_.idle_timeout) {
        TransportMetrics::Increment(context_->metrics->websocket_idle_timeouts);
        Finish(kCloseAbnormal, "idle timeout", false);
        return;
      }
      if (now >= next_ping_at_) {
        // Skip the ping while the previous one is unanswered (spec/client-protocol.md §8.3).
        if (!awaiting_pong_ && !ping_in_flight_) SendPing();
        next_ping_at_ = now + options_.ping_interval;
      }
    }
    ScheduleTimer();
  }

  // Ends with the code and reason of the close frame the client sent.
  void FinishWithPeersClose(bool abortive) {
    const websocket::close_reason& reason = ws_.reason();
    uint16_t code =
        reason.code == websocket::close_code::none ? kCloseNoStatus : static_cast<uint16_t>(reason.code);
    Finish(code, std::string(reason.reason.data(), reason.reason.size()), abortive);
  }

  // The single way a session ends: the socket is closed, pending operations fail, and the handler hears it
  // once. `abortive` closes with a reset, which also discards whatever a client that stopped reading left
  // unsent in the kernel (a plain close would keep that memory until the client reads or TCP gives up).
  void Finish(uint16_t code, std::string reason, bool abortive) {
    if (phase_ == Phase::kFinished) return;
    phase_ = Phase::kFinished;
    beast::error_code ec;
    tcp::socket& socket = ws_.next_layer();
    if (socket.is_open()) {
      if (abortive) socket.set_option(net::socket_base::linger(true, 0), ec);
      socket.close(ec);
    }
    timer_.cancel();
    session_->MarkClosed();
    if (counted_open_) TransportMetrics::Decrement(context_->metrics->websocket_sessions_open);
    // Released last: the caller's own reference (every operation's handler holds one) keeps this alive.
    std::shared_ptr<WebSocketConnection> self = std::move(self_);
    if (!handler_) return;
    try {
      handler_->OnClose(code, std::move(reason));
    } catch (...) {
    }
  }

  const net::any_io_executor executor_;
  websocket::stream<tcp::socket> ws_;
  net::steady_timer timer_;
  http::request<http::string_body> request_;
  const std::string subprotocol_;
  const HttpHeaders extra_headers_;
  const std::shared_ptr<WebSocketHandler> handler_;
  const std::shared_ptr<WebSocketSession> session_;
  const std::shared_ptr<ServerContext> context_;
  const WebSocketOptions& options_;
  uint64_t registry_id_ = 0;
  std::shared_ptr<WebSocketConnection> self_;

  Phase phase_ = Phase::kHandshake;
  bool counted_open_ = false;

  beast::flat_buffer message_;
  bool read_in_flight_ = false;
  bool paused_ = false;        // flow control: waiting for acknowledgements
  bool stop_reading_ = false;  // a transport close (1009, 1013) is under way
  Clock::time_point last_received_;

  WebSocketSession::Outgoing current_;
  size_t current_offset_ = 0;
  bool write_in_flight_ = false;
  Clock::time_point write_deadline_;

  bool ping_in_flight_ = false;
  bool awaiting_pong_ = false;
  Clock::time_point next_ping_at_;

  bool close_started_ = false;
  bool dropping_slow_client_ = false;  // the outgoing queue overflowed (DropSlowClient)
  bool close_frame_sent_ = false;
  bool peer_closing_ = false;  // the client's close frame arrived; Beast is finishing the handshake
  uint16_t close_code_sent_ = kCloseNormal;
  std::string close_reason_sent_;
  Clock::time_point close_deadline_;
  Clock::time_point handshake_deadline_;

  Clock::time_point timer_expiry_ = Clock::time_point::max();
  bool timer_waiting_ = false;
  uint64_t timer_generation_ = 0;
};

}  // namespace detail

void StartWebSocketConnection(tcp::socket socket, http::request<http::string_body> request,
                              WebSocketAccept accept, std::shared_ptr<WebSocketSession> session,
                              std::shared_ptr<ServerContext> context) {
  auto connection = std::make_shared<detail::WebSocketConnection>(
      std::move(socket), std::move(request), std::move(accept), std::move(session), std::move(context));
  connection->Start();
}

void RejectWebSocket(const std::shared_ptr<WebSocketSession>& session,
                     const std::shared_ptr<WebSocketHandler>& handler, std::string reason) {
  detail::WebSocketConnection::Reject(session, handler, std::move(reason));
}

}  // namespace stdb::server
