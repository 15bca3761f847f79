// v1 ClientMessage: what legacy clients (SDK 1.x, the CLI's v1.json fallback) send on `v1.bsatn.spacetimedb`
// and `v1.json.spacetimedb` (spec/client-protocol.md §6.1, §6.4).
//
// BSATN layout, u8 tag then the fields in order:
//   0 CallReducer       reducer String, args bytes, request_id u32, flags u8 (0 FullUpdate, 1 NoSuccessNotify)
//   1 Subscribe         query_strings Array<String>, request_id u32         (legacy: replaces the whole set)
//   2 OneOffQuery       message_id bytes, query_string String
//   3 SubscribeSingle   query String, request_id u32, query_id u32
//   4 SubscribeMulti    query_strings Array<String>, request_id u32, query_id u32
//   5 Unsubscribe       request_id u32, query_id u32
//   6 UnsubscribeMulti  request_id u32, query_id u32
//   7 CallProcedure     procedure String, args bytes, request_id u32, flags u8 (only 0)
//
// SATS-JSON form (text frames): the same sum as an object {"Variant": {fields...}}, read leniently like the
// reference (sats/sats_json.h: products from objects or arrays, sums from {"name": v}, {"tag": v} or [tag, v]);
// query_id is the product {"id": n}; message_id is a hex string (or an array of numbers); and reducer/procedure
// `args` is a *string holding JSON* (a positional array or an object keyed by parameter name), e.g.
//   {"CallReducer":{"reducer":"add","args":"[42,\"bob\"]","request_id":1,"flags":0}}
//
// The frame kind decides the decoder, not the negotiated subprotocol: on either v1 subprotocol a text frame is
// JSON and a binary frame is BSATN (only the server's replies follow the subprotocol). FunctionArgs records which
// one the arguments came in.
//
// Thread-safety: plain values and reentrant functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sats/bsatn.h"
#include "sats/result.h"

namespace stdb::server::protocol::v1 {

inline constexpr const char* kBsatnSubprotocol = "v1.bsatn.spacetimedb";
inline constexpr const char* kJsonSubprotocol = "v1.json.spacetimedb";

// Reducer or procedure arguments as the client sent them.
struct FunctionArgs {
  enum class Format : uint8_t { kBsatn, kJson };
  Format format = Format::kBsatn;
  sats::Bytes data;  // BSATN of the parameter product, or UTF-8 JSON text

  static FunctionArgs Bsatn(sats::Bytes bytes) { return {Format::kBsatn, std::move(bytes)}; }
  static FunctionArgs Json(std::string_view text) { return {Format::kJson, sats::Bytes(text.begin(), text.end())}; }
  bool is_json() const { return format == Format::kJson; }
  std::string_view json_text() const { return {reinterpret_cast<const char*>(data.data()), data.size()}; }
  bool operator==(const FunctionArgs&) const = default;
};

enum class CallReducerFlags : uint8_t { kFullUpdate = 0, kNoSuccessNotify = 1 };
// Reserved flags byte of CallProcedure; only 0 is valid.
enum class CallProcedureFlags : uint8_t { kDefault = 0 };

struct CallReducer {
  std::string reducer;
  FunctionArgs args;
  uint32_t request_id = 0;
  CallReducerFlags flags = CallReducerFlags::kFullUpdate;
  bool operator==(const CallReducer&) const = default;
};

struct Subscribe {
  std::vector<std::string> query_strings;
  uint32_t request_id = 0;
  bool operator==(const Subscribe&) const = default;
};

struct OneOffQuery {
  sats::Bytes message_id;  // opaque, echoed in OneOffQueryResponse
  std::string query_string;
  bool operator==(const OneOffQuery&) const = default;
};

struct SubscribeSingle {
  std::string query;
  uint32_t request_id = 0;
  uint32_t query_id = 0;
  bool operator==(const SubscribeSingle&) const = default;
};

struct SubscribeMulti {
  std::vector<std::string> query_strings;
  uint32_t request_id = 0;
  uint32_t query_id = 0;
  bool operator==(const SubscribeMulti&) const = default;
};

struct Unsubscribe {
  uint32_t request_id = 0;
  uint32_t query_id = 0;
  bool operator==(const Unsubscribe&) const = default;
};

struct UnsubscribeMulti {
  uint32_t request_id = 0;
  uint32_t query_id = 0;
  bool operator==(const UnsubscribeMulti&) const = default;
};

struct CallProcedure {
  std::string procedure;
  FunctionArgs args;
  uint32_t request_id = 0;
  CallProcedureFlags flags = CallProcedureFlags::kDefault;
  bool operator==(const CallProcedure&) const = default;
};

// Alternative index == wire tag.
using ClientMessage = std::variant<CallReducer, Subscribe, OneOffQuery, SubscribeSingle, SubscribeMulti, Unsubscribe,
                                   UnsubscribeMulti, CallProcedure>;

const char* ClientMessageName(const ClientMessage& message);

// Binary frames: exactly one BSATN message, no trailing bytes. Arguments come out as FunctionArgs::kBsatn.
Result<ClientMessage> DecodeClientMessageBsatn(sats::ByteSpan payload);
// Text frames: one SATS-JSON message. Arguments come out as FunctionArgs::kJson (the string's content).
Result<ClientMessage> DecodeClientMessageJson(std::string_view text);

// Encoders for clients and tests. The arguments must be in the matching format (BSATN for the binary form, JSON
// for the text form); a mismatch is an error.
Result<sats::Bytes> EncodeClientMessageBsatn(const ClientMessage& message);
Result<std::string> EncodeClientMessageJson(const ClientMessage& message);

}  // namespace stdb::server::protocol::v1
