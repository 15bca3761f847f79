// Fuzzes the BSATN type and value decoders: the input is a BSATN-encoded AlgebraicType followed by a value of
// that type. Properties checked beyond "no crash, no out-of-bounds read, no unbounded allocation" (ASan/UBSan):
//   - the validating skipper and the decoder agree on what is valid;
//   - a decoded type re-encodes to the same bytes;
//   - a decoded value re-encodes to exactly the bytes it was decoded from (BSATN is canonical here).
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "sats/bsatn.h"

using namespace stdb::sats;

namespace {

// memcmp with a null pointer is undefined even for length 0, and an empty Bytes has a null data().
bool SameBytes(const Bytes& encoded, const uint8_t* original, size_t length) {
  return encoded.size() == length && (length == 0 || std::memcmp(encoded.data(), original, length) == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  bsatn::Reader r(ByteSpan(data, size));
  auto type = bsatn::DecodeType(r);
  if (!type.ok()) return 0;
  size_t type_len = r.offset();
  Bytes type_bytes = bsatn::EncodeType(*type);
  if (!SameBytes(type_bytes, data, type_len)) std::abort();

  ByteSpan rest(data + type_len, size - type_len);
  auto value = bsatn::DecodeValue(*type, rest);
  bool valid = bsatn::ValidateValue(*type, rest).ok();
  if (value.ok() != valid) std::abort();
  if (value.ok()) {
    Bytes again = bsatn::EncodeValue(*value);
    if (!SameBytes(again, rest.data(), rest.size())) std::abort();
    if (!bsatn::CheckValueType(*type, *value).ok()) std::abort();
  }
  return 0;
}
