#include "sql/execution/scalar.h"

#include <cmath>
#include <cstring>

namespace stdb::sql {

namespace {

template <typename T>
T Load(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

template <typename T>
int Cmp(T a, T b) {
  return a < b ? -1 : (a > b ? 1 : 0);
}

int CompareWords256(const uint8_t* a, const uint8_t* b, bool is_signed) {
  for (int w = 3; w >= 0; --w) {
    uint64_t x = Load<uint64_t>(a + 8 * w), y = Load<uint64_t>(b + 8 * w);
    if (w == 3 && is_signed) {
      x ^= uint64_t{1} << 63;
      y ^= uint64_t{1} << 63;
    }
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

int CompareLengthPrefixed(sats::ByteSpan a, sats::ByteSpan b) {
  // Skip the u32 length prefix; compare the payloads byte-wise, a shorter prefix first.
  size_t na = a.size() - 4, nb = b.size() - 4;
  int c = std::memcmp(a.data() + 4, b.data() + 4, std::min(na, nb));
  if (c != 0) return c < 0 ? -1 : 1;
  return Cmp(na, nb);
}

}  // namespace

std::optional<ScalarKind> ScalarKindOf(const sats::AlgebraicType& type) {
  if (type.IsIdentity() || type.IsConnectionId() || type.IsTimestamp() || type.IsUuid())
    return ScalarKindOf(type.product().elements[0].type);
  if (type.IsBytes()) return ScalarKind::kBytes;
  switch (type.tag()) {
    case sats::TypeTag::kBool: return ScalarKind::kBool;
    case sats::TypeTag::kI8: return ScalarKind::kI8;
    case sats::TypeTag::kU8: return ScalarKind::kU8;
    case sats::TypeTag::kI16: return ScalarKind::kI16;
    case sats::TypeTag::kU16: return ScalarKind::kU16;
    case sats::TypeTag::kI32: return ScalarKind::kI32;
    case sats::TypeTag::kU32: return ScalarKind::kU32;
    case sats::TypeTag::kI64: return ScalarKind::kI64;
    case sats::TypeTag::kU64: return ScalarKind::kU64;
    case sats::TypeTag::kI128: return ScalarKind::kI128;
    case sats::TypeTag::kU128: return ScalarKind::kU128;
    case sats::TypeTag::kI256: return ScalarKind::kI256;
    case sats::TypeTag::kU256: return ScalarKind::kU256;
    case sats::TypeTag::kF32: return ScalarKind::kF32;
    case sats::TypeTag::kF64: return ScalarKind::kF64;
    case sats::TypeTag::kString: return ScalarKind::kString;
    default: return std::nullopt;
  }
}

int CompareScalars(ScalarKind kind, sats::ByteSpan a, sats::ByteSpan b) {
  const uint8_t* x = a.data();
  const uint8_t* y = b.data();
  switch (kind) {
    case ScalarKind::kBool:
    case ScalarKind::kU8: return Cmp(x[0], y[0]);
    case ScalarKind::kI8: return Cmp(Load<int8_t>(x), Load<int8_t>(y));
    case ScalarKind::kI16: return Cmp(Load<int16_t>(x), Load<int16_t>(y));
    case ScalarKind::kU16: return Cmp(Load<uint16_t>(x), Load<uint16_t>(y));
    case ScalarKind::kI32: return Cmp(Load<int32_t>(x), Load<int32_t>(y));
    case ScalarKind::kU32: return Cmp(Load<uint32_t>(x), Load<uint32_t>(y));
    case ScalarKind::kI64: return Cmp(Load<int64_t>(x), Load<int64_t>(y));
    case ScalarKind::kU64: return Cmp(Load<uint64_t>(x), Load<uint64_t>(y));
    case ScalarKind::kI128: return Cmp(Load<sats::i128>(x), Load<sats::i128>(y));
    case ScalarKind::kU128: return Cmp(Load<sats::u128>(x), Load<sats::u128>(y));
    case ScalarKind::kI256: return CompareWords256(x, y, true);
    case ScalarKind::kU256: return CompareWords256(x, y, false);
    case ScalarKind::kF32: {
      auto c = sats::CompareF32(Load<float>(x), Load<float>(y));
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case ScalarKind::kF64: {
      auto c = sats::CompareF64(Load<double>(x), Load<double>(y));
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case ScalarKind::kString:
    case ScalarKind::kBytes: return CompareLengthPrefixed(a, b);
  }
  return 0;
}

void AppendHashKey(ScalarKind kind, sats::ByteSpan value, std::string& out) {
  if (kind == ScalarKind::kF32) {
    float f = Load<float>(value.data());
    if (f == 0) f = 0.0f;
    if (std::isnan(f)) f = std::nanf("");
    out.append(reinterpret_cast<const char*>(&f), sizeof f);
    return;
  }
  if (kind == ScalarKind::kF64) {
    double d = Load<double>(value.data());
    if (d == 0) d = 0.0;
    if (std::isnan(d)) d = std::nan("");
    out.append(reinterpret_cast<const char*>(&d), sizeof d);
    return;
  }
  out.append(reinterpret_cast<const char*>(value.data()), value.size());
}

}  // namespace stdb::sql
