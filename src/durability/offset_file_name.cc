#include "durability/offset_file_name.h"

#include <cstdio>

namespace stdb::durability {

std::string OffsetFileName(uint64_t offset, std::string_view suffix) {
  char digits[32];
  std::snprintf(digits, sizeof digits, "%020llu", static_cast<unsigned long long>(offset));
  return std::string(digits) + std::string(suffix);
}

std::optional<uint64_t> ParseOffsetFileName(std::string_view name, std::string_view suffix) {
  if (name.size() != kOffsetFileNameDigits + suffix.size() || name.substr(kOffsetFileNameDigits) != suffix)
    return std::nullopt;
  uint64_t v = 0;
  for (size_t i = 0; i < kOffsetFileNameDigits; ++i) {
    char c = name[i];
    if (c < '0' || c > '9') return std::nullopt;
    uint64_t digit = uint64_t(c - '0');
    if (v > (UINT64_MAX - digit) / 10) return std::nullopt;
    v = v * 10 + digit;
  }
  return v;
}

}  // namespace stdb::durability
