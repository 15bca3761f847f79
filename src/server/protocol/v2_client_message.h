// v2 ClientMessage: what a client sends on `v2.bsatn.spacetimedb` (one message per WebSocket message) and on
// `v3.bsatn.spacetimedb` (one or more back to back, see v3_framing.h). Schema: spec/client-protocol.md §4.1.
//
// BSATN layout, u8 tag then the variant's fields in order (u32/u8 little-endian, String = u32 length + UTF-8,
// bytes = u32 length + raw bytes, Array<T> = u32 count + elements):
//   0 Subscribe      request_id u32, query_set_id u32, query_strings Array<String>
//   1 Unsubscribe    request_id u32, query_set_id u32, flags u8 (0 Default, 1 SendDroppedRows)
//   2 OneOffQuery    request_id u32, query_string String
//   3 CallReducer    request_id u32, flags u8 (only 0), reducer String, args bytes (BSATN of the parameters)
//   4 CallProcedure  request_id u32, flags u8 (only 0), procedure String, args bytes
//
// ClientMessage is a std::variant whose alternative index is the wire tag. Decoding is hostile-input safe: it
// rejects truncation, unknown tags and flag values, invalid UTF-8, element counts larger than the remaining
// bytes, and (for the whole-buffer form) trailing bytes; errors name the variant and the offset.
//
// Thread-safety: plain values and reentrant functions.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "sats/bsatn.h"
#include "sats/result.h"

namespace stdb::server::protocol::v2 {

inline constexpr const char* kSubprotocol = "v2.bsatn.spacetimedb";

enum class UnsubscribeFlags : uint8_t { kDefault = 0, kSendDroppedRows = 1 };
// The flags byte of CallReducer and CallProcedure; reserved, only 0 is valid.
enum class CallFlags : uint8_t { kDefault = 0 };

struct Subscribe {
  uint32_t request_id = 0;
  uint32_t query_set_id = 0;
  std::vector<std::string> query_strings;
  bool operator==(const Subscribe&) const = default;
};

struct Unsubscribe {
  uint32_t request_id = 0;
  uint32_t query_set_id = 0;
  UnsubscribeFlags flags = UnsubscribeFlags::kDefault;
  bool operator==(const Unsubscribe&) const = default;
};

struct OneOffQuery {
  uint32_t request_id = 0;
  std::string query_string;
  bool operator==(const OneOffQuery&) const = default;
};

struct CallReducer {
  uint32_t request_id = 0;
  CallFlags flags = CallFlags::kDefault;
  std::string reducer;
  sats::Bytes args;  // BSATN of the reducer's parameter product
  bool operator==(const CallReducer&) const = default;
};

struct CallProcedure {
  uint32_t request_id = 0;
  CallFlags flags = CallFlags::kDefault;
  std::string procedure;
  sats::Bytes args;  // BSATN of the procedure's parameter product
  bool operator==(const CallProcedure&) const = default;
};

// Alternative index == wire tag.
using ClientMessage = std::variant<Subscribe, Unsubscribe, OneOffQuery, CallReducer, CallProcedure>;

// "Subscribe", "CallReducer", ... for logs and errors.
const char* ClientMessageName(const ClientMessage& message);

// Appends the BSATN of `message` to `out`.
void EncodeClientMessage(const ClientMessage& message, sats::Bytes& out);
sats::Bytes EncodeClientMessage(const ClientMessage& message);

// Decodes one message at the reader's position (v3 payloads hold several); the reader is left after it.
Result<ClientMessage> DecodeClientMessage(sats::bsatn::Reader& r);
// Decodes a whole v2 WebSocket message: exactly one ClientMessage, no trailing bytes.
Result<ClientMessage> DecodeClientMessage(sats::ByteSpan payload);

}  // namespace stdb::server::protocol::v2
