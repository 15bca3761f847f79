#include "server/protocol/v3_framing.h"

#include <string>

#include "server/protocol/server_frame.h"

namespace stdb::server::protocol::v3 {

using sats::ByteSpan;
using sats::Bytes;

Result<v2::ClientMessage> ClientPayloadSplitter::Next() {
  if (failed_) return Error(ErrorCode::kInternal, "v3 client payload: Next() after an error");
  if (reader_.at_end()) {
    failed_ = true;
    if (decoded_ == 0)
      return Error(ErrorCode::kDecode, "v3 client payload: empty; it must hold at least one v2 client message");
    return Error(ErrorCode::kInternal, "v3 client payload: Next() past the end");
  }
  size_t at = reader_.offset();
  auto m = v2::DecodeClientMessage(reader_);
  if (!m.ok()) {
    failed_ = true;
    Error e = std::move(m).error();
    e.Prefix("v3 client payload, message " + std::to_string(decoded_ + 1) + " at offset " + std::to_string(at));
    return e;
  }
  ++decoded_;
  return m;
}

Result<std::vector<v2::ClientMessage>> SplitClientPayload(ByteSpan payload) {
  ClientPayloadSplitter splitter(payload);
  std::vector<v2::ClientMessage> out;
  do {
    auto m = splitter.Next();
    if (!m.ok()) return std::move(m).error();
    out.push_back(std::move(m).value());
  } while (!splitter.done());
  return out;
}

void ServerMessageCoalescer::EnsureBegun() {
  if (pending_.empty()) BeginServerFrame(pending_);
}

std::optional<Bytes> ServerMessageCoalescer::MakeRoom(size_t message_size) {
  if (pending_messages_ == 0) return std::nullopt;
  if (pending_body_size() + message_size <= max_body_) return std::nullopt;
  return Flush();
}

std::optional<Bytes> ServerMessageCoalescer::Add(const v2::ServerMessage& message) {
  auto flushed = MakeRoom(v2::EncodedSize(message));
  EnsureBegun();
  v2::EncodeServerMessage(message, pending_);
  ++pending_messages_;
  return flushed;
}

std::optional<Bytes> ServerMessageCoalescer::AddEncoded(ByteSpan encoded_message) {
  auto flushed = MakeRoom(encoded_message.size());
  EnsureBegun();
  pending_.insert(pending_.end(), encoded_message.begin(), encoded_message.end());
  ++pending_messages_;
  return flushed;
}

std::optional<Bytes> ServerMessageCoalescer::Flush() {
  if (pending_messages_ == 0) return std::nullopt;
  Bytes frame;
  frame.swap(pending_);
  pending_messages_ = 0;
  return frame;
}

Result<std::vector<v2::ServerMessage>> SplitServerBody(ByteSpan body) {
  if (body.empty()) return Error(ErrorCode::kDecode, "v3 server body: empty; it must hold at least one message");
  sats::bsatn::Reader r(body);
  std::vector<v2::ServerMessage> out;
  while (!r.at_end()) {
    size_t at = r.offset();
    auto m = v2::DecodeServerMessage(r);
    if (!m.ok()) {
      Error e = std::move(m).error();
      e.Prefix("v3 server body, message " + std::to_string(out.size() + 1) + " at offset " + std::to_string(at));
      return e;
    }
    out.push_back(std::move(m).value());
  }
  return out;
}

}  // namespace stdb::server::protocol::v3
