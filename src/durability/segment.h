// Segments: the files `<min_tx_offset:020>.stdb.log` that make up a commitlog (spec/data-layer.md §3.2;
// constants and layout in commitlog_format.h, prose in docs/commitlog_format.md).
//
//   segment = header (10 bytes) commit*
//   commit  = min_tx_offset u64, epoch u64 (v1 only), n u16, len u32, records (len bytes), crc32c u32
//
// SegmentWriter appends commits through a write buffer, tracks the segment's size and next offset, syncs
// with fdatasync, and maintains the segment's offset index. After any write or sync error it refuses further
// use: how much of the failed write reached the file is unknown, so only reopening the log (which verifies
// and repairs the tail) can continue safely.
//
// Preallocation (SegmentWriterOptions::preallocate_bytes): the writer keeps zeros written ahead of its
// position, so most fdatasyncs overwrite blocks the file already has and need not also journal a new file
// size (on this project's VM disk that makes a small fdatasync several times cheaper). The zeros are data like
// any other, so a crash leaves valid commits followed by zeros: readers take an all-zero commit header with
// only zeros after it as the end of the segment (spec/data-layer.md §3.2 asks for exactly that), Resume cuts
// the zeros, and Trim cuts them when a segment is sealed or the log closed.
//
// SegmentReader reads commits one by one, verifying each checksum. Compressed segments (zstd, detected by
// magic) are decompressed into memory when opened; everything else reads through a read-ahead buffer. A
// reader never trusts a length before checking it against the bytes that exist, and reports damaged data as
// a SegmentDamage (what and where) rather than an error, because whether damage is a harmless torn tail or
// real corruption depends on what follows (FindValidCommitAfter) and on the other segments.
//
// Thread-safety: SegmentWriter and SegmentReader are used by one thread at a time. A reader may read a
// segment that a writer in another thread appends to; it sees a prefix (possibly ending in a torn commit).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "durability/commitlog_format.h"
#include "durability/file_system.h"
#include "durability/offset_index.h"
#include "sats/bsatn.h"
#include "sats/result.h"

namespace stdb::durability {

// --- Names ---------------------------------------------------------------------------------------------------
std::string SegmentFileName(uint64_t min_tx_offset);      // "00000000000000000042.stdb.log"
std::string OffsetIndexFileName(uint64_t min_tx_offset);  // "00000000000000000042.stdb.ofs"
// The offset a segment file name encodes, or nullopt for any other name.
std::optional<uint64_t> ParseSegmentFileName(std::string_view name);
// The offsets of the segments in `dir`, ascending.
Result<std::vector<uint64_t>> ListSegments(FileSystem& fs, const std::string& dir);

// --- Segment header ------------------------------------------------------------------------------------------
struct SegmentHeader {
  uint8_t log_format_version = format::kCurrentLogFormatVersion;
  uint8_t checksum_algorithm = format::kChecksumAlgorithmCrc32c;
};
void EncodeSegmentHeader(const SegmentHeader& header, uint8_t out[format::kSegmentHeaderSize]);
// Parses and checks a header: magic, a version we can read, CRC32C. Errors name `path`.
Result<SegmentHeader> DecodeSegmentHeader(sats::ByteSpan bytes, const std::string& path);

// --- Commits -------------------------------------------------------------------------------------------------
struct Commit {
  uint64_t min_tx_offset = 0;
  uint64_t epoch = 0;
  uint16_t n = 0;          // number of records
  sats::Bytes records;     // n concatenated Txdata records
  uint32_t checksum = 0;   // as stored
  uint64_t next_tx_offset() const { return min_tx_offset + n; }
};

// Size of a framed commit holding `records_size` bytes of records.
inline uint64_t EncodedCommitSize(uint8_t log_format_version, uint64_t records_size) {
  return format::CommitHeaderSize(log_format_version) + records_size + format::kCommitChecksumSize;
}
// Appends a framed commit to `out` and returns its checksum.
uint32_t EncodeCommit(uint8_t log_format_version, uint64_t min_tx_offset, uint64_t epoch, uint16_t n,
                      sats::ByteSpan records, sats::Bytes& out);

// --- Writing -------------------------------------------------------------------------------------------------
struct SegmentWriterOptions {
  size_t write_buffer_size = format::kDefaultWriteBufferSize;
  // Zeros kept written ahead of the data (0: none, the file grows with every write).
  uint64_t preallocate_bytes = 0;
  // capacity 0 writes no offset index.
  OffsetIndexOptions offset_index{};
};

struct CommitWritten {
  uint64_t min_tx_offset = 0;
  uint16_t n = 0;
  uint32_t checksum = 0;
  uint64_t byte_position = 0;  // of the commit's header in the segment
};

class SegmentWriter {
 public:
  // Creates `dir`/SegmentFileName(min_tx_offset) holding only the header, durably (file and directory
  // synced). kAlreadyExists if the segment exists.
  static Result<std::unique_ptr<SegmentWriter>> Create(FileSystem& fs, const std::string& dir, uint64_t min_tx_offset,
                                                       uint64_t epoch, const SegmentWriterOptions& options);

  // Reopens an existing segment whose verified commits end at byte `size` with `next_tx_offset`: removes
  // anything after `size` (a torn tail), drops offset-index entries from next_tx_offset on, and syncs.
  static Result<std::unique_ptr<SegmentWriter>> Resume(FileSystem& fs, const std::string& dir, uint64_t min_tx_offset,
                                                       uint64_t next_tx_offset, uint64_t size, uint64_t epoch,
                                                       const SegmentWriterOptions& options);

  // Appends one commit of `n` records (their concatenated encodings) at next_tx_offset(). The bytes may stay
  // in the write buffer until Flush/Sync or until the buffer fills.
  Result<CommitWritten> Append(uint16_t n, sats::ByteSpan records);
  // Writes the buffer to the file.
  Status Flush();
  // Flush, then fdatasync; then lets the offset index add its pending entry.
  Status Sync();
  // Sync, then cut the preallocated zeros after the data and sync again (a sealed segment ends at its data).
  Status Trim();

  uint64_t min_tx_offset() const { return min_tx_offset_; }
  uint64_t next_tx_offset() const { return next_tx_offset_; }
  // Offset one past the last transaction made durable by Sync (min_tx_offset() if none).
  uint64_t synced_tx_offset() const { return synced_tx_offset_; }
  // Bytes in the segment, header and buffered commits included.
  uint64_t size() const { return size_; }
  bool empty() const { return next_tx_offset_ == min_tx_offset_; }
  uint64_t epoch() const { return epoch_; }
  void set_epoch(uint64_t epoch) { epoch_ = epoch; }
  const std::string& path() const { return file_->path(); }
  // The error that stopped this writer, if any.
  const std::optional<Error>& failure() const { return failure_; }
  // Offset-index write failures, which never fail a commit (the index is a hint).
  uint64_t offset_index_errors() const { return offset_index_errors_; }

 private:
  SegmentWriter(std::unique_ptr<WritableFile> file, std::unique_ptr<OffsetIndexWriter> index, uint64_t min_tx_offset,
                uint64_t next_tx_offset, uint64_t size, uint64_t epoch, const SegmentWriterOptions& options);
  Error Fail(Error error);
  Status CheckUsable() const;
  Status WriteBuffer();
  // Writes zeros so that the file holds at least `end` + preallocate_bytes_ bytes once `end` is passed.
  Status Preallocate(uint64_t end);

  std::unique_ptr<WritableFile> file_;
  std::unique_ptr<OffsetIndexWriter> index_;
  uint64_t min_tx_offset_;
  uint64_t next_tx_offset_;
  uint64_t synced_tx_offset_;
  uint64_t size_;            // logical size, including the buffer
  uint64_t buffer_position_; // file position of buffer_[0]
  uint64_t epoch_;
  size_t buffer_size_;
  uint64_t preallocate_bytes_;
  uint64_t allocated_end_;   // the file's size: data, then zeros
  sats::Bytes buffer_;
  std::optional<Error> failure_;
  uint64_t offset_index_errors_ = 0;
};

// --- Reading -------------------------------------------------------------------------------------------------
struct SegmentDamage {
  enum class Kind {
    kIncomplete,        // the file ends inside the commit: a torn write
    kZeroed,            // an all-zero commit header: preallocated or never-written space
    kChecksumMismatch,  // all bytes present, CRC32C differs
    kMalformed,         // the header is impossible (n = 0)
  };
  Kind kind = Kind::kIncomplete;
  uint64_t byte_position = 0;  // where the damaged commit starts
  std::string reason;          // human-readable, names the file and position
  // A torn write or never-written space; other kinds mean stored bytes changed or were misplaced.
  bool is_torn_write() const { return kind == Kind::kIncomplete || kind == Kind::kZeroed; }
};

const char* DamageKindName(SegmentDamage::Kind kind);

struct SegmentReaderOptions {
  // Refuse to inflate a compressed segment beyond this many bytes (a zip bomb, or a corrupt frame header).
  uint64_t max_decompressed_size = uint64_t(8) << 30;
  size_t read_buffer_size = 256 * 1024;
};

class SegmentReader {
 public:
  enum class Outcome { kCommit, kEnd, kDamaged };

  // Opens a segment and checks its header (magic, version, checksum algorithm). Errors name the file.
  static Result<std::unique_ptr<SegmentReader>> Open(FileSystem& fs, const std::string& path,
                                                     const SegmentReaderOptions& options = {});

  // Reads the commit at position(). kEnd at the end of the data, which is the end of the file or the start of
  // preallocated space (an all-zero commit header with only zeros after it); kDamaged leaves position() at
  // the damaged commit and fills damage().
  Result<Outcome> Next();
  const Commit& commit() const { return commit_; }
  uint64_t commit_position() const { return commit_position_; }
  const SegmentDamage& damage() const { return damage_; }

  // Moves to a byte position (which must be a commit boundary for Next to make sense).
  void Seek(uint64_t byte_position) { position_ = byte_position; }
  // Whether every byte from `from` to the end of the file is zero: preallocated space.
  Result<bool> ZerosToEnd(uint64_t from);
  // Whether the damaged commit at `from` ends in zeros (the last 4 bytes it claims, or of the file if the
  // claim does not fit) and only zeros follow it: the mark of space that was allocated but never written, so
  // damage ending this way is a torn write whatever its kind. A bit flip in a whole commit leaves its
  // checksum in place, preallocated zeros after it or not.
  Result<bool> EndsInZeros(uint64_t from);
  // Seeks to an index entry's position if a valid commit with exactly that min_tx_offset starts there.
  Result<bool> SeekToIndexedCommit(const OffsetIndexEntry& entry);
  // The position of the first commit with a valid checksum and min_tx_offset >= min_tx_offset that starts
  // after byte `after`, if any: it tells damage followed by good data (corruption) from a torn tail.
  Result<std::optional<uint64_t>> FindValidCommitAfter(uint64_t after, uint64_t min_tx_offset);

  const std::string& path() const { return path_; }
  const SegmentHeader& header() const { return header_; }
  bool compressed() const { return compressed_; }
  uint64_t size() const { return size_; }  // of the (uncompressed) data
  uint64_t position() const { return position_; }

 private:
  SegmentReader() = default;
  Result<size_t> ReadAt(uint64_t pos, uint8_t* out, size_t n);
  // Reads a whole commit at `pos` into `out` without touching the reader's state.
  Result<std::optional<SegmentDamage>> ReadCommitAt(uint64_t pos, Commit& out, uint64_t* size);

  std::string path_;
  SegmentHeader header_;
  bool compressed_ = false;
  std::unique_ptr<ReadableFile> file_;  // uncompressed segments
  sats::Bytes data_;                    // compressed segments, inflated
  uint64_t size_ = 0;
  uint64_t position_ = format::kSegmentHeaderSize;
  sats::Bytes buffer_;
  uint64_t buffer_position_ = 0;
  size_t buffer_capacity_ = 0;
  Commit commit_;
  uint64_t commit_position_ = 0;
  SegmentDamage damage_;
};

}  // namespace stdb::durability
