#include "server/websocket_session.h"

#include <atomic>

namespace stdb::server {
namespace {

// RFC 6455 §5.5: a control frame's payload is at most 125 bytes, two of which hold the code.
constexpr size_t kMaxCloseReasonBytes = 123;

uint64_t NextSessionId() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

// Cuts at a UTF-8 character boundary so that the close frame's reason stays valid UTF-8.
std::string TruncateReason(std::string reason) {
  if (reason.size() <= kMaxCloseReasonBytes) return reason;
  size_t cut = kMaxCloseReasonBytes;
  while (cut > 0 && (static_cast<unsigned char>(reason[cut]) & 0xC0) == 0x80) --cut;
  reason.resize(cut);
  return reason;
}

}  // namespace

WebSocketSession::WebSocketSession(std::string subprotocol, std::string remote_address,
                                   WebSocketOptions options, std::shared_ptr<TransportMetrics> metrics)
    : id_(NextSessionId()),
      subprotocol_(std::move(subprotocol)),
      remote_address_(std::move(remote_address)),
      options_(options),
      metrics_(std::move(metrics)) {}

bool WebSocketSession::Send(std::string payload, bool is_binary) {
  Outgoing message;
  message.owned = std::move(payload);
  message.binary = is_binary;
  return Enqueue(std::move(message));
}

bool WebSocketSession::Send(std::shared_ptr<const std::string> payload, bool is_binary) {
  if (!payload) return false;
  Outgoing message;
  message.shared = std::move(payload);
  message.binary = is_binary;
  return Enqueue(std::move(message));
}

bool WebSocketSession::Enqueue(Outgoing message) {
  std::shared_ptr<detail::WebSocketTransport> to_wake;
  std::shared_ptr<detail::WebSocketTransport> to_drop;
  {
    std::lock_guard lock(mu_);
    if (state_ == State::kClosing || state_ == State::kClosed || overflowed_) return false;
    size_t size = message.bytes().size();
    bool overflow = !queue_.empty() && (queue_.size() >= options_.max_outgoing_messages ||
                                        queued_bytes_ + size > options_.max_outgoing_bytes);
    if (overflow) {
      // The client is not keeping up. Free the memory now; the close frame follows the write in progress, and
      // the transport aborts the connection if even that write does not finish (DropSlowClient).
      overflowed_ = true;
      state_ = State::kClosing;
      queue_.clear();
      queued_bytes_ = 0;
      if (!close_taken_)
        close_request_ = CloseRequest{kCloseTryAgainLater, "too many messages queued: the client does not read fast enough"};
      to_drop = transport_.lock();
    } else {
      queued_bytes_ += size;
      queue_.push_back(std::move(message));
      if (writer_idle_ && state_ == State::kOpen) {
        writer_idle_ = false;
        to_wake = transport_.lock();
      }
    }
  }
  if (to_drop) {
    to_drop->DropSlowClient();
    return false;
  }
  if (to_wake) to_wake->WakeWriter();
  return true;
}

void WebSocketSession::Close(uint16_t code, std::string reason) {
  std::shared_ptr<detail::WebSocketTransport> to_wake;
  {
    std::lock_guard lock(mu_);
    if (state_ == State::kClosing || state_ == State::kClosed) return;
    bool was_open = state_ == State::kOpen;
    state_ = State::kClosing;
    close_request_ = CloseRequest{code, TruncateReason(std::move(reason))};
    if (was_open && writer_idle_) {
      writer_idle_ = false;
      to_wake = transport_.lock();
    }
  }
  if (to_wake) to_wake->WakeWriter();
}

void WebSocketSession::AcknowledgeIncoming(size_t count) {
  std::shared_ptr<detail::WebSocketTransport> to_resume;
  {
    std::lock_guard lock(mu_);
    unacknowledged_ -= std::min(count, unacknowledged_);
    if (reading_paused_ && unacknowledged_ < options_.max_unacknowledged_incoming) {
      reading_paused_ = false;
      to_resume = transport_.lock();
    }
  }
  if (to_resume) to_resume->ResumeReading();
}

WebSocketSession::State WebSocketSession::state() const {
  std::lock_guard lock(mu_);
  return state_;
}

size_t WebSocketSession::queued_messages() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

size_t WebSocketSession::queued_bytes() const {
  std::lock_guard lock(mu_);
  return queued_bytes_;
}

bool WebSocketSession::AttachTransport(std::weak_ptr<detail::WebSocketTransport> transport) {
  std::lock_guard lock(mu_);
  transport_ = std::move(transport);
  if (overflowed_ || state_ == State::kClosed) return false;
  if (state_ == State::kConnecting) state_ = State::kOpen;
  // The transport starts writing right after attaching, so the writer is not idle.
  writer_idle_ = false;
  return true;
}

WebSocketSession::NextWrite WebSocketSession::TakeNextWrite(Outgoing* message, CloseRequest* close) {
  std::lock_guard lock(mu_);
  if (!queue_.empty()) {
    *message = std::move(queue_.front());
    queue_.pop_front();
    queued_bytes_ -= message->bytes().size();
    return NextWrite::kMessage;
  }
  if (close_request_ && !close_taken_) {
    close_taken_ = true;
    *close = *close_request_;
    return NextWrite::kClose;
  }
  writer_idle_ = true;
  return NextWrite::kNothing;
}

void WebSocketSession::CloseNow(uint16_t code, std::string reason) {
  std::lock_guard lock(mu_);
  if (state_ == State::kClosed) return;
  state_ = State::kClosing;
  queue_.clear();
  queued_bytes_ = 0;
  if (!close_taken_) close_request_ = CloseRequest{code, TruncateReason(std::move(reason))};
}

WebSocketSession::Admission WebSocketSession::AdmitIncoming() {
  std::lock_guard lock(mu_);
  size_t limit = options_.max_unacknowledged_incoming;
  if (limit == 0) return Admission::kDeliver;
  if (unacknowledged_ >= limit) return Admission::kOverflow;
  ++unacknowledged_;
  if (unacknowledged_ >= limit && options_.incoming_overflow == IncomingOverflow::kPauseReading) {
    reading_paused_ = true;
    return Admission::kDeliverThenPause;
  }
  return Admission::kDeliver;
}

bool WebSocketSession::reading_paused() const {
  std::lock_guard lock(mu_);
  return reading_paused_;
}

void WebSocketSession::MarkClosed() {
  std::lock_guard lock(mu_);
  state_ = State::kClosed;
  queue_.clear();
  queued_bytes_ = 0;
  transport_.reset();
}

}  // namespace stdb::server
