#include "auth/secure_random.h"

#include <openssl/err.h>
#include <openssl/rand.h>

#include <climits>

namespace stdb::auth {

Status FillSecureRandom(std::span<uint8_t> out) {
  if (out.size() > size_t(INT_MAX)) return Error(ErrorCode::kInvalidArgument, "random request too large");
  if (RAND_bytes(out.data(), int(out.size())) != 1) {
    ERR_clear_error();
    return Error(ErrorCode::kInternal, "the system's secure random number generator failed");
  }
  return OkStatus();
}

Result<sats::Uuid> RandomUuidV4() {
  uint8_t bytes[16];
  STDB_RETURN_IF_ERROR(FillSecureRandom(bytes));
  bytes[6] = uint8_t((bytes[6] & 0x0F) | 0x40);  // version 4
  bytes[8] = uint8_t((bytes[8] & 0x3F) | 0x80);  // variant 10xx
  sats::u128 value = 0;
  for (uint8_t b : bytes) value = (value << 8) | b;  // sats::Uuid holds the big-endian reading
  return sats::Uuid(value);
}

}  // namespace stdb::auth
