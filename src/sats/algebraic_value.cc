#include "sats/algebraic_value.h"

#include <bit>
#include <cmath>
#include <cstring>

namespace stdb::sats {

SumValue::SumValue(uint8_t t, AlgebraicValue v) : tag(t), payload(std::make_unique<AlgebraicValue>(std::move(v))) {}
SumValue::SumValue(const SumValue& o)
    : tag(o.tag), payload(o.payload ? std::make_unique<AlgebraicValue>(*o.payload) : nullptr) {}
SumValue& SumValue::operator=(const SumValue& o) {
  if (this != &o) {
    tag = o.tag;
    payload = o.payload ? std::make_unique<AlgebraicValue>(*o.payload) : nullptr;
  }
  return *this;
}
SumValue::~SumValue() = default;

std::strong_ordering CompareF64(double a, double b) {
  bool na = std::isnan(a), nb = std::isnan(b);
  if (na || nb) {
    if (na && nb) return std::strong_ordering::equal;
    return na ? std::strong_ordering::greater : std::strong_ordering::less;
  }
  if (a < b) return std::strong_ordering::less;
  if (a > b) return std::strong_ordering::greater;
  return std::strong_ordering::equal;  // includes -0 == +0
}

std::strong_ordering CompareF32(float a, float b) { return CompareF64(double(a), double(b)); }

namespace {

template <typename T>
std::strong_ordering CompareSeq(const std::vector<T>& a, const std::vector<T>& b) {
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    auto c = Compare(a[i], b[i]);
    if (c != 0) return c;
  }
  return a.size() <=> b.size();
}

std::strong_ordering CompareBytes(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  size_t n = std::min(a.size(), b.size());
  int c = n ? std::memcmp(a.data(), b.data(), n) : 0;
  if (c != 0) return c < 0 ? std::strong_ordering::less : std::strong_ordering::greater;
  return a.size() <=> b.size();
}

// Compares a compact byte array with a generic array of U8 values (they are the same SATS value type).
std::strong_ordering CompareBytesWithArray(const std::vector<uint8_t>& a, const std::vector<AlgebraicValue>& b) {
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    auto c = Compare(AlgebraicValue::U8(a[i]), b[i]);
    if (c != 0) return c;
  }
  return a.size() <=> b.size();
}

uint64_t Mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h * 0xff51afd7ed558ccdULL;
}

uint64_t HashBytes(const uint8_t* p, size_t n, uint64_t h) {
  // FNV-1a folded into the mixer; adequate for hash tables of values.
  uint64_t f = 1469598103934665603ULL;
  for (size_t i = 0; i < n; ++i) f = (f ^ p[i]) * 1099511628211ULL;
  return Mix(h, f ^ n);
}

}  // namespace

std::strong_ordering Compare(const AlgebraicValue& a, const AlgebraicValue& b) {
  using K = AlgebraicValue::Kind;
  if (a.kind() != b.kind()) {
    if (a.kind() == K::kBytes && b.kind() == K::kArray) return CompareBytesWithArray(a.AsBytes(), b.AsArray().elements);
    if (a.kind() == K::kArray && b.kind() == K::kBytes)
      return 0 <=> CompareBytesWithArray(b.AsBytes(), a.AsArray().elements);
    return a.kind() <=> b.kind();
  }
  switch (a.kind()) {
    case K::kBool: return a.as<bool>() <=> b.as<bool>();
    case K::kI8: return a.as<int8_t>() <=> b.as<int8_t>();
    case K::kU8: return a.as<uint8_t>() <=> b.as<uint8_t>();
    case K::kI16: return a.as<int16_t>() <=> b.as<int16_t>();
    case K::kU16: return a.as<uint16_t>() <=> b.as<uint16_t>();
    case K::kI32: return a.as<int32_t>() <=> b.as<int32_t>();
    case K::kU32: return a.as<uint32_t>() <=> b.as<uint32_t>();
    case K::kI64: return a.as<int64_t>() <=> b.as<int64_t>();
    case K::kU64: return a.as<uint64_t>() <=> b.as<uint64_t>();
    case K::kI128: return a.as<i128>() <=> b.as<i128>();
    case K::kU128: return a.as<u128>() <=> b.as<u128>();
    case K::kI256: return a.as<I256>() <=> b.as<I256>();
    case K::kU256: return a.as<U256>() <=> b.as<U256>();
    case K::kF32: return CompareF32(a.as<float>(), b.as<float>());
    case K::kF64: return CompareF64(a.as<double>(), b.as<double>());
    case K::kString: {
      int c = a.AsString().compare(b.AsString());
      return c < 0 ? std::strong_ordering::less : c > 0 ? std::strong_ordering::greater : std::strong_ordering::equal;
    }
    case K::kBytes: return CompareBytes(a.AsBytes(), b.AsBytes());
    case K::kArray: return CompareSeq(a.AsArray().elements, b.AsArray().elements);
    case K::kProduct: return CompareSeq(a.AsProduct().elements, b.AsProduct().elements);
    case K::kSum: {
      const auto& sa = a.AsSum();
      const auto& sb = b.AsSum();
      if (sa.tag != sb.tag) return sa.tag <=> sb.tag;
      if (!sa.payload || !sb.payload) return bool(sa.payload) <=> bool(sb.payload);
      return Compare(*sa.payload, *sb.payload);
    }
  }
  return std::strong_ordering::equal;
}

uint64_t Hash(const AlgebraicValue& v) {
  using K = AlgebraicValue::Kind;
  uint64_t h = static_cast<uint64_t>(v.kind()) + 1;
  switch (v.kind()) {
    case K::kBool: return Mix(h, v.as<bool>());
    case K::kI8: return Mix(h, uint64_t(int64_t(v.as<int8_t>())));
    case K::kU8: return Mix(h, v.as<uint8_t>());
    case K::kI16: return Mix(h, uint64_t(int64_t(v.as<int16_t>())));
    case K::kU16: return Mix(h, v.as<uint16_t>());
    case K::kI32: return Mix(h, uint64_t(int64_t(v.as<int32_t>())));
    case K::kU32: return Mix(h, v.as<uint32_t>());
    case K::kI64: return Mix(h, uint64_t(v.as<int64_t>()));
    case K::kU64: return Mix(h, v.as<uint64_t>());
    case K::kI128: {
      u128 x = u128(v.as<i128>());
      return Mix(Mix(h, uint64_t(x)), uint64_t(x >> 64));
    }
    case K::kU128: {
      u128 x = v.as<u128>();
      return Mix(Mix(h, uint64_t(x)), uint64_t(x >> 64));
    }
    case K::kI256:
      for (uint64_t w : v.as<I256>().w) h = Mix(h, w);
      return h;
    case K::kU256:
      for (uint64_t w : v.as<U256>().w) h = Mix(h, w);
      return h;
    case K::kF32: case K::kF64: {
      double d = v.kind() == K::kF32 ? double(v.as<float>()) : v.as<double>();
      if (std::isnan(d)) return Mix(h, 0x7ff8000000000000ULL);
      if (d == 0) d = 0;  // -0 == +0
      return Mix(h, std::bit_cast<uint64_t>(d));
    }
    case K::kString: return HashBytes(reinterpret_cast<const uint8_t*>(v.AsString().data()), v.AsString().size(), h);
    case K::kBytes: {
      // Hash like an array of U8 so that BytesValue and ArrayValue of U8 agree.
      h = static_cast<uint64_t>(K::kArray) + 1;
      for (uint8_t b : v.AsBytes()) h = Mix(h, Hash(AlgebraicValue::U8(b)));
      return Mix(h, v.AsBytes().size());
    }
    case K::kArray:
      for (const auto& e : v.AsArray().elements) h = Mix(h, Hash(e));
      return Mix(h, v.AsArray().elements.size());
    case K::kProduct:
      for (const auto& e : v.AsProduct().elements) h = Mix(h, Hash(e));
      return h;
    case K::kSum:
      h = Mix(h, v.AsSum().tag);
      return v.AsSum().payload ? Mix(h, Hash(*v.AsSum().payload)) : h;
  }
  return h;
}

bool AlgebraicValue::ToInt128(i128* out) const {
  switch (kind()) {
    case Kind::kI8: *out = as<int8_t>(); return true;
    case Kind::kU8: *out = as<uint8_t>(); return true;
    case Kind::kI16: *out = as<int16_t>(); return true;
    case Kind::kU16: *out = as<uint16_t>(); return true;
    case Kind::kI32: *out = as<int32_t>(); return true;
    case Kind::kU32: *out = as<uint32_t>(); return true;
    case Kind::kI64: *out = as<int64_t>(); return true;
    case Kind::kU64: *out = as<uint64_t>(); return true;
    default: return false;
  }
}

std::string AlgebraicValue::ToString() const {
  switch (kind()) {
    case Kind::kBool: return as<bool>() ? "true" : "false";
    case Kind::kI8: return std::to_string(as<int8_t>());
    case Kind::kU8: return std::to_string(as<uint8_t>());
    case Kind::kI16: return std::to_string(as<int16_t>());
    case Kind::kU16: return std::to_string(as<uint16_t>());
    case Kind::kI32: return std::to_string(as<int32_t>());
    case Kind::kU32: return std::to_string(as<uint32_t>());
    case Kind::kI64: return std::to_string(as<int64_t>());
    case Kind::kU64: return std::to_string(as<uint64_t>());
    case Kind::kI128: return ToDecimal(as<i128>());
    case Kind::kU128: return ToDecimal(as<u128>());
    case Kind::kI256: return ToDecimal(as<sats::I256>());
    case Kind::kU256: return ToDecimal(as<sats::U256>());
    case Kind::kF32: return std::to_string(as<float>());
    case Kind::kF64: return std::to_string(as<double>());
    case Kind::kString: return "\"" + AsString() + "\"";
    case Kind::kBytes: {
      static const char* kHex = "0123456789abcdef";
      std::string s = "0x";
      for (uint8_t b : AsBytes()) {
        s.push_back(kHex[b >> 4]);
        s.push_back(kHex[b & 15]);
      }
      return s;
    }
    case Kind::kArray: case Kind::kProduct: {
      const auto& els = kind() == Kind::kArray ? AsArray().elements : AsProduct().elements;
      std::string s = kind() == Kind::kArray ? "[" : "(";
      for (size_t i = 0; i < els.size(); ++i) {
        if (i) s += ", ";
        s += els[i].ToString();
      }
      return s + (kind() == Kind::kArray ? "]" : ")");
    }
    case Kind::kSum:
      return "(tag " + std::to_string(AsSum().tag) + ": " + (AsSum().payload ? AsSum().payload->ToString() : "") + ")";
  }
  return "?";
}

}  // namespace stdb::sats
