#include "server/responder.h"

#include <utility>

namespace stdb::server {
namespace detail {

Exchange::~Exchange() {
  if (answered.load(std::memory_order_acquire)) return;
  HttpResponse response = HttpResponse::Text(500, "internal error: the request handler did not respond");
  MergeExtraHeaders(response);
  if (auto connection = target.lock()) connection->CompleteWithResponse(id, std::move(response));
}

void Exchange::MergeExtraHeaders(HttpResponse& response) {
  std::lock_guard lock(mu);
  for (const auto& [name, value] : extra_headers)
    if (!response.headers.Contains(name)) response.headers.Add(name, value);
}

}  // namespace detail

void Responder::Send(HttpResponse response) {
  if (!exchange_ || !exchange_->Claim()) return;
  std::shared_ptr<detail::Exchange> exchange = std::move(exchange_);
  exchange->MergeExtraHeaders(response);
  if (auto target = exchange->target.lock()) target->CompleteWithResponse(exchange->id, std::move(response));
}

ResponseStream Responder::StartStream(HttpResponse head, std::function<void()> on_closed) {
  if (!exchange_ || !exchange_->Claim()) return ResponseStream();
  std::shared_ptr<detail::Exchange> exchange = std::move(exchange_);
  exchange->MergeExtraHeaders(head);
  auto channel =
      std::make_shared<detail::StreamChannel>(exchange->max_stream_buffer_bytes, std::move(on_closed));
  if (!head.body.empty()) channel->Write(std::exchange(head.body, std::string()));
  if (auto target = exchange->target.lock()) {
    target->CompleteWithStream(exchange->id, std::move(head), channel);
  } else {
    channel->MarkClosed();
  }
  return ResponseStream(std::move(channel));
}

std::shared_ptr<WebSocketSession> Responder::AcceptWebSocket(WebSocketAccept accept) {
  if (!exchange_ || !exchange_->Claim()) return nullptr;
  std::shared_ptr<detail::Exchange> exchange = std::move(exchange_);
  WebSocketOptions options = accept.options.value_or(exchange->websocket_options);
  auto session = std::make_shared<WebSocketSession>(accept.subprotocol, exchange->remote_address, options,
                                                    exchange->metrics);
  if (auto target = exchange->target.lock()) {
    target->CompleteWithWebSocket(exchange->id, std::move(accept), session);
  } else {
    session->MarkClosed();
    if (accept.handler) accept.handler->OnClose(kCloseAbnormal, "the client disconnected before the upgrade");
  }
  return session;
}

void Responder::AddResponseHeader(std::string name, std::string value) {
  if (!exchange_) return;
  std::lock_guard lock(exchange_->mu);
  exchange_->extra_headers.Add(std::move(name), std::move(value));
}

}  // namespace stdb::server
