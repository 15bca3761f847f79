#include "table/index_key.h"

#include <bit>
#include <cmath>
#include <cstring>

namespace stdb::table {

namespace {

using sats::AlgebraicType;
using sats::TypeTag;

const AlgebraicType* U64Scalar(const AlgebraicType& type) {
  if (type.IsProduct() && type.product().elements.size() == 1) return U64Scalar(type.product().elements[0].type);
  switch (type.tag()) {
    case TypeTag::kBool: case TypeTag::kI8: case TypeTag::kU8: case TypeTag::kI16: case TypeTag::kU16:
    case TypeTag::kI32: case TypeTag::kU32: case TypeTag::kI64: case TypeTag::kU64: case TypeTag::kF32:
    case TypeTag::kF64:
      return &type;
    case TypeTag::kSum: return type.IsSimpleEnum() ? &type : nullptr;
    default: return nullptr;
  }
}

uint64_t F64Key(double d) {
  if (std::isnan(d)) return UINT64_MAX;
  if (d == 0) d = 0.0;
  uint64_t bits = std::bit_cast<uint64_t>(d);
  return (bits >> 63) ? ~bits : (bits | (uint64_t{1} << 63));
}

uint32_t F32Key(float f) {
  if (std::isnan(f)) return UINT32_MAX;
  if (f == 0) f = 0.0f;
  uint32_t bits = std::bit_cast<uint32_t>(f);
  return (bits >> 31) ? ~bits : (bits | (uint32_t{1} << 31));
}

template <typename T>
T Load(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

void AppendBigEndian(std::string& out, const uint8_t* le, size_t n, bool flip_sign) {
  size_t at = out.size();
  out.resize(at + n);
  for (size_t i = 0; i < n; ++i) out[at + i] = char(le[n - 1 - i]);
  if (flip_sign) out[at] = char(uint8_t(out[at]) ^ 0x80);
}

void AppendEscaped(std::string& out, const uint8_t* p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    out.push_back(char(p[i]));
    if (p[i] == 0) out.push_back(char(0xFF));
  }
  out.push_back(0);
  out.push_back(0);
}

}  // namespace

bool FitsU64Key(const AlgebraicType& type) { return U64Scalar(type) != nullptr; }

KeyShape KeyShapeFor(const std::vector<AlgebraicType>& key_types) {
  return key_types.size() == 1 && FitsU64Key(key_types[0]) ? KeyShape::kU64 : KeyShape::kBytes;
}

uint64_t U64Key(const AlgebraicType& type, const uint8_t* p) {
  const AlgebraicType& t = *U64Scalar(type);
  constexpr uint64_t kSign = uint64_t{1} << 63;
  switch (t.tag()) {
    case TypeTag::kBool: case TypeTag::kU8: case TypeTag::kSum: return p[0];
    case TypeTag::kU16: return Load<uint16_t>(p);
    case TypeTag::kU32: return Load<uint32_t>(p);
    case TypeTag::kU64: return Load<uint64_t>(p);
    case TypeTag::kI8: return uint64_t(int64_t(Load<int8_t>(p))) ^ kSign;
    case TypeTag::kI16: return uint64_t(int64_t(Load<int16_t>(p))) ^ kSign;
    case TypeTag::kI32: return uint64_t(int64_t(Load<int32_t>(p))) ^ kSign;
    case TypeTag::kI64: return uint64_t(Load<int64_t>(p)) ^ kSign;
    case TypeTag::kF32: return F32Key(Load<float>(p));
    case TypeTag::kF64: return F64Key(Load<double>(p));
    default: return 0;
  }
}

void AppendBytesKey(const AlgebraicType& type, sats::bsatn::Reader& r, std::string& out) {
  switch (type.tag()) {
    case TypeTag::kBool: case TypeTag::kU8: out.push_back(char(r.U8())); return;
    case TypeTag::kI8: out.push_back(char(uint8_t(r.U8()) ^ 0x80)); return;
    case TypeTag::kU16: case TypeTag::kU32: case TypeTag::kU64: case TypeTag::kU128: case TypeTag::kU256: {
      size_t n = *type.FixedBsatnSize();
      AppendBigEndian(out, r.Raw(n, "key").data(), n, false);
      return;
    }
    case TypeTag::kI16: case TypeTag::kI32: case TypeTag::kI64: case TypeTag::kI128: case TypeTag::kI256: {
      size_t n = *type.FixedBsatnSize();
      AppendBigEndian(out, r.Raw(n, "key").data(), n, true);
      return;
    }
    case TypeTag::kF32: {
      uint32_t k = F32Key(r.F32());
      for (int s = 24; s >= 0; s -= 8) out.push_back(char(k >> s));
      return;
    }
    case TypeTag::kF64: {
      uint64_t k = F64Key(r.F64());
      for (int s = 56; s >= 0; s -= 8) out.push_back(char(k >> s));
      return;
    }
    case TypeTag::kString: {
      uint32_t n = r.U32();
      AppendEscaped(out, r.Raw(n, "key").data(), n);
      return;
    }
    case TypeTag::kArray: {
      if (type.element().tag() == TypeTag::kU8) {
        uint32_t n = r.U32();
        AppendEscaped(out, r.Raw(n, "key").data(), n);
        return;
      }
      uint32_t n = r.U32();
      for (uint32_t i = 0; i < n && r.ok(); ++i) {
        out.push_back(1);
        AppendBytesKey(type.element(), r, out);
      }
      out.push_back(0);
      return;
    }
    case TypeTag::kProduct:
      for (const auto& e : type.product().elements) AppendBytesKey(e.type, r, out);
      return;
    case TypeTag::kSum: {
      uint8_t tag = r.U8();
      out.push_back(char(tag));
      if (tag < type.sum().variants.size()) AppendBytesKey(type.sum().variants[tag].type, r, out);
      return;
    }
    case TypeTag::kRef: return;  // table types have no refs
  }
}

void AppendBytesKey(const AlgebraicType& type, const sats::AlgebraicValue& value, std::string& out) {
  sats::Bytes bytes = sats::bsatn::EncodeValue(value);
  sats::bsatn::Reader r(bytes);
  AppendBytesKey(type, r, out);
}

}  // namespace stdb::table
