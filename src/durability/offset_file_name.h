// Offset file names: the commitlog's segments and offset indexes and the snapshots are named by a transaction
// offset, zero-padded to 20 decimal digits, followed by a suffix ("00000000000000000042.stdb.log").
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stdb::durability {

inline constexpr size_t kOffsetFileNameDigits = 20;

// `offset` as 20 digits, then `suffix`.
std::string OffsetFileName(uint64_t offset, std::string_view suffix);
// The offset `name` encodes if it is exactly 20 digits followed by `suffix` (and fits in 64 bits); else nullopt.
std::optional<uint64_t> ParseOffsetFileName(std::string_view name, std::string_view suffix);

}  // namespace stdb::durability
