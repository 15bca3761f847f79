#include "server/http_connection.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <array>
#include <chrono>
#include <deque>
#include <optional>
#include <string>

#include "server/http_wire.h"
#include "server/responder.h"
#include "server/response_stream.h"
#include "server/url.h"
#include "server/websocket_connection.h"

namespace stdb::server {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

// Reads ask for little while a header is expected (idle connections are the many) and for more in a body.
constexpr size_t kHeaderReadBytes = 4 * 1024;
constexpr size_t kBodyReadBytes = 64 * 1024;
// A buffer that grew beyond this for one request is given back before the next.
constexpr size_t kKeepBufferBytes = 16 * 1024;
// Pipelined bytes buffered while a response is pending; beyond this the client waits (TCP backpressure).
constexpr size_t kReadAheadLimitBytes = 64 * 1024;
// Bytes discarded while lingering before the connection is closed regardless.
constexpr size_t kMaxLingerBytes = 1024 * 1024;
// Streamed chunks written together in one write, at most this much.
constexpr size_t kStreamCoalesceBytes = 256 * 1024;

std::string EndpointToString(const tcp::endpoint& endpoint) {
  const auto address = endpoint.address();
  std::string host = address.to_string();
  if (address.is_v6()) host = "[" + host + "]";
  return host + ":" + std::to_string(endpoint.port());
}

class HttpConnection final : public detail::ExchangeTarget,
                             public detail::StreamSink,
                             public ManagedConnection,
                             public std::enable_shared_from_this<HttpConnection> {
 public:
  HttpConnection(tcp::socket socket, std::shared_ptr<ServerContext> context)
      : executor_(socket.get_executor()),
        socket_(std::move(socket)),
        timer_(executor_),
        context_(std::move(context)),
        options_(context_->options) {
    TransportMetrics::Increment(context_->metrics->http_connections_open);
    TransportMetrics::Increment(context_->metrics->http_connections_accepted);
  }

  ~HttpConnection() override {
    if (registry_id_ != 0) context_->registry.Remove(registry_id_);
    TransportMetrics::Decrement(context_->metrics->http_connections_open);
  }

  void Start() {
    beast::error_code ec;
    tcp::endpoint remote = socket_.remote_endpoint(ec);
    if (ec) return;  // the client is already gone
    remote_address_ = EndpointToString(remote);
    registry_id_ = context_->registry.Add(shared_from_this());
    if (phase_ == Phase::kClosed) return;  // the server is stopping
    StartNextRequest();
  }

  // --- ExchangeTarget (any thread) ---

  void CompleteWithResponse(uint64_t exchange_id, HttpResponse response) override {
    net::dispatch(executor_,
                  [self = shared_from_this(), exchange_id, response = std::move(response)]() mutable {
                    self->OnResponse(exchange_id, std::move(response));
                  });
  }

  void CompleteWithStream(uint64_t exchange_id, HttpResponse head,
                          std::shared_ptr<detail::StreamChannel> channel) override {
    net::dispatch(executor_, [self = shared_from_this(), exchange_id, head = std::move(head),
                              channel = std::move(channel)]() mutable {
      self->OnStreamStart(exchange_id, std::move(head), std::move(channel));
    });
  }

  void CompleteWithWebSocket(uint64_t exchange_id, WebSocketAccept accept,
                             std::shared_ptr<WebSocketSession> session) override {
    net::dispatch(executor_, [self = shared_from_this(), exchange_id, accept = std::move(accept),
                              session = std::move(session)]() mutable {
      self->OnWebSocketAccept(exchange_id, std::move(accept), std::move(session));
    });
  }

  // --- StreamSink (any thread) ---

  void WakeStreamWriter() override {
    net::dispatch(executor_, [self = shared_from_this()] {
      if (self->phase_ == Phase::kStreaming) self->PumpStream();
    });
  }

  void DropStreamClient() override {
    net::dispatch(executor_, [self = shared_from_this()] {
      if (self->phase_ == Phase::kStreaming) self->CloseSocket();
    });
  }

  // --- ManagedConnection (any thread) ---

  void BeginShutdown(const std::string& /*websocket_reason*/) override {
    net::dispatch(executor_, [self = shared_from_this()] { self->OnShutdown(); });
  }

  void Abort() override {
    net::dispatch(executor_, [self = shared_from_this()] { self->CloseSocket(); });
  }

 private:
  enum class Phase {
    kIdle,              // waiting for the first byte of a request
    kReadingRequest,    // header or body in progress
    kAwaitingResponse,  // the handler has the request
    kResponding,        // writing a complete response
    kStreaming,         // writing a streamed response
    kLingering,         // response sent with "Connection: close"; draining input before closing
    kClosed,
  };
  enum class AfterWrite { kNothing, kResponseDone, kStreamData, kStreamEnd };

  struct PendingWrite {
    std::string head;
    std::string body;
    AfterWrite after = AfterWrite::kNothing;
  };

  struct PendingUpgrade {
    WebSocketAccept accept;
    std::shared_ptr<WebSocketSession> session;
  };

  // --- Requests ---

  void StartNextRequest() {
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(std::min<size_t>(options_.max_header_bytes, UINT32_MAX)));
    parser_->body_limit(options_.max_body_bytes);
    parser_->eager(false);  // stop after the header, so it can be checked before the body is read
    header_checked_ = false;
    is_upgrade_ = false;
    upgrade_request_.reset();
    if (buffer_.size() == 0 && buffer_.capacity() > kKeepBufferBytes) buffer_.shrink_to_fit();
    if (buffer_.size() > 0) {
      phase_ = Phase::kReadingRequest;
      SetDeadline(options_.header_timeout);
      ParseInput();
    } else {
      phase_ = Phase::kIdle;
      SetDeadline(options_.keep_alive_timeout);
      ReadMore();
    }
  }

  void ReadMore() {
    if (read_in_flight_ || phase_ == Phase::kClosed) return;
    read_in_flight_ = true;
    bool in_body = phase_ == Phase::kReadingRequest && header_checked_;
    // Into a chunk of its own, not into buffer_: a read-ahead may still be pending when the next request is
    // parsed out of buffer_, and consuming buffer_ moves the region such a read would be writing to.
    read_chunk_.resize(in_body ? kBodyReadBytes : kHeaderReadBytes);
    socket_.async_read_some(net::buffer(read_chunk_),
                            [self = shared_from_this()](beast::error_code ec, size_t n) { self->OnRead(ec, n); });
  }

  void OnRead(beast::error_code ec, size_t n) {
    read_in_flight_ = false;
    if (pending_upgrade_) {
      // The read-ahead was cancelled so that the socket can move to the WebSocket.
      PendingUpgrade upgrade = std::move(*pending_upgrade_);
      pending_upgrade_.reset();
      Upgrade(std::move(upgrade.accept), std::move(upgrade.session));
      return;
    }
    if (phase_ == Phase::kClosed) return;
    if (!ec) buffer_.commit(net::buffer_copy(buffer_.prepare(n), net::buffer(read_chunk_.data(), n)));
    if (phase_ == Phase::kLingering) {
      lingered_bytes_ += buffer_.size();
      buffer_.consume(buffer_.size());
      if (ec || lingered_bytes_ > kMaxLingerBytes) {
        CloseSocket();
      } else {
        ReadMore();
      }
      return;
    }
    if (ec) {
      OnReadError(ec);
      return;
    }
    switch (phase_) {
      case Phase::kIdle:
        phase_ = Phase::kReadingRequest;
        SetDeadline(options_.header_timeout);
        ParseInput();
        break;
      case Phase::kReadingRequest:
        if (header_checked_) SetDeadline(options_.body_idle_timeout);
        ParseInput();
        break;
      default:
        // Read-ahead while a response is pending: keep the bytes for the next request.
        if (buffer_.size() < kReadAheadLimitBytes) ReadMore();
        break;
    }
  }

  void OnReadError(beast::error_code ec) {
    switch (phase_) {
      case Phase::kResponding:
        // A client may half-close after its last request; finish the response, then close.
        if (ec == net::error::eof) {
          client_finished_sending_ = true;
          return;
        }
        CloseSocket();
        return;
      default:
        // Idle or mid-request: the client left (or the deadline closed the socket). Awaiting or streaming:
        // the client went away, so the pending answer is dropped and the stream's producer told.
        CloseSocket();
        return;
    }
  }

  void ParseInput() {
    while (phase_ == Phase::kReadingRequest) {
      if (buffer_.size() == 0) {
        ReadMore();
        return;
      }
      beast::error_code ec;
      size_t used = parser_->put(buffer_.data(), ec);
      buffer_.consume(used);
      if (ec == http::error::need_more) {
        ReadMore();
        return;
      }
      if (ec) {
        RejectRequest(ec);
        return;
      }
      if (parser_->is_header_done() && !header_checked_) {
        header_checked_ = true;
        OnHeaderComplete();
      }
      if (parser_->is_done()) {
        Dispatch();
        return;
      }
    }
  }

  void OnHeaderComplete() {
    parser_->eager(true);
    is_upgrade_ = parser_->upgrade();
    if (!parser_->is_done()) {
      SetDeadline(options_.body_idle_timeout);
      auto expect = parser_->get().find(http::field::expect);
      if (expect != parser_->get().end() && EqualsIgnoreCase(expect->value(), "100-continue"))
        QueueWrite(std::string(kContinueResponse), {}, AfterWrite::kNothing);
    }
  }

  void RejectRequest(beast::error_code ec) {
    TransportMetrics::Increment(context_->metrics->http_bad_requests);
    HttpResponse response;
    if (ec == http::error::header_limit) {
      response = HttpResponse::Text(431, "request header fields too large (limit " +
                                             std::to_string(options_.max_header_bytes) + " bytes)");
    } else if (ec == http::error::body_limit) {
      response = HttpResponse::Text(
          413, "request body too large (limit " + std::to_string(options_.max_body_bytes) + " bytes)");
    } else {
      response = HttpResponse::Text(400, "malformed HTTP request: " + ec.message());
    }
    head_request_ = false;
    version_minor_ = 1;
    StartResponse(std::move(response), /*keep_alive=*/false);
  }

  void Dispatch() {
    auto& message = parser_->get();
    HttpRequest request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    request.version_minor = static_cast<int>(message.version() % 10);
    for (const auto& field : message)
      request.headers.Add(std::string(field.name_string()), std::string(field.value()));
    request.body = std::move(message.body());
    request.remote_address = remote_address_;
    keep_alive_ = parser_->keep_alive();
    head_request_ = request.method == "HEAD";
    version_minor_ = request.version_minor;
    client_finished_sending_ = false;

    if (Status s = DecodeTarget(request); !s.ok()) {
      StartResponse(HttpResponse::Text(400, s.error().message()), keep_alive_);
      return;
    }
    if (stopping_) {
      StartResponse(HttpResponse::Text(503, "server shutting down"), /*keep_alive=*/false);
      return;
    }
    if (is_upgrade_) upgrade_request_ = std::move(message);

    phase_ = Phase::kAwaitingResponse;
    ClearDeadline();
    // Until the exchange ends, nothing else may hold the connection: the handler works, a stream waits for
    // its producer, and the only operation pending (if any) is the read-ahead, which stops at its limit.
    self_ = shared_from_this();
    ++exchange_id_;
    TransportMetrics::Increment(context_->metrics->http_requests);
    auto exchange = std::make_shared<detail::Exchange>();
    exchange->target = std::weak_ptr<detail::ExchangeTarget>(shared_from_this());
    exchange->id = exchange_id_;
    exchange->remote_address = remote_address_;
    exchange->max_stream_buffer_bytes = options_.max_stream_buffer_bytes;
    exchange->websocket_options = options_.websocket;
    exchange->metrics = context_->metrics;
    try {
      context_->handler(std::move(request), Responder(std::move(exchange)));
    } catch (...) {
      // A Responder destroyed while unwinding has answered 500; one kept elsewhere answers later.
    }
    // Read ahead (pipelined requests, disconnects) unless the socket may become a WebSocket.
    if (phase_ == Phase::kAwaitingResponse && !is_upgrade_) ReadMore();
  }

  static Status DecodeTarget(HttpRequest& request) {
    auto target = SplitRequestTarget(request.target);
    if (!target.ok()) return Error(ErrorCode::kInvalidArgument, "Invalid URL: " + target.error().message());
    request.raw_path = std::string(target->raw_path);
    auto path = PercentDecode(target->raw_path);
    if (!path.ok()) return Error(ErrorCode::kInvalidArgument, "Invalid URL: path: " + path.error().message());
    request.path = std::move(path).value();
    auto query = ParseQueryString(target->raw_query);
    if (!query.ok())
      return Error(ErrorCode::kInvalidArgument, "Invalid URL: query: " + query.error().message());
    request.query = std::move(query).value();
    return OkStatus();
  }

  // --- Responses ---

  void OnResponse(uint64_t exchange_id, HttpResponse response) {
    if (exchange_id != exchange_id_ || phase_ != Phase::kAwaitingResponse) return;
    upgrade_request_.reset();
    bool keep_alive = keep_alive_ && !stopping_ && !response.headers.HasToken("Connection", "close");
    StartResponse(std::move(response), keep_alive);
  }

  void StartResponse(HttpResponse response, bool keep_alive) {
    phase_ = Phase::kResponding;
    response_keep_alive_ = keep_alive;
    ResponseFraming framing;
    framing.keep_alive = keep_alive;
    framing.head_request = head_request_;
    framing.version_minor = version_minor_;
    auto head = SerializeResponseHead(response, framing);
    if (!head.ok()) {
      response = HttpResponse::Text(500, "internal error: invalid response: " + head.error().message());
      head = SerializeResponseHead(response, framing);
    }
    std::string body;
    if (!head_request_ && !StatusHasNoBody(response.status)) body = std::move(response.body);
    QueueWrite(std::move(head).value(), std::move(body), AfterWrite::kResponseDone);
  }

  void OnStreamStart(uint64_t exchange_id, HttpResponse head,
                     std::shared_ptr<detail::StreamChannel> channel) {
    if (exchange_id != exchange_id_ || phase_ != Phase::kAwaitingResponse) {
      channel->MarkClosed();
      return;
    }
    upgrade_request_.reset();
    phase_ = Phase::kStreaming;
    stream_ = std::move(channel);
    ResponseFraming framing;
    framing.body = version_minor_ == 0 ? BodyFraming::kUntilClose : BodyFraming::kChunked;
    framing.keep_alive = keep_alive_ && !stopping_ && framing.body == BodyFraming::kChunked;
    framing.head_request = head_request_;
    framing.version_minor = version_minor_;
    stream_framing_ = framing.body;
    response_keep_alive_ = framing.keep_alive;
    auto serialized = SerializeResponseHead(head, framing);
    if (!serialized.ok()) {
      stream_->MarkClosed();
      stream_.reset();
      StartResponse(
          HttpResponse::Text(500, "internal error: invalid response: " + serialized.error().message()),
          response_keep_alive_);
      return;
    }
    stream_->Attach(std::weak_ptr<detail::StreamSink>(shared_from_this()));
    QueueWrite(std::move(serialized).value(), {}, AfterWrite::kStreamData);
    // Reading on is how a client that goes away is noticed (and pipelined requests wait in the buffer).
    if (!is_upgrade_) ReadMore();
  }

  void PumpStream() {
    if (phase_ != Phase::kStreaming || write_in_flight_) return;
    if (head_request_ || stopping_) {
      // HEAD has no body; a stopping server ends the body now.
      stream_->MarkClosed();
      EndStream();
      return;
    }
    std::string data;
    std::string chunk;
    for (;;) {
      detail::StreamChannel::Next next = stream_->TakeNext(&chunk);
      if (next == detail::StreamChannel::Next::kChunk) {
        data += stream_framing_ == BodyFraming::kChunked ? EncodeChunk(chunk) : chunk;
        if (data.size() >= kStreamCoalesceBytes) break;
        continue;
      }
      if (next == detail::StreamChannel::Next::kEnd && data.empty()) {
        EndStream();
        return;
      }
      break;  // kNothing: the channel wakes us when the producer writes; kEnd: after this data
    }
    if (!data.empty()) QueueWrite(std::move(data), {}, AfterWrite::kStreamData);
  }

  void EndStream() {
    if (stream_framing_ == BodyFraming::kChunked && !head_request_) {
      QueueWrite(std::string(kLastChunk), {}, AfterWrite::kStreamEnd);
      return;
    }
    stream_.reset();
    FinishExchange();
  }

  void FinishExchange() {
    if (phase_ == Phase::kClosed) return;
    self_.reset();  // the pending read or the next request's read keeps the connection from here
    if (!response_keep_alive_ || stopping_ || client_finished_sending_) {
      StartLinger();
      return;
    }
    StartNextRequest();
  }

  // --- WebSocket upgrade ---

  void OnWebSocketAccept(uint64_t exchange_id, WebSocketAccept accept,
                         std::shared_ptr<WebSocketSession> session) {
    if (exchange_id != exchange_id_ || phase_ != Phase::kAwaitingResponse) {
      RejectWebSocket(session, accept.handler, "the client disconnected before the upgrade");
      return;
    }
    auto refuse = [&](HttpResponse response, const std::string& why, bool keep_alive) {
      RejectWebSocket(session, accept.handler, why);
      upgrade_request_.reset();
      StartResponse(std::move(response), keep_alive);
    };
    if (!accept.handler) {
      refuse(HttpResponse::Text(500, "internal error: WebSocket accepted without a handler"), "no handler",
             false);
      return;
    }
    if (!upgrade_request_) {
      refuse(
          HttpResponse::Text(500, "internal error: accepted a WebSocket on a request that is not an upgrade"),
          "not an upgrade request", keep_alive_);
      return;
    }
    for (const auto& [name, value] : accept.headers) {
      if (Status s = ValidateHeaderField(name, value); !s.ok()) {
        refuse(HttpResponse::Text(500, "internal error: " + s.error().message()), s.error().message(), false);
        return;
      }
    }
    if (stopping_) {
      refuse(HttpResponse::Text(503, "server shutting down"), "server shutting down", false);
      return;
    }
    if (read_in_flight_) {
      pending_upgrade_ = PendingUpgrade{std::move(accept), std::move(session)};
      beast::error_code ec;
      socket_.cancel(ec);
      return;
    }
    Upgrade(std::move(accept), std::move(session));
  }

  void Upgrade(WebSocketAccept accept, std::shared_ptr<WebSocketSession> session) {
    self_.reset();
    if (phase_ == Phase::kClosed || !socket_.is_open()) {
      RejectWebSocket(session, accept.handler, "the client disconnected before the upgrade");
      return;
    }
    // Bytes after the upgrade request would be WebSocket frames sent before the 101, which RFC 6455 §4.1
    // forbids; they are dropped with this connection's buffer.
    phase_ = Phase::kClosed;
    ClearDeadline();
    timer_.cancel();
    StartWebSocketConnection(std::move(socket_), std::move(*upgrade_request_), std::move(accept),
                             std::move(session), context_);
    upgrade_request_.reset();
  }

  // --- Writing ---

  void QueueWrite(std::string head, std::string body, AfterWrite after) {
    writes_.push_back(PendingWrite{std::move(head), std::move(body), after});
    WriteNext();
  }

  void WriteNext() {
    if (write_in_flight_ || writes_.empty() || phase_ == Phase::kClosed) return;
    current_write_ = std::move(writes_.front());
    writes_.pop_front();
    write_in_flight_ = true;
    SetDeadline(options_.write_timeout);
    std::array<net::const_buffer, 2> buffers{net::buffer(current_write_.head),
                                             net::buffer(current_write_.body)};
    net::async_write(socket_, buffers,
                     [self = shared_from_this()](beast::error_code ec, size_t) { self->OnWrite(ec); });
  }

  void OnWrite(beast::error_code ec) {
    write_in_flight_ = false;
    if (phase_ == Phase::kClosed) return;
    if (ec) {
      CloseSocket();
      return;
    }
    AfterWrite after = current_write_.after;
    current_write_ = PendingWrite{};
    switch (after) {
      case AfterWrite::kNothing:
        if (phase_ == Phase::kReadingRequest) {
          SetDeadline(options_.body_idle_timeout);
        }
        break;
      case AfterWrite::kResponseDone:
        FinishExchange();
        break;
      case AfterWrite::kStreamData:
        ClearDeadline();
        PumpStream();
        break;
      case AfterWrite::kStreamEnd:
        stream_.reset();
        FinishExchange();
        break;
    }
    WriteNext();
  }

  // --- Closing ---

  void OnShutdown() {
    stopping_ = true;
    switch (phase_) {
      case Phase::kIdle:
      case Phase::kReadingRequest:
        CloseSocket();
        break;
      case Phase::kStreaming:
        stream_->MarkClosed();
        PumpStream();
        break;
      default:
        break;  // in-flight answers finish with "Connection: close"
    }
  }

  void StartLinger() {
    phase_ = Phase::kLingering;
    beast::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    if (ec) {
      CloseSocket();
      return;
    }
    lingered_bytes_ = 0;
    buffer_.consume(buffer_.size());
    SetDeadline(options_.linger_timeout);
    ReadMore();
  }

  void CloseSocket() {
    if (phase_ == Phase::kClosed) return;
    phase_ = Phase::kClosed;
    if (stream_) {
      stream_->MarkClosed();
      stream_.reset();
    }
    if (pending_upgrade_) {
      RejectWebSocket(pending_upgrade_->session, pending_upgrade_->accept.handler, "connection closed");
      pending_upgrade_.reset();
    }
    beast::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
    timer_.cancel();
    ClearDeadline();
    self_.reset();
  }

  // --- Deadlines ---

  void SetDeadline(std::chrono::milliseconds from_now) {
    deadline_ = Clock::now() + from_now;
    if (!timer_waiting_ || deadline_ < timer_expiry_) ArmTimer(deadline_);
  }

  void ClearDeadline() { deadline_ = Clock::time_point::max(); }

  void ArmTimer(Clock::time_point when) {
    timer_expiry_ = when;
    timer_waiting_ = true;
    uint64_t generation = ++timer_generation_;
    timer_.expires_at(when);
    timer_.async_wait([weak = weak_from_this(), generation](beast::error_code) {
      if (auto self = weak.lock()) self->OnTimer(generation);
    });
  }

  void OnTimer(uint64_t generation) {
    if (generation != timer_generation_ || phase_ == Phase::kClosed) return;
    timer_waiting_ = false;
    if (deadline_ == Clock::time_point::max()) return;
    if (Clock::now() < deadline_) {
      ArmTimer(deadline_);
      return;
    }
    ClearDeadline();
    OnDeadline();
  }

  void OnDeadline() {
    switch (phase_) {
      case Phase::kReadingRequest:
        if (!write_in_flight_) {
          // Slow-loris: the request did not arrive in time.
          TransportMetrics::Increment(context_->metrics->http_bad_requests);
          head_request_ = false;
          StartResponse(HttpResponse::Text(408, "request timeout"), /*keep_alive=*/false);
          return;
        }
        CloseSocket();
        return;
      case Phase::kAwaitingResponse:
        return;  // handlers take the time they need
      default:
        // Idle keep-alive connection, a stalled write, or the end of lingering.
        CloseSocket();
        return;
    }
  }

  const net::any_io_executor executor_;
  tcp::socket socket_;
  net::steady_timer timer_;
  const std::shared_ptr<ServerContext> context_;
  const HttpServerOptions& options_;
  uint64_t registry_id_ = 0;
  std::string remote_address_;

  Phase phase_ = Phase::kIdle;
  std::shared_ptr<HttpConnection> self_;
  bool stopping_ = false;

  beast::flat_buffer buffer_;    // received, not yet parsed
  std::string read_chunk_;       // the target of the one pending read
  bool read_in_flight_ = false;
  std::optional<http::request_parser<http::string_body>> parser_;
  bool header_checked_ = false;
  size_t lingered_bytes_ = 0;

  // The request being answered.
  uint64_t exchange_id_ = 0;
  bool keep_alive_ = true;
  bool head_request_ = false;
  int version_minor_ = 1;
  bool is_upgrade_ = false;
  bool client_finished_sending_ = false;
  std::optional<http::request<http::string_body>> upgrade_request_;
  std::optional<PendingUpgrade> pending_upgrade_;
  bool response_keep_alive_ = true;
  std::shared_ptr<detail::StreamChannel> stream_;
  BodyFraming stream_framing_ = BodyFraming::kChunked;

  std::deque<PendingWrite> writes_;
  PendingWrite current_write_;
  bool write_in_flight_ = false;

  Clock::time_point deadline_ = Clock::time_point::max();
  Clock::time_point timer_expiry_ = Clock::time_point::max();
  bool timer_waiting_ = false;
  uint64_t timer_generation_ = 0;
};

}  // namespace

void StartHttpConnection(tcp::socket socket, std::shared_ptr<ServerContext> context) {
  auto executor = socket.get_executor();
  auto connection = std::make_shared<HttpConnection>(std::move(socket), std::move(context));
  net::post(executor, [connection] { connection->Start(); });
}

}  // namespace stdb::server
