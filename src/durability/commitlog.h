// Commitlog: the write-ahead log of one database replica, a directory of segments in the reference
// SpacetimeDB's on-disk format (spec/data-layer.md §3; format in commitlog_format.h and
// docs/commitlog_format.md).
//
// The log appends commits to its newest segment (the head) and starts a new segment, named by the next
// offset, once the head reaches max_segment_size. Each Append writes one commit holding one transaction, as
// the reference server does; AppendCommit writes several records as one commit. Appends are buffered; Sync
// flushes and fdatasyncs the head and returns the durable offset (the last transaction that survives a
// crash). Batching many appends per Sync is how group commit amortises the fsync.
//
// Opening resumes after the last good commit (§3.6):
// - a last segment holding no more than a header is deleted (and the one before it examined);
// - the last segment is verified from its last trustworthy offset-index entry (or its start) to its end;
// - a torn tail (the file ends inside a commit, zeros stand where a commit header should be, or the damaged
//   commit ends in zeros covering its checksum: space allocated but never written) is truncated away and
//   appending continues in that segment; a segment left with only its header resumes at its name's offset;
// - a complete commit that fails its checksum with nothing valid after it is left as it is and a new segment
//   starts at the next offset, as the reference does (an error if the segment has no valid commit at all); the
//   damaged segment is fdatasynced first, since an earlier process may have written its good commits unsynced;
// - damage followed by valid commits is corruption in the middle of the log: Open fails with an error that
//   names the file, byte position and transaction offset, unless the operator set truncate_at_corruption,
//   which first verifies every segment and truncates the log at the first corrupt commit;
// - unsupported versions or checksum algorithms are errors, and a compressed segment is never appended to.
//
// A write or fsync error stops the log: every later append or sync fails with the original error, because how
// much of the failed write reached the disk is unknown. Reopening verifies the tail and continues after the
// last intact commit.
//
// Thread-safety: a Commitlog is used by one thread at a time (the database's durability worker), except
// durable_offset(), which any thread may call. Readers (ReadCommits, CommitReader::Open) are independent
// objects and may run on other threads.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "durability/commitlog_format.h"
#include "durability/commitlog_reader.h"
#include "durability/file_system.h"
#include "durability/segment.h"
#include "durability/segment_compression.h"
#include "durability/tx_record.h"
#include "sats/result.h"

namespace stdb::durability {

struct CommitlogOptions {
  FileSystem* file_system = nullptr;  // null: the real file system
  uint64_t max_segment_size = format::kDefaultMaxSegmentSize;
  size_t write_buffer_size = format::kDefaultWriteBufferSize;
  // Zeros kept written ahead of the head segment's data, so that fdatasync mostly overwrites existing blocks
  // instead of also journaling a new file size (segment.h). Capped at max_segment_size; 0 turns it off.
  uint64_t preallocate_bytes = format::kDefaultPreallocateBytes;
  uint64_t offset_index_interval_bytes = format::kDefaultOffsetIndexIntervalBytes;
  // Add offset-index entries only when the segment is fsynced, so entries always point at durable commits.
  bool offset_index_require_segment_fsync = true;
  // Operator repair: verify every segment on open and truncate the log at the first corrupt commit (losing
  // everything after it) instead of refusing to open.
  bool truncate_at_corruption = false;
  SegmentReaderOptions reader{};
};

// What Open found and did, for logging and tests.
struct OpenReport {
  std::vector<uint64_t> removed_empty_segments;   // header-only (or shorter) last segments deleted
  std::optional<SegmentDamage> truncated_torn_tail;  // cut from the end of the head segment
  std::optional<SegmentDamage> abandoned_damage;     // left in place; a new segment was started after it
  std::optional<LogCorruption> repaired_corruption;  // where truncate_at_corruption cut the log
  bool started_new_segment = false;
};

class Commitlog {
 public:
  // Opens (creating if needed) the log in `dir` for appending.
  static Result<std::unique_ptr<Commitlog>> Open(const std::string& dir, const CommitlogOptions& options = {});

  // Syncs unless the log has failed or was closed; errors are dropped (call Close to see them).
  ~Commitlog();
  Commitlog(const Commitlog&) = delete;
  Commitlog& operator=(const Commitlog&) = delete;

  // Appends `tx` as one commit (n = 1) and returns its transaction offset.
  Result<uint64_t> Append(const TxRecord& tx);
  // Appends `n` already-encoded records (concatenated) as one commit.
  Result<CommitWritten> AppendCommit(uint16_t n, sats::ByteSpan records);
  // Writes buffered commits to the file without syncing (so readers see them).
  Status Flush();
  // Flush + fdatasync; returns the durable offset (nullopt while the log is empty).
  Result<std::optional<uint64_t>> Sync();
  // Sync and stop accepting appends.
  Status Close();

  // Last transaction offset known to be on stable storage. Safe to call from any thread.
  std::optional<uint64_t> durable_offset() const;
  // Last transaction offset appended (buffered or not).
  std::optional<uint64_t> max_committed_offset() const;
  uint64_t next_tx_offset() const { return head_->next_tx_offset(); }
  // First transaction offset in the log, if it holds any.
  std::optional<uint64_t> min_committed_offset() const;
  // Offsets of all segments, oldest first; the last is the head.
  std::vector<uint64_t> segment_offsets() const;

  uint64_t epoch() const { return head_->epoch(); }
  // Commits written from now on carry `epoch`, which must not be smaller than the current one.
  Status SetEpoch(uint64_t epoch);

  // Readers over the log, after flushing so they see every append.
  Result<CommitReader> ReadCommits(uint64_t from_offset);
  Result<TransactionReader> ReadTransactions(uint64_t from_offset, RowSizeFn row_size);

  // Compresses a closed segment (not the head) with zstd in place.
  Result<CompressionStats> CompressSegment(uint64_t segment_offset);

  const std::string& dir() const { return dir_; }
  const OpenReport& open_report() const { return report_; }
  // The error that stopped the log, if any.
  const std::optional<Error>& failure() const { return failure_; }

 private:
  Commitlog(FileSystem& fs, std::string dir, const CommitlogOptions& options);
  Status OpenHead();
  Status ResumeOrReplace(uint64_t segment, bool* done);
  Status Roll();
  Status CheckUsable() const;
  Error Fail(Error error);
  void PublishDurable(uint64_t next_tx_offset);
  SegmentWriterOptions WriterOptions() const;

  FileSystem& fs_;
  std::string dir_;
  CommitlogOptions options_;
  std::vector<uint64_t> tail_;  // closed segments, oldest first
  std::unique_ptr<SegmentWriter> head_;
  std::optional<Error> failure_;
  bool closed_ = false;
  OpenReport report_;
  sats::Bytes scratch_;
  static constexpr uint64_t kNothingDurable = UINT64_MAX;
  std::atomic<uint64_t> durable_offset_{kNothingDurable};
};

// Operator repair: removes every transaction at or after `first_offset_to_drop` from the log in `dir`: deletes
// the segments that start there or later and truncates the newest remaining segment after its last commit
// that ends at or before that offset (or at its first damaged commit). Must not run while the log is open.
Status TruncateLog(FileSystem& fs, const std::string& dir, uint64_t first_offset_to_drop);

}  // namespace stdb::durability
