// Constants of our snapshot format: every row of every table (system and user) as of one transaction offset.
// The reference's snapshot body is bound to its in-memory page layout (spec/data-layer.md §3.8), so we keep its
// idea and directory but define our own body. The prose, with the reasons, is docs/snapshot_format.md; keep the
// two in step.
//
// Files, in <replica>/snapshots/:
//   <tx_offset:020>.snapshot           complete snapshot of the state after transaction tx_offset
//   <tx_offset:020>.snapshot.tmp       being written; garbage after a crash (removed when the store opens)
//   <tx_offset:020>.snapshot.invalid   set aside by recovery (newer than the log); never read again
//
// File = magic (8 bytes) block*, all integers little-endian:
//   magic   "STDBSNAP"
//   block   = type (1 byte), length (4 bytes), payload (length bytes), crc32c (4 bytes) over type+length+payload
// Blocks, in this order:
//   header  (type 1): version (4 bytes), tx_offset (8 bytes), next_tx_offset (8 bytes), table_count (4 bytes)
//   per table, ascending table id (system tables first):
//     table (type 2): table_id (4 bytes), row_count (8 bytes), name (4-byte length + UTF-8)
//     rows  (type 3): row_count (4 bytes), then row_count x {length (4 bytes), BSATN row}; zero or more per table
//   footer  (type 4): table_count (4 bytes), total_rows (8 bytes)
// Nothing may follow the footer; a file without it is incomplete.
//
// Thread-safety: constants only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace stdb::durability::snapshot_format {

inline constexpr uint8_t kMagic[8] = {'S', 'T', 'D', 'B', 'S', 'N', 'A', 'P'};
inline constexpr size_t kMagicSize = sizeof(kMagic);
inline constexpr uint32_t kVersion = 1;

// --- Blocks --------------------------------------------------------------------------------------------------
inline constexpr size_t kBlockHeaderSize = 1 + 4;   // type, length
inline constexpr size_t kBlockTrailerSize = 4;      // crc32c
inline constexpr uint8_t kBlockHeader = 1;
inline constexpr uint8_t kBlockTable = 2;
inline constexpr uint8_t kBlockRows = 3;
inline constexpr uint8_t kBlockFooter = 4;
inline constexpr size_t kHeaderPayloadSize = 4 + 8 + 8 + 4;  // version, tx_offset, next_tx_offset, table_count
inline constexpr size_t kFooterPayloadSize = 4 + 8;          // table_count, total_rows
inline constexpr size_t kRowLengthSize = 4;

// The writer closes a rows block once it holds this many bytes (a larger row gets a block of its own).
inline constexpr size_t kTargetRowsBlockSize = 1 << 20;
// Readers refuse longer blocks before allocating: a corrupt length must not exhaust memory.
inline constexpr uint32_t kMaxBlockSize = 1u << 30;

// --- Files ---------------------------------------------------------------------------------------------------
inline constexpr std::string_view kSnapshotsDirName = "snapshots";
inline constexpr std::string_view kSnapshotSuffix = ".snapshot";
inline constexpr std::string_view kTempSuffix = ".tmp";
inline constexpr std::string_view kInvalidSuffix = ".invalid";
inline constexpr size_t kOffsetDigits = 20;

}  // namespace stdb::durability::snapshot_format
