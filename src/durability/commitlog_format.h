// Constants of the commitlog's on-disk format, byte-compatible with the reference SpacetimeDB
// (spec/data-layer.md §3.1-§3.7). The prose description, with the reasons behind each rule, is
// docs/commitlog_format.md; keep the two in step.
//
// A replica's log is a directory of segments named by the offset of their first transaction:
//   <offset:020>.stdb.log   segment: header, then commits
//   <offset:020>.stdb.ofs   offset index of that segment (a hint, may be absent or stale)
//
// Segment header (10 bytes):
//   magic "(ds)^2" (6 bytes), log format version (1 byte), checksum algorithm (1 byte), reserved (2 bytes, 0)
// Commit (v1), all integers little-endian:
//   min_tx_offset (8 bytes), epoch (8 bytes), n (2 bytes), len (4 bytes), records (len bytes),
//   crc32c (4 bytes) over everything before it in the commit
// Commit (v0): as v1 without the epoch field.
// Record (Txdata): flags (1 byte), then the sections the flags announce; see tx_record.h.
// Offset index entry (16 bytes): min_tx_offset of a commit (8 bytes), byte position of its header (8 bytes).
// A compressed (sealed) segment is a zstd stream in the seekable format, starting with the zstd magic.
//
// Thread-safety: constants only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace stdb::durability::format {

// --- Segment header ------------------------------------------------------------------------------------------
inline constexpr uint8_t kSegmentMagic[6] = {0x28, 0x64, 0x73, 0x29, 0x5e, 0x32};  // "(ds)^2"
inline constexpr size_t kSegmentMagicSize = sizeof(kSegmentMagic);
inline constexpr size_t kSegmentHeaderSize = kSegmentMagicSize + 4;  // + version, checksum algorithm, 2 reserved
inline constexpr uint8_t kLogFormatVersionNoEpoch = 0;
inline constexpr uint8_t kLogFormatVersionWithEpoch = 1;
// The version this implementation writes, and the highest it reads.
inline constexpr uint8_t kCurrentLogFormatVersion = kLogFormatVersionWithEpoch;
inline constexpr uint8_t kChecksumAlgorithmCrc32c = 0;  // the only algorithm defined

// --- Commit framing ------------------------------------------------------------------------------------------
inline constexpr size_t kCommitHeaderSizeV0 = 8 + 2 + 4;      // min_tx_offset, n, len
inline constexpr size_t kCommitHeaderSizeV1 = 8 + 8 + 2 + 4;  // min_tx_offset, epoch, n, len
inline constexpr size_t kCommitChecksumSize = 4;              // crc32c
inline constexpr size_t kCommitFramingSizeV1 = kCommitHeaderSizeV1 + kCommitChecksumSize;
inline constexpr uint16_t kMaxRecordsPerCommit = 0xFFFF;       // n is a u16
inline constexpr uint64_t kDefaultEpoch = 0;                    // single-node logs

constexpr size_t CommitHeaderSize(uint8_t log_format_version) {
  return log_format_version == kLogFormatVersionNoEpoch ? kCommitHeaderSizeV0 : kCommitHeaderSizeV1;
}

// --- Txdata record -------------------------------------------------------------------------------------------
inline constexpr uint8_t kTxFlagHaveInputs = 0x80;
inline constexpr uint8_t kTxFlagHaveOutputs = 0x40;
inline constexpr uint8_t kTxFlagHaveMutations = 0x20;
inline constexpr uint8_t kTxFlagsReservedMask = 0x1F;
inline constexpr size_t kMaxReducerNameSize = 255;   // name_len is a u8
inline constexpr size_t kMaxReducerOutputSize = 255;  // outputs len is a u8

// --- Offset index --------------------------------------------------------------------------------------------
inline constexpr size_t kOffsetIndexEntrySize = 16;  // key u64, byte position u64
inline constexpr uint64_t kOffsetIndexEmptyKey = 0;  // so the commit at offset 0 is never indexed

// --- Files ---------------------------------------------------------------------------------------------------
inline constexpr std::string_view kSegmentFileSuffix = ".stdb.log";
inline constexpr std::string_view kOffsetIndexFileSuffix = ".stdb.ofs";
inline constexpr size_t kOffsetDigits = 20;  // file names are the offset, zero-padded to 20 digits

// --- Compression ---------------------------------------------------------------------------------------------
inline constexpr uint8_t kZstdMagic[4] = {0x28, 0xB5, 0x2F, 0xFD};
inline constexpr uint32_t kZstdSeekableMaxFrameSize = 4096;           // uncompressed bytes per zstd frame
inline constexpr uint32_t kZstdSkippableSeekTableMagic = 0x184D2A5E;  // skippable frame holding the seek table
inline constexpr uint32_t kZstdSeekableFooterMagic = 0x8F92EAB1;
inline constexpr size_t kZstdSeekableFooterSize = 9;  // frame count u32, descriptor u8, magic u32

// --- Defaults of the writer (the reference's commitlog Options) ----------------------------------------------
inline constexpr uint64_t kDefaultMaxSegmentSize = uint64_t(1) << 30;  // 1 GiB
inline constexpr size_t kDefaultWriteBufferSize = 128 * 1024;
// Ours, not the reference's (which does not preallocate by default).
inline constexpr uint64_t kDefaultPreallocateBytes = 4 << 20;  // 4 MiB
inline constexpr uint64_t kDefaultOffsetIndexIntervalBytes = 4096;

}  // namespace stdb::durability::format
