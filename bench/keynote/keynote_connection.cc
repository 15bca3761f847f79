#include "bench/keynote/keynote_connection.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <deque>
#include <variant>

#include "server/protocol/v3_framing.h"

namespace stdb::bench::keynote {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace v2 = server::protocol::v2;
using tcp = net::ip::tcp;

namespace {

// Large enough for a row fetch of a few million accounts in one message.
constexpr size_t kMaxIncomingMessage = 256u << 20;

std::string DecodeErrorMessage(const sats::Bytes& error) {
  sats::bsatn::Reader r(error);
  std::string message = r.String();
  return r.ok() ? message : "<an error that is not a BSATN string>";
}

}  // namespace

void LoadStats::Merge(const LoadStats& other) {
  latency.Merge(other.latency);
  committed_in_window += other.committed_in_window;
  committed += other.committed;
  rejected += other.rejected;
  internal_errors += other.internal_errors;
  for (const auto& [message, count] : other.errors) errors[message] += count;
  for (size_t i = 0; i < balance_delta.size() && i < other.balance_delta.size(); ++i)
    balance_delta[i] += other.balance_delta[i];
}

void RunState::Fail(const std::string& message) {
  std::lock_guard<std::mutex> lock(failure_mu);
  if (!failure) failure = message;
}

bool RunState::failed() {
  std::lock_guard<std::mutex> lock(failure_mu);
  return failure.has_value();
}

class KeynoteConnection::Impl : public std::enable_shared_from_this<KeynoteConnection::Impl> {
 public:
  Impl(net::io_context& io, const ConnectionConfig& config, const TransferCalls& calls, size_t first_call,
       size_t call_count, LoadStats* stats, RunState* run)
      : resolver_(io),
        ws_(io),
        config_(config),
        calls_(calls),
        first_call_(first_call),
        call_count_(call_count),
        stats_(stats),
        run_(run),
        sent_at_(call_count),
        outstanding_(call_count, 0) {}

  net::any_io_executor executor() { return ws_.get_executor(); }

  void Connect(std::function<void(Status)> done) {
    connect_done_ = std::move(done);
    resolver_.async_resolve(config_.host, config_.port,
                            [self = shared_from_this()](beast::error_code ec, tcp::resolver::results_type results) {
                              if (ec) return self->Fail("resolving " + self->config_.host + ": " + ec.message());
                              self->OnResolved(results);
                            });
  }

  void StartLoad() {
    if (closed_) return;
    loading_ = true;
    Refill(Clock::now());
  }

  void Request(v2::ClientMessage message, uint32_t request_id, std::function<void(Result<v2::ServerMessage>)> done) {
    if (closed_) return done(Error(ErrorCode::kIo, "the connection is closed"));
    control_[request_id] = std::move(done);
    const size_t before = pending_.size();
    v2::EncodeClientMessage(message, pending_);
    pending_sizes_.push_back(pending_.size() - before);
    Pump();
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    loading_ = false;
    FailControlRequests("the connection was closed");
    ws_.async_close(websocket::close_code::normal, [self = shared_from_this()](beast::error_code) {
      beast::error_code ignored;
      self->ws_.next_layer().close(ignored);
    });
  }

 private:
  void OnResolved(const tcp::resolver::results_type& results) {
    net::async_connect(ws_.next_layer(), results, [self = shared_from_this()](beast::error_code ec, const tcp::endpoint&) {
      if (ec) return self->Fail("connecting to " + self->config_.host + ":" + self->config_.port + ": " + ec.message());
      self->OnConnected();
    });
  }

  void OnConnected() {
    ws_.next_layer().set_option(tcp::no_delay(true));
    const char* protocol = config_.protocol == WireProtocol::kV3 ? server::protocol::v3::kSubprotocol
                                                                   : server::protocol::v2::kSubprotocol;
    ws_.set_option(websocket::stream_base::decorator([protocol](websocket::request_type& request) {
      request.set(beast::http::field::sec_websocket_protocol, protocol);
      request.set(beast::http::field::user_agent, "keynote_loadgen");
    }));
    ws_.read_message_max(kMaxIncomingMessage);
    ws_.auto_fragment(false);
    ws_.binary(true);
    const std::string target = "/v1/database/" + config_.database + "/subscribe?compression=None&confirmed=" +
                               (config_.confirmed_reads ? "true" : "false");
    ws_.async_handshake(handshake_response_, config_.host + ":" + config_.port, target,
                        [self = shared_from_this(), protocol](beast::error_code ec) {
                          if (ec) {
                            std::string status = self->handshake_response_.result_int()
                                                     ? " (HTTP " + std::to_string(self->handshake_response_.result_int()) +
                                                           ": " + self->handshake_response_.body() + ")"
                                                     : "";
                            return self->Fail("WebSocket handshake: " + ec.message() + status);
                          }
                          auto chosen = self->handshake_response_[beast::http::field::sec_websocket_protocol];
                          if (chosen != protocol)
                            return self->Fail("the server chose subprotocol '" + std::string(chosen) + "', not " + protocol);
                          self->StartRead();
                        });
  }

  // --- reading -----------------------------------------------------------------------------------------------

  void StartRead() {
    ws_.async_read(read_buffer_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) {
        if (self->closed_) return;
        return self->Fail("reading: " + ec.message());
      }
      self->OnMessage();
    });
  }

  void OnMessage() {
    const auto data = read_buffer_.cdata();
    sats::ByteSpan frame(static_cast<const uint8_t*>(data.data()), data.size());
    if (frame.empty()) return Fail("the server sent an empty message");
    if (frame[0] != 0) return Fail("the server sent a compressed message (tag " + std::to_string(frame[0]) + ")");
    sats::bsatn::Reader reader(frame.subspan(1));
    const Clock::time_point now = Clock::now();
    const bool in_window = now >= run_->measure_begin && now < run_->measure_end;
    size_t answered = 0;
    do {
      auto message = v2::DecodeServerMessage(reader);
      if (!message.ok()) return Fail("undecodable server message: " + message.error().message());
      if (!Handle(*message, now, in_window, answered)) return;
    } while (config_.protocol == WireProtocol::kV3 && !reader.at_end());
    if (!reader.at_end()) return Fail("trailing bytes after a v2 server message");
    read_buffer_.consume(read_buffer_.size());
    if (answered > 0) {
      in_flight_ -= answered;
      run_->in_flight.fetch_sub(int64_t(answered), std::memory_order_relaxed);
      run_->completed.fetch_add(answered, std::memory_order_relaxed);
      Refill(now);
    }
    if (!closed_) StartRead();
  }

  // Returns false after a failure.
  bool Handle(v2::ServerMessage& message, Clock::time_point now, bool in_window, size_t& answered) {
    if (std::holds_alternative<v2::InitialConnection>(message)) {
      if (connect_done_) std::exchange(connect_done_, nullptr)(OkStatus());
      return true;
    }
    if (auto* result = std::get_if<v2::ReducerResult>(&message)) {
      if (result->request_id >= kFirstControlRequestId) return Answer(result->request_id, std::move(message));
      return Completed(*result, now, in_window, answered);
    }
    if (auto* query = std::get_if<v2::OneOffQueryResult>(&message)) return Answer(query->request_id, std::move(message));
    if (std::holds_alternative<v2::TransactionUpdate>(message)) return true;  // not subscribed: none expected
    Fail(std::string("unexpected ") + v2::ServerMessageName(message));
    return false;
  }

  bool Answer(uint32_t request_id, v2::ServerMessage message) {
    auto it = control_.find(request_id);
    if (it == control_.end()) {
      Fail("an answer to request " + std::to_string(request_id) + ", which was never sent");
      return false;
    }
    auto done = std::move(it->second);
    control_.erase(it);
    done(std::move(message));
    return true;
  }

  bool Completed(const v2::ReducerResult& result, Clock::time_point now, bool in_window, size_t& answered) {
    const size_t id = result.request_id;
    if (id < first_call_ || id - first_call_ >= call_count_ || !outstanding_[id - first_call_]) {
      Fail("a ReducerResult for request " + std::to_string(id) + ", which is not outstanding on this connection");
      return false;
    }
    const size_t slot = id - first_call_;
    outstanding_[slot] = 0;
    ++answered;
    switch (result.result.index()) {
      case 0:    // Ok
      case 1: {  // OkEmpty
        const TransferPair& pair = calls_.pair(id);
        stats_->balance_delta[pair.from] -= calls_.amount();
        stats_->balance_delta[pair.to] += calls_.amount();
        ++stats_->committed;
        if (in_window) {
          ++stats_->committed_in_window;
          stats_->latency.Record(uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(now - sent_at_[slot]).count()));
        }
        break;
      }
      case 2:
        ++stats_->rejected;
        ++stats_->errors[DecodeErrorMessage(std::get<v2::ReducerErr>(result.result).error)];
        break;
      default:
        ++stats_->internal_errors;
        ++stats_->errors["internal error: " + std::get<v2::ReducerInternalError>(result.result).message];
        break;
    }
    return true;
  }

  // --- writing -----------------------------------------------------------------------------------------------

  // Issues calls until `inflight` are outstanding, unless the window is over.
  void Refill(Clock::time_point now) {
    if (!loading_) return;
    if (now >= run_->measure_end) {
      loading_ = false;
      return;
    }
    size_t issued = 0;
    while (in_flight_ < config_.inflight) {
      if (outstanding_[next_]) {
        Fail("call " + std::to_string(first_call_ + next_) + " is still unanswered after " + std::to_string(call_count_) +
             " later calls on its connection");
        return;
      }
      sats::ByteSpan call = calls_.message(first_call_ + next_);
      pending_.insert(pending_.end(), call.begin(), call.end());
      pending_sizes_.push_back(call.size());
      sent_at_[next_] = now;
      outstanding_[next_] = 1;
      next_ = next_ + 1 == call_count_ ? 0 : next_ + 1;
      ++in_flight_;
      ++issued;
    }
    run_->in_flight.fetch_add(int64_t(issued), std::memory_order_relaxed);
    Pump();
  }

  // Writes what is pending: all of it as one message on v3, the next message on v2.
  void Pump() {
    if (writing_ || pending_.empty() || closed_) return;
    if (config_.protocol == WireProtocol::kV3) {
      writing_buffer_.swap(pending_);
      pending_.clear();
      pending_sizes_.clear();
    } else {
      const size_t size = pending_sizes_.front();
      pending_sizes_.pop_front();
      writing_buffer_.assign(pending_.begin(), pending_.begin() + ptrdiff_t(size));
      pending_.erase(pending_.begin(), pending_.begin() + ptrdiff_t(size));
    }
    writing_ = true;
    ws_.async_write(net::buffer(writing_buffer_), [self = shared_from_this()](beast::error_code ec, size_t) {
      self->writing_ = false;
      if (ec) {
        if (self->closed_) return;
        return self->Fail("writing: " + ec.message());
      }
      self->Pump();
    });
  }

  // --- failure -----------------------------------------------------------------------------------------------

  void Fail(const std::string& message) {
    run_->Fail("connection to " + config_.host + ":" + config_.port + ": " + message);
    if (connect_done_) std::exchange(connect_done_, nullptr)(Error(ErrorCode::kIo, message));
    FailControlRequests(message);
    closed_ = true;
    loading_ = false;
    beast::error_code ignored;
    ws_.next_layer().close(ignored);
  }

  void FailControlRequests(const std::string& message) {
    auto waiting = std::move(control_);
    control_.clear();
    for (auto& [id, done] : waiting) done(Error(ErrorCode::kIo, message));
  }

  tcp::resolver resolver_;
  websocket::stream<tcp::socket> ws_;
  websocket::response_type handshake_response_;
  const ConnectionConfig& config_;
  const TransferCalls& calls_;
  const size_t first_call_;
  const size_t call_count_;
  LoadStats* const stats_;
  RunState* const run_;

  std::function<void(Status)> connect_done_;
  std::map<uint32_t, std::function<void(Result<v2::ServerMessage>)>> control_;
  bool closed_ = false;
  bool loading_ = false;

  beast::flat_buffer read_buffer_;
  sats::Bytes pending_;               // encoded messages not yet handed to the socket
  std::deque<size_t> pending_sizes_;  // their lengths (v2 sends each as its own WebSocket message)
  sats::Bytes writing_buffer_;
  bool writing_ = false;

  std::vector<Clock::time_point> sent_at_;  // by slot (request id - first_call_)
  std::vector<uint8_t> outstanding_;        // by slot
  size_t next_ = 0;                         // the slot of the next call to issue
  size_t in_flight_ = 0;
};

KeynoteConnection::KeynoteConnection(net::io_context& io, const ConnectionConfig& config, const TransferCalls& calls,
                                     size_t first_call, size_t call_count, LoadStats* stats, RunState* run)
    : impl_(std::make_shared<Impl>(io, config, calls, first_call, call_count, stats, run)) {}

KeynoteConnection::~KeynoteConnection() = default;

void KeynoteConnection::Connect(std::function<void(Status)> done) {
  net::post(impl_->executor(), [impl = impl_, done = std::move(done)]() mutable { impl->Connect(std::move(done)); });
}

void KeynoteConnection::StartLoad() {
  net::post(impl_->executor(), [impl = impl_] { impl->StartLoad(); });
}

void KeynoteConnection::Request(v2::ClientMessage message, uint32_t request_id,
                                std::function<void(Result<v2::ServerMessage>)> done) {
  net::post(impl_->executor(), [impl = impl_, message = std::move(message), request_id, done = std::move(done)]() mutable {
    impl->Request(std::move(message), request_id, std::move(done));
  });
}

void KeynoteConnection::Close() {
  net::post(impl_->executor(), [impl = impl_] { impl->Close(); });
}

}  // namespace stdb::bench::keynote
