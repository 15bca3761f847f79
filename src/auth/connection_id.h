// ConnectionId policy (spec/client-protocol.md §8.1, §10.5): every WebSocket connection and every HTTP call
// gets a fresh random 128-bit id unless the client chose one with ?connection_id=; the all-zero id is reserved
// for "no connection" (e.g. the caller of a scheduled reducer) and is never handed out or accepted.
// The value type itself is sats::ConnectionId.
//
// Thread-safety: safe from any thread.
#pragma once

#include <string_view>

#include "sats/result.h"
#include "sats/special_types.h"

namespace stdb::auth {

// A random non-zero ConnectionId from the CSPRNG.
Result<sats::ConnectionId> RandomConnectionId();

// The ?connection_id= query parameter: 32 hex digits, big-endian (a "0x" prefix is tolerated). Errors are
// kInvalidArgument with the reference's message for the all-zero id, so the server can answer 400 with it.
Result<sats::ConnectionId> ParseConnectionIdParam(std::string_view hex);

}  // namespace stdb::auth
