// v3 framing (`v3.bsatn.spacetimedb`, spec/client-protocol.md §5): the v2 message schema, but one WebSocket
// message may carry several v2 messages back to back, in both directions, order preserved.
//
//   client -> server   payload = ClientMessage ClientMessage ...      (at least one; no tag byte)
//   server -> client   frame   = tag | ServerMessage ServerMessage ...  (server_frame.h; the tag covers them all)
//
// Client payloads: ClientPayloadSplitter decodes one message at a time, as the reference does (messages before
// a malformed one are still handled; the malformed one closes the connection). An empty payload is an error.
// Handlers should prefer the splitter to SplitClientPayload(): a 32 MiB payload of 13-byte messages would
// otherwise be materialised as millions of messages at once.
//
// Server frames: ServerMessageCoalescer packs the messages that are ready to send into frames whose uncompressed
// body stays within 512 KiB: before a message would take a non-empty body past the limit, the body so far is
// completed as a frame; a single message larger than the limit therefore travels alone.
//
// Thread-safety: the splitter and the coalescer are single-threaded cursors; the functions are reentrant.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "sats/bsatn.h"
#include "sats/result.h"
#include "server/protocol/v2_client_message.h"
#include "server/protocol/v2_server_message.h"

namespace stdb::server::protocol::v3 {

inline constexpr const char* kSubprotocol = "v3.bsatn.spacetimedb";

// Target maximum uncompressed body of one server frame (the compression tag is not counted).
inline constexpr size_t kMaxCoalescedBody = 512 * 1024;

// Decodes the messages of one client payload, in order. The payload must outlive the splitter.
class ClientPayloadSplitter {
 public:
  explicit ClientPayloadSplitter(sats::ByteSpan payload) : reader_(payload) {}

  // True once every byte was decoded into at least one message, or after an error.
  bool done() const { return failed_ || (decoded_ > 0 && reader_.at_end()); }
  // The next message. Call only while !done().
  Result<v2::ClientMessage> Next();
  size_t decoded() const { return decoded_; }

 private:
  sats::bsatn::Reader reader_;
  size_t decoded_ = 0;
  bool failed_ = false;
};

// All messages of a client payload, or the first error (empty payload, or a malformed message).
Result<std::vector<v2::ClientMessage>> SplitClientPayload(sats::ByteSpan payload);

// Appends one client message to a payload being built (clients, tests).
inline void AppendClientMessage(const v2::ClientMessage& message, sats::Bytes& payload) {
  v2::EncodeClientMessage(message, payload);
}

// Builds server frames from a stream of messages. Each returned frame starts with the placeholder tag of
// BeginServerFrame(): pass it to FinishServerFrame() to compress it before sending.
class ServerMessageCoalescer {
 public:
  explicit ServerMessageCoalescer(size_t max_body = kMaxCoalescedBody) : max_body_(max_body) {}

  // Encodes `message` into the pending body. If the pending body is non-empty and would grow past the limit,
  // it is completed first and returned.
  std::optional<sats::Bytes> Add(const v2::ServerMessage& message);
  // The same for a message already encoded (BSATN of one v2 ServerMessage, no tag).
  std::optional<sats::Bytes> AddEncoded(sats::ByteSpan encoded_message);
  // Completes the pending body, if it holds any message.
  std::optional<sats::Bytes> Flush();

  size_t pending_messages() const { return pending_messages_; }
  size_t pending_body_size() const { return pending_.empty() ? 0 : pending_.size() - 1; }

 private:
  // Completes the pending frame if adding `message_size` bytes would exceed the limit.
  std::optional<sats::Bytes> MakeRoom(size_t message_size);
  void EnsureBegun();

  size_t max_body_;
  sats::Bytes pending_;  // empty, or tag placeholder + body
  size_t pending_messages_ = 0;
};

// Client side: every message of a server frame's (decompressed) body; an empty body is an error.
Result<std::vector<v2::ServerMessage>> SplitServerBody(sats::ByteSpan body);

}  // namespace stdb::server::protocol::v3
