#include "durability/segment_compression.h"

#include <zstd.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "durability/commitlog_format.h"

namespace stdb::durability {
namespace {

void PutU32(uint32_t v, sats::Bytes& out) {
  for (int i = 0; i < 4; ++i) out.push_back(uint8_t(v >> (8 * i)));
}

struct CCtxDeleter {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct DCtxDeleter {
  void operator()(ZSTD_DStream* d) const { ZSTD_freeDStream(d); }
};

// Compresses frames of `data` into `out`, recording their sizes for the seek table.
void AppendFrames(ZSTD_CCtx* cctx, sats::ByteSpan data, uint32_t max_frame_size, int level, sats::Bytes& out,
                  std::vector<std::pair<uint32_t, uint32_t>>& seek_table) {
  for (size_t at = 0; at < data.size(); at += max_frame_size) {
    size_t n = std::min<size_t>(max_frame_size, data.size() - at);
    size_t bound = ZSTD_compressBound(n);
    size_t base = out.size();
    out.resize(base + bound);
    size_t written = ZSTD_compressCCtx(cctx, out.data() + base, bound, data.data() + at, n, level);
    // Compressing into a ZSTD_compressBound-sized buffer cannot fail except on allocation failure.
    if (ZSTD_isError(written)) std::abort();
    out.resize(base + written);
    seek_table.emplace_back(static_cast<uint32_t>(written), static_cast<uint32_t>(n));
  }
}

void AppendSeekTable(const std::vector<std::pair<uint32_t, uint32_t>>& seek_table, sats::Bytes& out) {
  PutU32(format::kZstdSkippableSeekTableMagic, out);
  PutU32(static_cast<uint32_t>(seek_table.size() * 8 + format::kZstdSeekableFooterSize), out);
  for (auto [compressed, decompressed] : seek_table) {
    PutU32(compressed, out);
    PutU32(decompressed, out);
  }
  PutU32(static_cast<uint32_t>(seek_table.size()), out);
  out.push_back(0);  // descriptor: no per-frame checksums (each commit carries its own CRC32C)
  PutU32(format::kZstdSeekableFooterMagic, out);
}

}  // namespace

bool StartsWithZstdMagic(sats::ByteSpan prefix) {
  return prefix.size() >= sizeof(format::kZstdMagic) &&
         std::memcmp(prefix.data(), format::kZstdMagic, sizeof(format::kZstdMagic)) == 0;
}

sats::Bytes CompressZstdSeekable(sats::ByteSpan data, uint32_t max_frame_size, int level) {
  std::unique_ptr<ZSTD_CCtx, CCtxDeleter> cctx(ZSTD_createCCtx());
  sats::Bytes out;
  std::vector<std::pair<uint32_t, uint32_t>> seek_table;
  AppendFrames(cctx.get(), data, max_frame_size, level, out, seek_table);
  AppendSeekTable(seek_table, out);
  return out;
}

Result<CompressionStats> CompressSegmentFile(FileSystem& fs, const std::string& path) {
  STDB_ASSIGN_OR_RETURN(auto in, fs.OpenReadable(path));
  STDB_ASSIGN_OR_RETURN(uint64_t size, in->Size());
  uint8_t head[format::kSegmentHeaderSize] = {};
  STDB_ASSIGN_OR_RETURN(size_t got, in->ReadAt(0, std::span<uint8_t>(head, sizeof head)));
  if (StartsWithZstdMagic(sats::ByteSpan(head, got)))
    return Error(ErrorCode::kInvalidArgument, "compress " + path + ": segment is already compressed");
  if (got < sizeof head || std::memcmp(head, format::kSegmentMagic, format::kSegmentMagicSize) != 0)
    return Error(ErrorCode::kInvalidArgument, "compress " + path + ": not a commitlog segment");

  std::string temp = path + std::string(kCompressTempSuffix);
  STDB_ASSIGN_OR_RETURN(auto out, fs.OpenWritable(temp, OpenMode::kCreateOrTruncate));
  std::unique_ptr<ZSTD_CCtx, CCtxDeleter> cctx(ZSTD_createCCtx());
  std::vector<std::pair<uint32_t, uint32_t>> seek_table;
  // Stream through the segment a chunk at a time so a 1 GiB segment never sits in memory whole.
  constexpr size_t kChunk = 1 << 20;  // a multiple of the frame size, so frames never straddle chunks
  static_assert(kChunk % format::kZstdSeekableMaxFrameSize == 0);
  sats::Bytes chunk(kChunk), compressed;
  CompressionStats stats;
  uint64_t written = 0;
  for (uint64_t pos = 0; pos < size; pos += kChunk) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(kChunk, size - pos));
    STDB_ASSIGN_OR_RETURN(size_t n, in->ReadAt(pos, std::span<uint8_t>(chunk.data(), want)));
    if (n != want)
      return Error(ErrorCode::kIo, "compress " + path + ": file shrank while being read (at byte " +
                                       std::to_string(pos + n) + ")");
    compressed.clear();
    AppendFrames(cctx.get(), sats::ByteSpan(chunk.data(), n), format::kZstdSeekableMaxFrameSize,
                 ZSTD_CLEVEL_DEFAULT, compressed, seek_table);
    STDB_RETURN_IF_ERROR(out->WriteAt(written, compressed));
    written += compressed.size();
    stats.bytes_read += n;
  }
  compressed.clear();
  AppendSeekTable(seek_table, compressed);
  STDB_RETURN_IF_ERROR(out->WriteAt(written, compressed));
  written += compressed.size();
  stats.bytes_written = written;
  STDB_RETURN_IF_ERROR(out->Sync());
  out.reset();
  in.reset();
  STDB_RETURN_IF_ERROR(fs.Rename(temp, path));
  STDB_RETURN_IF_ERROR(fs.SyncDir(ParentDir(path)));
  return stats;
}

Result<sats::Bytes> DecompressZstdFile(ReadableFile& file, uint64_t max_size) {
  std::unique_ptr<ZSTD_DStream, DCtxDeleter> dstream(ZSTD_createDStream());
  ZSTD_initDStream(dstream.get());
  STDB_ASSIGN_OR_RETURN(uint64_t file_size, file.Size());
  sats::Bytes in(ZSTD_DStreamInSize());
  sats::Bytes out;
  size_t last_hint = 0;
  uint64_t read_pos = 0;
  auto fail = [&](const std::string& what) {
    return Error(ErrorCode::kCorruption, "compressed segment " + file.path() + ": " + what);
  };
  while (read_pos < file_size) {
    STDB_ASSIGN_OR_RETURN(size_t n, file.ReadAt(read_pos, std::span<uint8_t>(in.data(), in.size())));
    if (n == 0) break;
    ZSTD_inBuffer input{in.data(), n, 0};
    while (input.pos < input.size) {
      // Room for one byte beyond the limit, so that reaching the limit exactly is not mistaken for passing it.
      size_t base = out.size();
      size_t room = static_cast<size_t>(std::min<uint64_t>(ZSTD_DStreamOutSize(), max_size + 1 - base));
      out.resize(base + room);
      ZSTD_outBuffer output{out.data() + base, room, 0};
      size_t hint = ZSTD_decompressStream(dstream.get(), &output, &input);
      out.resize(base + output.pos);
      if (ZSTD_isError(hint))
        return fail(std::string(ZSTD_getErrorName(hint)) + " near compressed byte " +
                    std::to_string(read_pos + input.pos));
      if (out.size() > max_size) return fail("inflates to more than " + std::to_string(max_size) + " bytes");
      last_hint = hint;
    }
    read_pos += n;
  }
  // A non-zero hint after all input means the last frame was cut off.
  if (last_hint != 0) return fail("truncated (the last zstd frame is incomplete)");
  return out;
}

}  // namespace stdb::durability

