// Reading a commitlog: CommitReader walks the commits of all segments in offset order, TransactionReader the
// transactions inside them (spec/data-layer.md §3.6).
//
// Reading starts at the segment holding `from_offset`, seeks with that segment's offset index when it can
// (an entry is trusted only after the commit at its position checks out), and checks every commit's CRC32C
// and that offsets are contiguous. What the reader does with irregular data, following the reference:
// - A damaged commit stops reading *that segment*. If the next segment starts at the expected offset, reading
//   continues there: that is how a torn tail followed by a fresh segment looks.
// - Damage at the very end of the log is a torn tail and ends the iteration quietly (torn_tail() tells),
//   unless a commit with a valid checksum follows the damage in the same segment: then data in the middle of
//   the log is corrupt, and Next fails naming the segment, byte position and transaction offset.
// - A commit whose offset equals the previous one is skipped when its checksum is equal too (a duplicate) and
//   is an error otherwise (a fork); any other discontinuity is an error naming the expected and found offsets.
// After a corruption or gap error, corruption() says where, so an operator can truncate the log there
// (CommitlogOptions::truncate_at_corruption, TruncateLog in commitlog.h).
//
// Thread-safety: a reader is used by one thread. It reads the files directly, so it can run while the log is
// being appended to; it sees the segments that existed when it was opened, up to the bytes flushed when it
// reached each of them.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "durability/file_system.h"
#include "durability/segment.h"
#include "durability/tx_record.h"
#include "sats/result.h"

namespace stdb::durability {

// Where stored data stops being a valid continuation of the log.
struct LogCorruption {
  std::string segment_path;
  uint64_t segment_offset = 0;  // the segment's name
  uint64_t byte_position = 0;   // of the offending commit in that segment
  uint64_t tx_offset = 0;       // the offset the log should have continued with: truncating here repairs it
};

class CommitReader {
 public:
  // Opens the log in `dir` for reading the commits that hold transactions >= from_offset. kNotFound if the
  // log's first segment starts after from_offset; an empty or missing log reads as empty.
  static Result<CommitReader> Open(FileSystem& fs, const std::string& dir, uint64_t from_offset,
                                   const SegmentReaderOptions& options = {});
  // As Open, over the given segments (ascending offsets) instead of a directory listing.
  static Result<CommitReader> OpenSegments(FileSystem& fs, const std::string& dir, std::vector<uint64_t> segments,
                                           uint64_t from_offset, const SegmentReaderOptions& options = {});

  CommitReader(CommitReader&&) = default;
  CommitReader& operator=(CommitReader&&) = default;

  // Moves to the next commit: true if there is one, false at the end of the log, an Error for I/O errors,
  // corruption, forks and gaps.
  Result<bool> Next();
  const Commit& commit() const { return segment_->commit(); }
  // Log format version of the segment the current commit came from (records may depend on it).
  uint8_t log_format_version() const { return segment_->header().log_format_version; }
  // Path and byte position of the current commit.
  const std::string& segment_path() const { return segment_->path(); }
  uint64_t commit_position() const { return segment_->commit_position(); }

  const std::optional<LogCorruption>& corruption() const { return corruption_; }
  // The damage at the end of the log that the reader treated as a torn tail, once Next has returned false.
  const std::optional<SegmentDamage>& torn_tail() const { return torn_tail_; }

 private:
  struct PendingDamage {
    SegmentDamage damage;
    std::string segment_path;
    uint64_t segment_offset = 0;
    uint64_t expected_offset = 0;
    bool valid_commit_follows = false;
  };

  CommitReader(FileSystem& fs, std::string dir, std::vector<uint64_t> segments, size_t first, uint64_t from,
               const SegmentReaderOptions& options);
  Status OpenNextSegment();
  Error Corrupt(const std::string& message, const std::string& path, uint64_t segment_offset, uint64_t position,
                uint64_t tx_offset);
  Result<bool> FinishAtEnd();

  FileSystem* fs_;
  std::string dir_;
  std::vector<uint64_t> segments_;
  size_t next_segment_;
  uint64_t from_offset_;
  SegmentReaderOptions options_;
  std::unique_ptr<SegmentReader> segment_;
  uint64_t segment_offset_ = 0;
  bool first_segment_ = true;
  uint64_t expected_offset_ = 0;
  std::optional<std::pair<uint64_t, uint32_t>> last_commit_;  // min_tx_offset, checksum
  std::optional<PendingDamage> pending_damage_;
  std::optional<LogCorruption> corruption_;
  std::optional<SegmentDamage> torn_tail_;
  bool failed_ = false;
};

class TransactionReader {
 public:
  // Opens the log in `dir` to read transactions with offset >= from_offset; `row_size` finds row boundaries
  // (tx_record.h).
  static Result<TransactionReader> Open(FileSystem& fs, const std::string& dir, uint64_t from_offset,
                                        RowSizeFn row_size, const SegmentReaderOptions& options = {});
  TransactionReader(CommitReader commits, uint64_t from_offset, RowSizeFn row_size)
      : commits_(std::move(commits)), from_offset_(from_offset), row_size_(std::move(row_size)) {}

  // Moves to the next transaction: true if there is one, false at the end of the log.
  Result<bool> Next();
  uint64_t offset() const { return offset_; }
  // The decoded record; its views point into the current commit and stay valid until Next.
  const TxRecordView& record() const { return record_; }
  sats::ByteSpan record_bytes() const { return record_bytes_; }
  CommitReader& commits() { return commits_; }

 private:
  CommitReader commits_;
  uint64_t from_offset_;
  RowSizeFn row_size_;
  bool in_commit_ = false;
  uint16_t index_in_commit_ = 0;
  size_t position_in_commit_ = 0;
  uint64_t offset_ = 0;
  TxRecordView record_;
  sats::ByteSpan record_bytes_;
};

}  // namespace stdb::durability
