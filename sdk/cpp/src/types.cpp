// Text forms and constructors of the SATS special types and wide integers (types/*.h).
#include <cstdio>

#include "spacetimedb/types/connection_id.h"
#include "spacetimedb/types/identity.h"
#include "spacetimedb/types/time_duration.h"
#include "spacetimedb/types/timestamp.h"
#include "spacetimedb/types/uuid.h"
#include "spacetimedb/types/wide_int.h"

namespace SpacetimeDB {

namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendHexByte(std::string& out, uint8_t b) {
  out.push_back(kHexDigits[b >> 4]);
  out.push_back(kHexDigits[b & 0xF]);
}

// Two hex digits at text[0..2] into *out; false if either is not a hex digit.
bool ParseHexByte(std::string_view text, uint8_t* out) {
  const int hi = HexValue(text[0]);
  const int lo = HexValue(text[1]);
  if (hi < 0 || lo < 0) return false;
  *out = static_cast<uint8_t>(hi << 4 | lo);
  return true;
}

std::array<uint8_t, 16> U128ToBigEndian(const u128& v) {
  std::array<uint8_t, 16> bytes{};
  for (int i = 0; i < 8; ++i) {
    bytes[i] = static_cast<uint8_t>(v.high >> (56 - 8 * i));
    bytes[8 + i] = static_cast<uint8_t>(v.low >> (56 - 8 * i));
  }
  return bytes;
}

}  // namespace

// --- wide integers -------------------------------------------------------------------------------------------

std::string detail::magnitude_to_decimal(uint8_t* little_endian, size_t size) {
  std::string reversed;
  for (;;) {
    unsigned remainder = 0;
    bool zero = true;
    for (size_t i = size; i-- > 0;) {  // long division by 10, most significant byte first
      const unsigned current = remainder * 256 + little_endian[i];
      little_endian[i] = static_cast<uint8_t>(current / 10);
      remainder = current % 10;
      if (little_endian[i]) zero = false;
    }
    reversed.push_back(static_cast<char>('0' + remainder));
    if (zero) break;
  }
  return std::string(reversed.rbegin(), reversed.rend());
}

std::string u128::to_string() const {
  uint8_t bytes[16];
  for (int i = 0; i < 8; ++i) {
    bytes[i] = static_cast<uint8_t>(low >> (8 * i));
    bytes[8 + i] = static_cast<uint8_t>(high >> (8 * i));
  }
  return detail::magnitude_to_decimal(bytes, 16);
}

std::string i128::to_string() const {
  if (!is_negative()) return u128(static_cast<uint64_t>(high), low).to_string();
  // Two's complement negation of the 128-bit value.
  const uint64_t neg_low = ~low + 1;
  const uint64_t neg_high = ~static_cast<uint64_t>(high) + (neg_low == 0 ? 1 : 0);
  return "-" + u128(neg_high, neg_low).to_string();
}

// --- Identity and ConnectionId -------------------------------------------------------------------------------

std::optional<Identity> Identity::from_hex(std::string_view hex) {
  if (hex.substr(0, 2) == "0x" || hex.substr(0, 2) == "0X") hex.remove_prefix(2);
  if (hex.size() != 2 * SIZE) return std::nullopt;
  ByteArray little_endian;
  for (size_t i = 0; i < SIZE; ++i) {
    if (!ParseHexByte(hex.substr(2 * i, 2), &little_endian[SIZE - 1 - i])) return std::nullopt;
  }
  return Identity(little_endian);
}

std::string Identity::to_hex_string() const {
  std::string out;
  out.reserve(2 * SIZE);
  for (size_t i = SIZE; i-- > 0;) AppendHexByte(out, bytes_[i]);
  return out;
}

std::string ConnectionId::to_hex_string() const {
  std::string out;
  for (uint8_t b : U128ToBigEndian(id)) AppendHexByte(out, b);
  return out;
}

// --- TimeDuration and Timestamp ------------------------------------------------------------------------------

std::string TimeDuration::to_string() const {
  const uint64_t magnitude = micros_ < 0 ? 0 - static_cast<uint64_t>(micros_) : static_cast<uint64_t>(micros_);
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%c%llu.%06llu", micros_ < 0 ? '-' : '+',
                static_cast<unsigned long long>(magnitude / 1000000), static_cast<unsigned long long>(magnitude % 1000000));
  return buffer;
}

std::string Timestamp::to_string() const {
  // Split into whole days and the time of day, flooring so instants before 1970 work too.
  constexpr int64_t kMicrosPerDay = 86400LL * 1000000;
  int64_t days = micros_ / kMicrosPerDay;
  int64_t micros_of_day = micros_ % kMicrosPerDay;
  if (micros_of_day < 0) {
    micros_of_day += kMicrosPerDay;
    --days;
  }
  // Civil date from days since 1970-01-01, by 400-year eras of 146097 days (eras start on March 1st so that the
  // leap day falls at the end of a year).
  const int64_t shifted = days + 719468;
  const int64_t era = (shifted >= 0 ? shifted : shifted - 146096) / 146097;
  const int64_t day_of_era = shifted - era * 146097;
  const int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t month_index = (5 * day_of_year + 2) / 153;  // 0 = March
  const int64_t day = day_of_year - (153 * month_index + 2) / 5 + 1;
  const int64_t month = month_index < 10 ? month_index + 3 : month_index - 9;
  const int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);

  const int64_t seconds_of_day = micros_of_day / 1000000;
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%06lld+00:00",
                static_cast<long long>(year), static_cast<long long>(month), static_cast<long long>(day),
                static_cast<long long>(seconds_of_day / 3600), static_cast<long long>(seconds_of_day / 60 % 60),
                static_cast<long long>(seconds_of_day % 60), static_cast<long long>(micros_of_day % 1000000));
  return buffer;
}

// --- Uuid ----------------------------------------------------------------------------------------------------

Uuid Uuid::from_bytes_be(const std::array<uint8_t, 16>& bytes) {
  uint64_t high = 0, low = 0;
  for (int i = 0; i < 8; ++i) {
    high = high << 8 | bytes[i];
    low = low << 8 | bytes[8 + i];
  }
  return Uuid(high, low);
}

std::array<uint8_t, 16> Uuid::to_bytes_be() const { return U128ToBigEndian(value_); }

Uuid Uuid::from_random_bytes_v4(const std::array<uint8_t, 16>& random_bytes) {
  std::array<uint8_t, 16> bytes = random_bytes;
  bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0F) | 0x40);  // version 4
  bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
  return from_bytes_be(bytes);
}

Uuid Uuid::from_counter_v7(uint32_t& counter, const Timestamp& now, const std::array<uint8_t, 4>& random_bytes) {
  const uint64_t millis = static_cast<uint64_t>(now.millis_since_epoch());
  const uint32_t count = counter & 0x7FFFFFFF;
  counter = (counter + 1) & 0x7FFFFFFF;
  std::array<uint8_t, 16> bytes{};
  for (int i = 0; i < 6; ++i) bytes[i] = static_cast<uint8_t>(millis >> (40 - 8 * i));
  bytes[6] = 0x70;  // version 7
  bytes[7] = static_cast<uint8_t>(count >> 23);
  bytes[8] = 0x80;  // RFC 4122 variant
  bytes[9] = static_cast<uint8_t>(count >> 15);
  bytes[10] = static_cast<uint8_t>(count >> 7);
  bytes[11] = static_cast<uint8_t>((count & 0x7F) << 1);
  bytes[12] = static_cast<uint8_t>(random_bytes[0] & 0x7F);
  bytes[13] = random_bytes[1];
  bytes[14] = random_bytes[2];
  bytes[15] = random_bytes[3];
  return from_bytes_be(bytes);
}

std::optional<Uuid> Uuid::parse_str(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  std::array<uint8_t, 16> bytes{};
  size_t byte = 0;
  for (size_t i = 0; i < text.size();) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return std::nullopt;
      ++i;
      continue;
    }
    if (!ParseHexByte(text.substr(i, 2), &bytes[byte++])) return std::nullopt;
    i += 2;
  }
  return from_bytes_be(bytes);
}

std::optional<Uuid::Version> Uuid::get_version() const {
  if (*this == nil()) return Version::Nil;
  if (*this == max()) return Version::Max;
  switch (to_bytes_be()[6] >> 4) {
    case 4: return Version::V4;
    case 7: return Version::V7;
    default: return std::nullopt;
  }
}

std::string Uuid::to_string() const {
  std::string out;
  const std::array<uint8_t, 16> bytes = to_bytes_be();
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    AppendHexByte(out, bytes[i]);
  }
  return out;
}

}  // namespace SpacetimeDB
