// The offset index: the `<offset:020>.stdb.ofs` file beside each segment that maps the min_tx_offset of some
// commits to the byte position of their header in the segment, so that a reader can start near a given
// transaction without scanning the segment from the top (spec/data-layer.md §3.4).
//
// Layout: a file preallocated to `capacity` slots of 16 bytes, {min_tx_offset u64 LE, byte position u64 LE}
// (the position counts from the start of the file, segment header included). Slots fill from the start with
// strictly increasing keys; key 0 marks the first free slot, which is why the commit at offset 0 is never
// indexed. The reference sizes it as max_segment_size / offset_index_interval_bytes slots.
//
// When an entry is written (OffsetIndexWriter::OnCommit / OnSegmentSynced): the candidate is the first commit
// written after the previous entry; it is recorded once the commits written since the previous entry,
// candidate included, total at least `interval_bytes`. By default this is checked only when the segment has
// been fsynced, so every entry points at a durable commit.
//
// The index is a hint. Readers take the valid prefix of the file (stopping at a free slot, a key that does not
// increase or a position inside the segment header), and must check that the commit at an entry's position
// really has that offset (SegmentReader::SeekToIndexedCommit) before trusting it. Failing to write the index
// never fails a commit.
//
// Thread-safety: OffsetIndexWriter is used by one thread (the segment's writer). ReadOffsetIndex may run
// concurrently with a writer of the same file; it may then see a prefix of the entries.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "durability/file_system.h"
#include "sats/result.h"

namespace stdb::durability {

struct OffsetIndexEntry {
  uint64_t tx_offset = 0;      // min_tx_offset of the indexed commit
  uint64_t byte_position = 0;  // of the commit's header, from the start of the segment file
  bool operator==(const OffsetIndexEntry&) const = default;
};

// Reads the valid prefix of an index file. A missing file is kNotFound; a damaged one yields fewer entries.
Result<std::vector<OffsetIndexEntry>> ReadOffsetIndex(FileSystem& fs, const std::string& path);

// The entry with the greatest key <= tx_offset, if any. `entries` must be sorted (as ReadOffsetIndex returns).
std::optional<OffsetIndexEntry> FloorEntry(const std::vector<OffsetIndexEntry>& entries, uint64_t tx_offset);

struct OffsetIndexOptions {
  uint64_t capacity = 0;        // slots; the file is preallocated to capacity * 16 bytes
  uint64_t interval_bytes = 0;  // commit bytes between entries
  bool require_segment_fsync = true;  // add entries only in OnSegmentSynced
};

class OffsetIndexWriter {
 public:
  // Opens the index at `path`, creating it if needed, and keeps its valid entries (clearing anything after
  // them, so later appends cannot be followed by stale slots).
  static Result<std::unique_ptr<OffsetIndexWriter>> Open(FileSystem& fs, const std::string& path,
                                                         const OffsetIndexOptions& options);

  // Records that a commit of `commit_size` bytes with `min_tx_offset` was written at `byte_position`.
  Status OnCommit(uint64_t min_tx_offset, uint64_t byte_position, uint64_t commit_size);
  // Called after the segment has been fsynced: writes the pending entry, if due (without fsyncing the index).
  Status OnSegmentSynced();

  // Appends an entry directly. kInvalidArgument if the key is 0 or not greater than the last key;
  // kResourceExhausted when all slots are used.
  Status Append(uint64_t tx_offset, uint64_t byte_position);
  // Removes every entry whose key is >= tx_offset (used when the segment is truncated there) and syncs.
  Status TruncateFrom(uint64_t tx_offset);
  Status Sync();

  const std::vector<OffsetIndexEntry>& entries() const { return entries_; }
  const std::string& path() const { return file_->path(); }

 private:
  OffsetIndexWriter(std::unique_ptr<WritableFile> file, OffsetIndexOptions options,
                    std::vector<OffsetIndexEntry> entries)
      : file_(std::move(file)), options_(options), entries_(std::move(entries)) {}
  Status AppendIfDue();
  Status ZeroSlots(uint64_t from_slot, uint64_t to_slot);

  std::unique_ptr<WritableFile> file_;
  OffsetIndexOptions options_;
  std::vector<OffsetIndexEntry> entries_;
  std::optional<OffsetIndexEntry> candidate_;
  uint64_t bytes_since_last_entry_ = 0;
};

}  // namespace stdb::durability
