// bsatn_traits<T>: how a C++ type is written, read and described as a SATS type.
//
// Every type a module stores or passes to a reducer has a specialisation with three static functions:
//   serialize(Writer&, const T&)      its BSATN
//   deserialize(Reader&) -> T          the inverse (failures are sticky in the Reader)
//   algebraic_type() -> AlgebraicType  its SATS type; named structs and enums register themselves in the
//                                      module's typespace and return a Ref
// This header covers the builtin types: bool, every integer type (by width and signedness), float, double,
// std::string, std::vector<T> (Array), std::optional<T> (Option: some = tag 0, none = tag 1) and std::monostate
// (Unit). The special types add theirs in types/*.h; SPACETIMEDB_STRUCT and SPACETIMEDB_ENUM generate the rest.
//
// Thread-safety: stateless.
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "spacetimedb/bsatn/algebraic_type.h"
#include "spacetimedb/bsatn/reader.h"
#include "spacetimedb/bsatn/writer.h"

namespace SpacetimeDB::bsatn {

template <typename T>
struct bsatn_traits;  // specialised per type; a missing specialisation means the type is not serializable

// True when T has a bsatn_traits specialisation.
template <typename T>
concept Serializable = requires(Writer& w, Reader& r, const T& v) {
  bsatn_traits<T>::serialize(w, v);
  { bsatn_traits<T>::deserialize(r) } -> std::convertible_to<T>;
  { bsatn_traits<T>::algebraic_type() } -> std::convertible_to<AlgebraicType>;
};

template <typename T>
void serialize(Writer& w, const T& value) {
  bsatn_traits<std::remove_cv_t<T>>::serialize(w, value);
}

template <typename T>
T deserialize(Reader& r) {
  return bsatn_traits<std::remove_cv_t<T>>::deserialize(r);
}

template <typename T>
AlgebraicType algebraic_type_of() {
  return bsatn_traits<std::remove_cvref_t<T>>::algebraic_type();
}

template <typename T>
std::vector<uint8_t> to_bytes(const T& value) {
  std::vector<uint8_t> bytes;
  bytes.reserve(64);  // most keys and rows fit: one allocation instead of one per growth step
  Writer w(bytes);
  serialize(w, value);
  return bytes;
}

// Decodes exactly one T from `bytes`; nullopt if the bytes are short, invalid or have trailing data.
template <typename T>
std::optional<T> from_bytes(const uint8_t* data, size_t size) {
  Reader r(data, size);
  T value = deserialize<T>(r);
  if (!r.ok() || !r.is_eos()) return std::nullopt;
  return value;
}
template <typename T>
std::optional<T> from_bytes(const std::vector<uint8_t>& bytes) {
  return from_bytes<T>(bytes.data(), bytes.size());
}

// --- bool --------------------------------------------------------------------------------------------------
template <>
struct bsatn_traits<bool> {
  static void serialize(Writer& w, bool v) { w.write_bool(v); }
  static bool deserialize(Reader& r) { return r.read_bool(); }
  static AlgebraicType algebraic_type() { return AlgebraicType::Bool(); }
};

// --- integers, by width and signedness (so char, long and long long all work) ----------------------------
template <typename T>
  requires(std::integral<T> && !std::same_as<T, bool> && sizeof(T) <= 8)
struct bsatn_traits<T> {
  using Unsigned = std::conditional_t<sizeof(T) == 1, uint8_t,
                   std::conditional_t<sizeof(T) == 2, uint16_t,
                   std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>>>;

  static void serialize(Writer& w, T v) {
    const auto bits = static_cast<Unsigned>(v);
    if constexpr (sizeof(T) == 1) w.write_u8(bits);
    else if constexpr (sizeof(T) == 2) w.write_u16_le(bits);
    else if constexpr (sizeof(T) == 4) w.write_u32_le(bits);
    else w.write_u64_le(bits);
  }
  static T deserialize(Reader& r) {
    Unsigned bits;
    if constexpr (sizeof(T) == 1) bits = r.read_u8();
    else if constexpr (sizeof(T) == 2) bits = r.read_u16_le();
    else if constexpr (sizeof(T) == 4) bits = r.read_u32_le();
    else bits = r.read_u64_le();
    return static_cast<T>(bits);
  }
  static AlgebraicType algebraic_type() {
    constexpr bool is_signed = std::is_signed_v<T>;
    if constexpr (sizeof(T) == 1) return is_signed ? AlgebraicType::I8() : AlgebraicType::U8();
    else if constexpr (sizeof(T) == 2) return is_signed ? AlgebraicType::I16() : AlgebraicType::U16();
    else if constexpr (sizeof(T) == 4) return is_signed ? AlgebraicType::I32() : AlgebraicType::U32();
    else return is_signed ? AlgebraicType::I64() : AlgebraicType::U64();
  }
};

// --- floats ------------------------------------------------------------------------------------------------
template <>
struct bsatn_traits<float> {
  static void serialize(Writer& w, float v) { w.write_f32_le(v); }
  static float deserialize(Reader& r) { return r.read_f32_le(); }
  static AlgebraicType algebraic_type() { return AlgebraicType::F32(); }
};

template <>
struct bsatn_traits<double> {
  static void serialize(Writer& w, double v) { w.write_f64_le(v); }
  static double deserialize(Reader& r) { return r.read_f64_le(); }
  static AlgebraicType algebraic_type() { return AlgebraicType::F64(); }
};

// --- strings -----------------------------------------------------------------------------------------------
template <>
struct bsatn_traits<std::string> {
  static void serialize(Writer& w, const std::string& v) { w.write_string(v); }
  static std::string deserialize(Reader& r) { return r.read_string(); }
  static AlgebraicType algebraic_type() { return AlgebraicType::String(); }
};

// --- unit --------------------------------------------------------------------------------------------------
template <>
struct bsatn_traits<std::monostate> {
  static void serialize(Writer&, const std::monostate&) {}
  static std::monostate deserialize(Reader&) { return {}; }
  static AlgebraicType algebraic_type() { return AlgebraicType::Unit(); }
};

// --- arrays ------------------------------------------------------------------------------------------------
template <typename T>
struct bsatn_traits<std::vector<T>> {
  static void serialize(Writer& w, const std::vector<T>& v) {
    w.write_u32_le(static_cast<uint32_t>(v.size()));
    if constexpr (std::same_as<T, uint8_t> || std::same_as<T, int8_t>) {
      w.write_bytes(v.data(), v.size());
    } else {
      for (const auto& element : v) bsatn::serialize(w, element);
    }
  }
  static std::vector<T> deserialize(Reader& r) {
    const uint32_t count = r.read_u32_le();
    std::vector<T> out;
    if constexpr (std::same_as<T, uint8_t> || std::same_as<T, int8_t>) {
      if (count > r.remaining()) {
        r.fail();
        return out;
      }
      out.resize(count);
      r.read_bytes(out.data(), count);
    } else {
      // Every element but a zero-sized one takes at least a byte, so the remaining length bounds the reserve.
      out.reserve(count < r.remaining() ? count : r.remaining());
      for (uint32_t i = 0; i < count && r.ok(); ++i) out.push_back(bsatn::deserialize<T>(r));
    }
    return out;
  }
  static AlgebraicType algebraic_type() { return AlgebraicType::make_array(algebraic_type_of<T>()); }
};

// --- options -----------------------------------------------------------------------------------------------
template <typename T>
struct bsatn_traits<std::optional<T>> {
  static void serialize(Writer& w, const std::optional<T>& v) {
    if (v.has_value()) {
      w.write_u8(0);
      bsatn::serialize(w, *v);
    } else {
      w.write_u8(1);
    }
  }
  static std::optional<T> deserialize(Reader& r) {
    switch (r.read_u8()) {
      case 0:
        return bsatn::deserialize<T>(r);
      case 1:
        return std::nullopt;
      default:
        r.fail();
        return std::nullopt;
    }
  }
  static AlgebraicType algebraic_type() { return AlgebraicType::option(algebraic_type_of<T>()); }
};

}  // namespace SpacetimeDB::bsatn
