#include "sats/wide_int.h"

#include <algorithm>

namespace stdb::sats {

U256 Negate(const U256& v) {
  U256 r;
  unsigned carry = 1;
  for (int i = 0; i < 4; ++i) {
    u128 s = u128(~v.w[i]) + carry;
    r.w[i] = uint64_t(s);
    carry = unsigned(s >> 64);
  }
  return r;
}

namespace {

// Divides v by d in place and returns the remainder.
uint32_t DivMod(U256& v, uint32_t d) {
  u128 rem = 0;
  for (int i = 3; i >= 0; --i) {
    u128 cur = (rem << 64) | v.w[i];
    v.w[i] = uint64_t(cur / d);
    rem = cur % d;
  }
  return uint32_t(rem);
}

// v = v * m + a; returns false on overflow.
bool MulAdd(U256& v, uint32_t m, uint32_t a) {
  u128 carry = a;
  for (int i = 0; i < 4; ++i) {
    u128 cur = u128(v.w[i]) * m + carry;
    v.w[i] = uint64_t(cur);
    carry = cur >> 64;
  }
  return carry == 0;
}

}  // namespace

std::string ToDecimal(u128 v) {
  if (v == 0) return "0";
  std::string s;
  while (v != 0) {
    s.push_back(char('0' + int(v % 10)));
    v /= 10;
  }
  std::reverse(s.begin(), s.end());
  return s;
}

std::string ToDecimal(i128 v) {
  if (v >= 0) return ToDecimal(u128(v));
  return "-" + ToDecimal(u128(0) - u128(v));
}

std::string ToDecimal(const U256& value) {
  if (value.IsZero()) return "0";
  U256 v = value;
  std::string s;
  while (!v.IsZero()) s.push_back(char('0' + DivMod(v, 10)));
  std::reverse(s.begin(), s.end());
  return s;
}

std::string ToDecimal(const I256& v) {
  if (!v.IsNegative()) return ToDecimal(U256{v.w});
  return "-" + ToDecimal(Negate(U256{v.w}));
}

std::string ToHex0x(const U256& v) {
  static const char* kDigits = "0123456789abcdef";
  std::string s;
  bool started = false;
  for (int i = 3; i >= 0; --i) {
    for (int shift = 60; shift >= 0; shift -= 4) {
      unsigned nib = unsigned(v.w[i] >> shift) & 0xF;
      if (nib != 0) started = true;
      if (started) s.push_back(kDigits[nib]);
    }
  }
  if (s.empty()) s = "0";
  return "0x" + s;
}

std::string ToHex0x(const I256& v) {
  if (!v.IsNegative()) return ToHex0x(U256{v.w});
  return "-" + ToHex0x(Negate(U256{v.w}));
}

std::optional<U256> ParseU256Magnitude(std::string_view text) {
  U256 v;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    text.remove_prefix(2);
    for (char c : text) {
      uint32_t d;
      if (c >= '0' && c <= '9') d = uint32_t(c - '0');
      else if (c >= 'a' && c <= 'f') d = uint32_t(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') d = uint32_t(c - 'A' + 10);
      else return std::nullopt;
      if (!MulAdd(v, 16, d)) return std::nullopt;
    }
    return v;
  }
  if (text.empty()) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    if (!MulAdd(v, 10, uint32_t(c - '0'))) return std::nullopt;
  }
  return v;
}

std::optional<u128> ToU128(const U256& v) {
  if (v.w[2] != 0 || v.w[3] != 0) return std::nullopt;
  return (u128(v.w[1]) << 64) | v.w[0];
}

std::optional<i128> ToI128(const I256& v) {
  uint64_t ext = (v.w[1] >> 63) ? ~uint64_t{0} : 0;
  if (v.w[2] != ext || v.w[3] != ext) return std::nullopt;
  return i128((u128(v.w[1]) << 64) | v.w[0]);
}

}  // namespace stdb::sats
