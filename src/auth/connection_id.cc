#include "auth/connection_id.h"

#include "auth/secure_random.h"

namespace stdb::auth {

Result<sats::ConnectionId> RandomConnectionId() {
  // The chance of drawing zero is 2^-128, but looping keeps the invariant unconditional.
  for (;;) {
    uint8_t bytes[16];
    STDB_RETURN_IF_ERROR(FillSecureRandom(bytes));
    sats::u128 value = 0;
    for (uint8_t b : bytes) value = (value << 8) | b;
    if (value != 0) return sats::ConnectionId(value);
  }
}

Result<sats::ConnectionId> ParseConnectionIdParam(std::string_view hex) {
  std::optional<sats::ConnectionId> id = sats::ConnectionId::FromHex(hex);
  if (!id) {
    return Error(ErrorCode::kInvalidArgument,
                 "Invalid connection ID: expected 32 hex digits, got \"" + std::string(hex.substr(0, 80)) + "\"");
  }
  if (id->IsZero()) {
    return Error(ErrorCode::kInvalidArgument, "Invalid connection ID: the all-zeros ConnectionId is reserved.");
  }
  return *id;
}

}  // namespace stdb::auth
