// Compression of closed segments with zstd (spec/data-layer.md §3.7).
//
// A compressed segment keeps its name and becomes immutable ("sealed"); readers recognise it by the zstd
// magic 28 B5 2F FD at the start of the file. Like the reference, the compressor writes the zstd seekable
// format: independent zstd frames of at most 4 KiB of input each, followed by a skippable frame holding the
// seek table
//
//   skippable magic 0x184D2A5E u32, frame size u32,
//   per frame {compressed size u32, decompressed size u32}, frame count u32, descriptor u8 = 0,
//   seekable magic 0x8F92EAB1 u32                                    (all little-endian)
//
// so a reader could seek by uncompressed position. Our reader inflates the whole segment instead, which any
// zstd decoder can do because skippable frames are ignored. Offset indexes stay valid: their positions refer
// to the uncompressed bytes.
//
// Compressing in place is crash-safe: the compressed bytes go to `<segment>.compress-tmp`, which is fsynced
// and renamed over the segment, and then the directory is fsynced. A leftover temporary file is garbage.
//
// Thread-safety: free functions; the caller must make sure nobody writes the segment meanwhile.
#pragma once

#include <cstdint>
#include <string>

#include "durability/file_system.h"
#include "sats/bsatn.h"
#include "sats/result.h"

namespace stdb::durability {

inline constexpr std::string_view kCompressTempSuffix = ".compress-tmp";

struct CompressionStats {
  uint64_t bytes_read = 0;
  uint64_t bytes_written = 0;
};

// True if `prefix` starts with the zstd frame magic.
bool StartsWithZstdMagic(sats::ByteSpan prefix);

// Compresses the uncompressed segment at `path` in place. kInvalidArgument if it is already compressed or
// does not start with a segment header.
Result<CompressionStats> CompressSegmentFile(FileSystem& fs, const std::string& path);

// `data` as a zstd seekable-format stream with frames of at most `max_frame_size` input bytes.
sats::Bytes CompressZstdSeekable(sats::ByteSpan data, uint32_t max_frame_size, int level);

// Inflates a whole zstd stream from `file` (any number of frames; skippable frames are ignored). Errors
// (kCorruption) name the file and say whether the data is truncated, corrupt or larger than `max_size`.
Result<sats::Bytes> DecompressZstdFile(ReadableFile& file, uint64_t max_size);

}  // namespace stdb::durability
