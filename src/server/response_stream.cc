#include "server/response_stream.h"

namespace stdb::server {
namespace detail {

StreamChannel::StreamChannel(size_t max_buffered_bytes, std::function<void()> on_closed)
    : max_buffered_bytes_(max_buffered_bytes), on_closed_(std::move(on_closed)) {}

bool StreamChannel::Write(std::string chunk) {
  if (chunk.empty()) return !closed();
  std::shared_ptr<StreamSink> to_wake;
  std::shared_ptr<StreamSink> to_drop;
  {
    std::lock_guard lock(mu_);
    if (closed_ || finished_) return false;
    if (!chunks_.empty() && buffered_bytes_ + chunk.size() > max_buffered_bytes_) {
      // Refuse writes from now on; the connection drops the client and then runs on_closed.
      closed_ = true;
      chunks_.clear();
      buffered_bytes_ = 0;
      to_drop = sink_.lock();
    } else {
      buffered_bytes_ += chunk.size();
      chunks_.push_back(std::move(chunk));
      if (writer_idle_) {
        writer_idle_ = false;
        to_wake = sink_.lock();
      }
    }
  }
  if (to_drop) {
    to_drop->DropStreamClient();
    return false;
  }
  if (to_wake) to_wake->WakeStreamWriter();
  return true;
}

void StreamChannel::Finish() {
  std::shared_ptr<StreamSink> to_wake;
  {
    std::lock_guard lock(mu_);
    if (finished_) return;
    finished_ = true;
    if (writer_idle_ && !closed_) {
      writer_idle_ = false;
      to_wake = sink_.lock();
    }
  }
  if (to_wake) to_wake->WakeStreamWriter();
}

bool StreamChannel::closed() const {
  std::lock_guard lock(mu_);
  return closed_;
}

void StreamChannel::Attach(std::weak_ptr<StreamSink> sink) {
  std::lock_guard lock(mu_);
  sink_ = std::move(sink);
}

StreamChannel::Next StreamChannel::TakeNext(std::string* chunk) {
  std::lock_guard lock(mu_);
  if (!chunks_.empty()) {
    *chunk = std::move(chunks_.front());
    chunks_.pop_front();
    buffered_bytes_ -= chunk->size();
    return Next::kChunk;
  }
  if (finished_) return Next::kEnd;
  writer_idle_ = true;
  return Next::kNothing;
}

void StreamChannel::MarkClosed() {
  std::function<void()> callback;
  {
    std::lock_guard lock(mu_);
    if (notified_) return;
    notified_ = true;
    closed_ = true;
    chunks_.clear();
    buffered_bytes_ = 0;
    sink_.reset();
    callback = std::move(on_closed_);
  }
  if (callback) callback();
}

}  // namespace detail

ResponseStream::ResponseStream(std::shared_ptr<detail::StreamChannel> channel) {
  if (!channel) return;
  producer_ = std::make_shared<Producer>();
  producer_->channel = std::move(channel);
}

bool ResponseStream::Write(std::string chunk) {
  return producer_ && producer_->channel->Write(std::move(chunk));
}

void ResponseStream::Finish() {
  if (producer_) producer_->channel->Finish();
}

bool ResponseStream::closed() const {
  return !producer_ || producer_->channel->closed();
}

}  // namespace stdb::server
