// The SATS "special" types as C++ values, with their canonical text forms (spec/data-layer.md §1.3):
//
//   Identity      Product{__identity__: U256}                  32 bytes LE; text = 64 hex digits, big-endian
//   ConnectionId  Product{__connection_id__: U128}             16 bytes LE; text = 32 hex digits, big-endian
//   Timestamp     Product{__timestamp_micros_since_unix_epoch__: I64}  micros since 1970; text = RFC 3339
//   TimeDuration  Product{__time_duration_micros__: I64}       signed micros; text = "+S.ffffff"
//   Uuid          Product{__uuid__: U128}                      u128 = big-endian reading of the 16 canonical bytes
//   ScheduleAt    Sum{Interval: TimeDuration, Time: Timestamp}
//
// Each type converts to and from its AlgebraicValue (the one-field product) and its BSATN.
//
// Thread-safety: plain values.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "sats/algebraic_value.h"
#include "sats/bsatn.h"

namespace stdb::sats {

// Parses exactly `2 * out.size()` hex digits into bytes (in text order). Accepts upper and lower case.
bool ParseHexBytes(std::string_view hex, uint8_t* out, size_t out_size);
std::string ToHexLower(const uint8_t* data, size_t size);

class Identity {
 public:
  Identity() = default;
  static Identity FromLittleEndian(const uint8_t* bytes32);
  static Identity FromBigEndian(const uint8_t* bytes32);
  static Identity FromU256(const U256& v);
  // 64 hex digits, big-endian, optionally prefixed with "0x".
  static std::optional<Identity> FromHex(std::string_view hex);
  static Result<Identity> FromValue(const AlgebraicValue& v);  // the one-field product, or a bare U256

  const std::array<uint8_t, 32>& le_bytes() const { return le_; }
  std::array<uint8_t, 32> be_bytes() const;
  U256 ToU256() const;
  std::string ToHex() const;  // 64 lowercase hex digits, big-endian
  AlgebraicValue ToValue() const;  // Product{U256}
  void Encode(bsatn::Writer& w) const { w.Raw(le_.data(), 32); }
  static Identity Decode(bsatn::Reader& r);
  bool IsZero() const;

  auto operator<=>(const Identity& o) const { return ToU256() <=> o.ToU256(); }
  bool operator==(const Identity& o) const { return le_ == o.le_; }

 private:
  std::array<uint8_t, 32> le_{};
};

class ConnectionId {
 public:
  ConnectionId() = default;
  explicit ConnectionId(u128 v) : v_(v) {}
  static std::optional<ConnectionId> FromHex(std::string_view hex);  // 32 hex digits, big-endian
  static Result<ConnectionId> FromValue(const AlgebraicValue& v);

  u128 value() const { return v_; }
  bool IsZero() const { return v_ == 0; }
  std::string ToHex() const;
  AlgebraicValue ToValue() const;
  void Encode(bsatn::Writer& w) const { w.U128(v_); }
  static ConnectionId Decode(bsatn::Reader& r) { return ConnectionId(r.U128()); }
  auto operator<=>(const ConnectionId&) const = default;

 private:
  u128 v_ = 0;
};

class TimeDuration {
 public:
  TimeDuration() = default;
  explicit TimeDuration(int64_t micros) : micros_(micros) {}
  int64_t micros() const { return micros_; }
  static Result<TimeDuration> FromValue(const AlgebraicValue& v);
  AlgebraicValue ToValue() const;
  std::string ToString() const;  // "+1.500000", "-0.000001"
  auto operator<=>(const TimeDuration&) const = default;

 private:
  int64_t micros_ = 0;
};

class Timestamp {
 public:
  Timestamp() = default;
  explicit Timestamp(int64_t micros) : micros_(micros) {}
  static Timestamp Now();
  int64_t micros_since_epoch() const { return micros_; }
  static Result<Timestamp> FromValue(const AlgebraicValue& v);
  AlgebraicValue ToValue() const;
  // RFC 3339 in UTC the way the reference prints it: "2024-05-01T12:00:00+00:00", with ".fff" or ".ffffff" when the
  // value has sub-second digits.
  std::string ToRfc3339() const;
  // Accepts "YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)" (also ' ' instead of 'T'), and "YYYY-MM-DD".
  static std::optional<Timestamp> ParseRfc3339(std::string_view text);
  auto operator<=>(const Timestamp&) const = default;

 private:
  int64_t micros_ = 0;
};

class Uuid {
 public:
  Uuid() = default;
  explicit Uuid(u128 v) : v_(v) {}
  static std::optional<Uuid> Parse(std::string_view text);  // canonical 8-4-4-4-12 (or 32 hex digits)
  static Result<Uuid> FromValue(const AlgebraicValue& v);
  u128 value() const { return v_; }
  std::string ToString() const;  // canonical lowercase 8-4-4-4-12
  AlgebraicValue ToValue() const;
  auto operator<=>(const Uuid&) const = default;

 private:
  u128 v_ = 0;
};

// ScheduleAt: either a repeating interval or a point in time.
struct ScheduleAt {
  std::variant<TimeDuration, Timestamp> at;
  bool is_interval() const { return std::holds_alternative<TimeDuration>(at); }
  static Result<ScheduleAt> FromValue(const AlgebraicValue& v);
  AlgebraicValue ToValue() const;
};

}  // namespace stdb::sats
