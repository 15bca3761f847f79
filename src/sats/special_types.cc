#include "sats/special_types.h"

#include <chrono>
#include <cstdio>

namespace stdb::sats {

namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view Strip0x(std::string_view s) {
  if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s.remove_prefix(2);
  return s;
}

// The single field of a special-type product, or the value itself when it is already the bare primitive.
const AlgebraicValue& Unwrap(const AlgebraicValue& v) {
  if (v.is<ProductValue>() && v.AsProduct().elements.size() == 1) return v.AsProduct().elements[0];
  return v;
}

Error WrongShape(const char* what, const AlgebraicValue& v) {
  return Error(ErrorCode::kInvalidArgument, std::string("expected ") + what + ", got " + v.ToString());
}

u128 U128FromBigEndian(const uint8_t* b) {
  u128 v = 0;
  for (int i = 0; i < 16; ++i) v = (v << 8) | b[i];
  return v;
}

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

}  // namespace

bool ParseHexBytes(std::string_view hex, uint8_t* out, size_t out_size) {
  if (hex.size() != out_size * 2) return false;
  for (size_t i = 0; i < out_size; ++i) {
    int hi = HexDigit(hex[2 * i]), lo = HexDigit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = uint8_t(hi << 4 | lo);
  }
  return true;
}

std::string ToHexLower(const uint8_t* data, size_t size) {
  static const char* kHex = "0123456789abcdef";
  std::string s(size * 2, '0');
  for (size_t i = 0; i < size; ++i) {
    s[2 * i] = kHex[data[i] >> 4];
    s[2 * i + 1] = kHex[data[i] & 15];
  }
  return s;
}

// --- Identity --------------------------------------------------------------------------------------------------

Identity Identity::FromLittleEndian(const uint8_t* bytes32) {
  Identity id;
  std::memcpy(id.le_.data(), bytes32, 32);
  return id;
}

Identity Identity::FromBigEndian(const uint8_t* bytes32) {
  Identity id;
  for (int i = 0; i < 32; ++i) id.le_[i] = bytes32[31 - i];
  return id;
}

Identity Identity::FromU256(const U256& v) {
  Identity id;
  std::memcpy(id.le_.data(), v.w.data(), 32);
  return id;
}

std::optional<Identity> Identity::FromHex(std::string_view hex) {
  uint8_t be[32];
  if (!ParseHexBytes(Strip0x(hex), be, 32)) return std::nullopt;
  return FromBigEndian(be);
}

Result<Identity> Identity::FromValue(const AlgebraicValue& v) {
  const AlgebraicValue& inner = Unwrap(v);
  if (!inner.is<U256>()) return WrongShape("an Identity", v);
  return FromU256(inner.as<U256>());
}

std::array<uint8_t, 32> Identity::be_bytes() const {
  std::array<uint8_t, 32> be;
  for (int i = 0; i < 32; ++i) be[i] = le_[31 - i];
  return be;
}

U256 Identity::ToU256() const {
  U256 v;
  std::memcpy(v.w.data(), le_.data(), 32);
  return v;
}

std::string Identity::ToHex() const {
  auto be = be_bytes();
  return ToHexLower(be.data(), 32);
}

AlgebraicValue Identity::ToValue() const { return AlgebraicValue::Product({AlgebraicValue::U256(ToU256())}); }

Identity Identity::Decode(bsatn::Reader& r) {
  auto b = r.Raw(32, "identity");
  return b.size() == 32 ? FromLittleEndian(b.data()) : Identity();
}

bool Identity::IsZero() const {
  for (uint8_t b : le_)
    if (b) return false;
  return true;
}

// --- ConnectionId ----------------------------------------------------------------------------------------------

std::optional<ConnectionId> ConnectionId::FromHex(std::string_view hex) {
  uint8_t be[16];
  if (!ParseHexBytes(Strip0x(hex), be, 16)) return std::nullopt;
  return ConnectionId(U128FromBigEndian(be));
}

Result<ConnectionId> ConnectionId::FromValue(const AlgebraicValue& v) {
  const AlgebraicValue& inner = Unwrap(v);
  if (!inner.is<u128>()) return WrongShape("a ConnectionId", v);
  return ConnectionId(inner.as<u128>());
}

std::string ConnectionId::ToHex() const {
  uint8_t be[16];
  for (int i = 0; i < 16; ++i) be[i] = uint8_t(v_ >> (8 * (15 - i)));
  return ToHexLower(be, 16);
}

AlgebraicValue ConnectionId::ToValue() const { return AlgebraicValue::Product({AlgebraicValue::U128(v_)}); }

// --- TimeDuration ----------------------------------------------------------------------------------------------

Result<TimeDuration> TimeDuration::FromValue(const AlgebraicValue& v) {
  const AlgebraicValue& inner = Unwrap(v);
  if (!inner.is<int64_t>()) return WrongShape("a TimeDuration", v);
  return TimeDuration(inner.as<int64_t>());
}

AlgebraicValue TimeDuration::ToValue() const { return AlgebraicValue::Product({AlgebraicValue::I64(micros_)}); }

std::string TimeDuration::ToString() const {
  u128 mag = micros_ < 0 ? u128(-(i128(micros_))) : u128(micros_);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%c%s.%06u", micros_ < 0 ? '-' : '+', ToDecimal(u128(mag / 1000000)).c_str(),
                unsigned(mag % 1000000));
  return buf;
}

// --- Timestamp -------------------------------------------------------------------------------------------------

Timestamp Timestamp::Now() {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  return Timestamp(std::chrono::duration_cast<std::chrono::microseconds>(now).count());
}

Result<Timestamp> Timestamp::FromValue(const AlgebraicValue& v) {
  const AlgebraicValue& inner = Unwrap(v);
  if (!inner.is<int64_t>()) return WrongShape("a Timestamp", v);
  return Timestamp(inner.as<int64_t>());
}

AlgebraicValue Timestamp::ToValue() const { return AlgebraicValue::Product({AlgebraicValue::I64(micros_)}); }

std::string Timestamp::ToRfc3339() const {
  int64_t secs = micros_ / 1000000;
  int64_t frac = micros_ % 1000000;
  if (frac < 0) {
    frac += 1000000;
    secs -= 1;
  }
  int64_t days = secs / 86400;
  int64_t sod = secs % 86400;
  if (sod < 0) {
    sod += 86400;
    days -= 1;
  }
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[80];
  int n = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02d", static_cast<long long>(y), m, d,
                        int(sod / 3600), int(sod / 60 % 60), int(sod % 60));
  std::string s(buf, size_t(n));
  if (frac != 0) {
    if (frac % 1000 == 0) std::snprintf(buf, sizeof buf, ".%03d", int(frac / 1000));
    else std::snprintf(buf, sizeof buf, ".%06d", int(frac));
    s += buf;
  }
  return s + "+00:00";
}

std::optional<Timestamp> Timestamp::ParseRfc3339(std::string_view t) {
  auto num = [&](size_t pos, size_t len, int* out) {
    if (pos + len > t.size()) return false;
    int v = 0;
    for (size_t i = 0; i < len; ++i) {
      char c = t[pos + i];
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    *out = v;
    return true;
  };
  int y, mo, d, h = 0, mi = 0, s = 0;
  if (!num(0, 4, &y) || t.size() < 10 || t[4] != '-' || !num(5, 2, &mo) || t[7] != '-' || !num(8, 2, &d))
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return std::nullopt;
  int64_t micros_frac = 0;
  int offset_secs = 0;
  size_t pos = 10;
  if (pos < t.size()) {
    if (t[pos] != 'T' && t[pos] != 't' && t[pos] != ' ') return std::nullopt;
    if (!num(pos + 1, 2, &h) || t.size() < pos + 9 || t[pos + 3] != ':' || !num(pos + 4, 2, &mi) ||
        t[pos + 6] != ':' || !num(pos + 7, 2, &s))
      return std::nullopt;
    if (h > 23 || mi > 59 || s > 60) return std::nullopt;
    pos += 9;
    if (pos < t.size() && t[pos] == '.') {
      ++pos;
      int digits = 0;
      while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') {
        if (digits < 6) micros_frac = micros_frac * 10 + (t[pos] - '0');
        ++digits;
        ++pos;
      }
      if (digits == 0) return std::nullopt;
      for (int i = digits; i < 6; ++i) micros_frac *= 10;
    }
    if (pos < t.size()) {
      if (t[pos] == 'Z' || t[pos] == 'z') {
        ++pos;
      } else if (t[pos] == '+' || t[pos] == '-') {
        int oh, om;
        if (!num(pos + 1, 2, &oh) || t.size() < pos + 6 || t[pos + 3] != ':' || !num(pos + 4, 2, &om))
          return std::nullopt;
        offset_secs = (oh * 3600 + om * 60) * (t[pos] == '-' ? -1 : 1);
        pos += 6;
      } else {
        return std::nullopt;
      }
    }
    if (pos != t.size()) return std::nullopt;
  }
  int64_t secs = DaysFromCivil(y, unsigned(mo), unsigned(d)) * 86400 + h * 3600 + mi * 60 + s - offset_secs;
  return Timestamp(secs * 1000000 + micros_frac);
}

// --- Uuid ------------------------------------------------------------------------------------------------------

std::optional<Uuid> Uuid::Parse(std::string_view text) {
  std::string hex;
  if (text.size() == 36) {
    for (size_t i = 0; i < 36; ++i) {
      bool dash_pos = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash_pos != (text[i] == '-')) return std::nullopt;
      if (!dash_pos) hex.push_back(text[i]);
    }
  } else {
    hex = std::string(text);
  }
  uint8_t b[16];
  if (!ParseHexBytes(hex, b, 16)) return std::nullopt;
  return Uuid(U128FromBigEndian(b));
}

Result<Uuid> Uuid::FromValue(const AlgebraicValue& v) {
  const AlgebraicValue& inner = Unwrap(v);
  if (!inner.is<u128>()) return WrongShape("a Uuid", v);
  return Uuid(inner.as<u128>());
}

std::string Uuid::ToString() const {
  uint8_t be[16];
  for (int i = 0; i < 16; ++i) be[i] = uint8_t(v_ >> (8 * (15 - i)));
  std::string h = ToHexLower(be, 16);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

AlgebraicValue Uuid::ToValue() const { return AlgebraicValue::Product({AlgebraicValue::U128(v_)}); }

// --- ScheduleAt ------------------------------------------------------------------------------------------------

Result<ScheduleAt> ScheduleAt::FromValue(const AlgebraicValue& v) {
  if (!v.is<SumValue>() || !v.AsSum().payload || v.AsSum().tag > 1) return WrongShape("a ScheduleAt", v);
  if (v.AsSum().tag == 0) {
    STDB_ASSIGN_OR_RETURN(auto d, TimeDuration::FromValue(*v.AsSum().payload));
    return ScheduleAt{d};
  }
  STDB_ASSIGN_OR_RETURN(auto t, Timestamp::FromValue(*v.AsSum().payload));
  return ScheduleAt{t};
}

AlgebraicValue ScheduleAt::ToValue() const {
  if (is_interval()) return AlgebraicValue::Sum(0, std::get<TimeDuration>(at).ToValue());
  return AlgebraicValue::Sum(1, std::get<Timestamp>(at).ToValue());
}

}  // namespace stdb::sats
