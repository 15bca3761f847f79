#include "auth/base64url.h"

#include <array>

namespace stdb::auth {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr int8_t kInvalid = -1;

constexpr std::array<int8_t, 256> MakeDecodeTable() {
  std::array<int8_t, 256> table{};
  for (auto& entry : table) entry = kInvalid;
  for (int i = 0; i < 64; ++i) table[uint8_t(kAlphabet[i])] = int8_t(i);
  return table;
}
constexpr auto kDecodeTable = MakeDecodeTable();

std::string DescribeChar(char c) {
  auto u = uint8_t(c);
  if (u >= 0x21 && u < 0x7F) return std::string("'") + c + "'";
  static constexpr char kHex[] = "0123456789abcdef";
  return std::string("byte 0x") + kHex[u >> 4] + kHex[u & 15];
}

}  // namespace

std::string Base64UrlEncode(std::span<const uint8_t> bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t n = uint32_t(bytes[i]) << 16 | uint32_t(bytes[i + 1]) << 8 | bytes[i + 2];
    out.push_back(kAlphabet[n >> 18]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(kAlphabet[(n >> 6) & 63]);
    out.push_back(kAlphabet[n & 63]);
  }
  size_t rest = bytes.size() - i;
  if (rest == 1) {
    uint32_t n = uint32_t(bytes[i]) << 16;
    out.push_back(kAlphabet[n >> 18]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
  } else if (rest == 2) {
    uint32_t n = uint32_t(bytes[i]) << 16 | uint32_t(bytes[i + 1]) << 8;
    out.push_back(kAlphabet[n >> 18]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(kAlphabet[(n >> 6) & 63]);
  }
  return out;
}

std::string Base64UrlEncode(std::string_view bytes) {
  return Base64UrlEncode(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
}

Result<std::vector<uint8_t>> Base64UrlDecode(std::string_view text) {
  if (text.size() % 4 == 1) {
    return Error(ErrorCode::kDecode, "invalid base64url: length " + std::to_string(text.size()) +
                                         " leaves a dangling character (no valid encoding has length 4n+1)");
  }
  std::vector<uint8_t> out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    int8_t v = kDecodeTable[uint8_t(text[i])];
    if (v == kInvalid) {
      std::string why = text[i] == '=' ? " (padding is not allowed)" : "";
      return Error(ErrorCode::kDecode, "invalid base64url: unexpected " + DescribeChar(text[i]) + " at position " +
                                           std::to_string(i) + why);
    }
    acc = (acc << 6) | uint32_t(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(uint8_t(acc >> bits));
      acc &= (1u << bits) - 1;
    }
  }
  if (acc != 0) {
    return Error(ErrorCode::kDecode, "invalid base64url: the last character has non-zero unused bits");
  }
  return out;
}

Result<std::string> Base64UrlDecodeToString(std::string_view text) {
  STDB_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, Base64UrlDecode(text));
  return std::string(bytes.begin(), bytes.end());
}

}  // namespace stdb::auth
