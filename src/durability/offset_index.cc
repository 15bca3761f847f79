#include "durability/offset_index.h"

#include <algorithm>
#include <cstring>
#include <functional>

#include "durability/commitlog_format.h"

namespace stdb::durability {
namespace {

constexpr size_t kEntry = format::kOffsetIndexEntrySize;
constexpr size_t kReadChunk = 64 * 1024;  // a multiple of the entry size

uint64_t LoadU64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

void StoreU64(uint64_t v, uint8_t* p) {
  for (int i = 0; i < 8; ++i) p[i] = uint8_t(v >> (8 * i));
}

using ReadAtFn = std::function<Result<size_t>(uint64_t, std::span<uint8_t>)>;

// Reads slots until the first one that is free or breaks the ordering rules. `*first_bad_slot_is_zero`
// tells whether the slot that ended the prefix (if any) was a clean free slot.
Result<std::vector<OffsetIndexEntry>> ReadValidPrefix(const ReadAtFn& read_at, uint64_t file_size,
                                                      bool* first_bad_slot_is_zero) {
  std::vector<OffsetIndexEntry> entries;
  std::vector<uint8_t> chunk(kReadChunk);
  *first_bad_slot_is_zero = true;
  uint64_t slots = file_size / kEntry;
  for (uint64_t pos = 0; pos < slots * kEntry; pos += kReadChunk) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(kReadChunk, slots * kEntry - pos));
    STDB_ASSIGN_OR_RETURN(size_t got, read_at(pos, std::span<uint8_t>(chunk.data(), want)));
    got -= got % kEntry;
    for (size_t at = 0; at < got; at += kEntry) {
      OffsetIndexEntry e{LoadU64(&chunk[at]), LoadU64(&chunk[at + 8])};
      bool valid = e.tx_offset != format::kOffsetIndexEmptyKey && e.byte_position >= format::kSegmentHeaderSize &&
                   (entries.empty() || (e.tx_offset > entries.back().tx_offset &&
                                        e.byte_position > entries.back().byte_position));
      if (!valid) {
        *first_bad_slot_is_zero = e.tx_offset == 0 && e.byte_position == 0;
        return entries;
      }
      entries.push_back(e);
    }
    if (got < want) break;  // the file shrank under us
  }
  return entries;
}

}  // namespace

Result<std::vector<OffsetIndexEntry>> ReadOffsetIndex(FileSystem& fs, const std::string& path) {
  STDB_ASSIGN_OR_RETURN(auto file, fs.OpenReadable(path));
  STDB_ASSIGN_OR_RETURN(uint64_t size, file->Size());
  bool clean = true;
  return ReadValidPrefix([&](uint64_t at, std::span<uint8_t> out) { return file->ReadAt(at, out); }, size, &clean);
}

std::optional<OffsetIndexEntry> FloorEntry(const std::vector<OffsetIndexEntry>& entries, uint64_t tx_offset) {
  auto it = std::upper_bound(entries.begin(), entries.end(), tx_offset,
                             [](uint64_t key, const OffsetIndexEntry& e) { return key < e.tx_offset; });
  if (it == entries.begin()) return std::nullopt;
  return *std::prev(it);
}

Result<std::unique_ptr<OffsetIndexWriter>> OffsetIndexWriter::Open(FileSystem& fs, const std::string& path,
                                                                   const OffsetIndexOptions& options) {
  STDB_ASSIGN_OR_RETURN(auto file, fs.OpenWritable(path, OpenMode::kCreateOrOpen));
  STDB_ASSIGN_OR_RETURN(uint64_t size, file->Size());
  bool clean = true;
  WritableFile* f = file.get();
  STDB_ASSIGN_OR_RETURN(
      auto entries,
      ReadValidPrefix([f](uint64_t at, std::span<uint8_t> out) { return f->ReadAt(at, out); }, size, &clean));
  std::unique_ptr<OffsetIndexWriter> writer(new OffsetIndexWriter(std::move(file), options, std::move(entries)));
  uint64_t wanted_size = options.capacity * kEntry;
  if (!clean) STDB_RETURN_IF_ERROR(writer->ZeroSlots(writer->entries_.size(), size / kEntry));
  if (size != wanted_size) {
    // Sparse preallocation; shrinking drops only slots beyond the capacity, which never hold live entries
    // of a segment written with this capacity.
    STDB_RETURN_IF_ERROR(writer->file_->Truncate(std::max(wanted_size, writer->entries_.size() * kEntry)));
  }
  return writer;
}

Status OffsetIndexWriter::ZeroSlots(uint64_t from_slot, uint64_t to_slot) {
  std::vector<uint8_t> zeros(kReadChunk, 0);
  for (uint64_t pos = from_slot * kEntry; pos < to_slot * kEntry; pos += kReadChunk) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(kReadChunk, to_slot * kEntry - pos));
    STDB_RETURN_IF_ERROR(file_->WriteAt(pos, sats::ByteSpan(zeros.data(), n)));
  }
  return OkStatus();
}

Status OffsetIndexWriter::Append(uint64_t tx_offset, uint64_t byte_position) {
  if (tx_offset == format::kOffsetIndexEmptyKey)
    return Error(ErrorCode::kInvalidArgument, "offset index " + path() + ": key 0 cannot be stored");
  if (!entries_.empty() && tx_offset <= entries_.back().tx_offset)
    return Error(ErrorCode::kInvalidArgument, "offset index " + path() + ": key " + std::to_string(tx_offset) +
                                                  " is not greater than the last key " +
                                                  std::to_string(entries_.back().tx_offset));
  if (entries_.size() >= options_.capacity)
    return Error(ErrorCode::kResourceExhausted, "offset index " + path() + " is full (" +
                                                    std::to_string(options_.capacity) + " entries)");
  uint8_t slot[kEntry];
  StoreU64(tx_offset, slot);
  StoreU64(byte_position, slot + 8);
  STDB_RETURN_IF_ERROR(file_->WriteAt(entries_.size() * kEntry, sats::ByteSpan(slot, kEntry)));
  entries_.push_back({tx_offset, byte_position});
  return OkStatus();
}

Status OffsetIndexWriter::OnCommit(uint64_t min_tx_offset, uint64_t byte_position, uint64_t commit_size) {
  bytes_since_last_entry_ += commit_size;
  if (!candidate_ && min_tx_offset != format::kOffsetIndexEmptyKey) candidate_ = {min_tx_offset, byte_position};
  if (!options_.require_segment_fsync) return AppendIfDue();
  return OkStatus();
}

Status OffsetIndexWriter::AppendIfDue() {
  if (!candidate_ || bytes_since_last_entry_ < options_.interval_bytes) return OkStatus();
  OffsetIndexEntry e = *candidate_;
  candidate_.reset();
  bytes_since_last_entry_ = 0;
  return Append(e.tx_offset, e.byte_position);
}

Status OffsetIndexWriter::OnSegmentSynced() {
  // No fsync of the index: entries are verified before use, so losing or tearing recent ones in a crash
  // costs a longer scan, never correctness; an extra fsync per group commit would cost real throughput.
  return AppendIfDue();
}

Status OffsetIndexWriter::TruncateFrom(uint64_t tx_offset) {
  candidate_.reset();
  bytes_since_last_entry_ = 0;
  auto keep = std::lower_bound(entries_.begin(), entries_.end(), tx_offset,
                               [](const OffsetIndexEntry& e, uint64_t key) { return e.tx_offset < key; });
  uint64_t kept = static_cast<uint64_t>(keep - entries_.begin());
  if (kept == entries_.size()) return OkStatus();
  uint64_t old = entries_.size();
  entries_.erase(keep, entries_.end());
  STDB_RETURN_IF_ERROR(ZeroSlots(kept, old));
  return Sync();
}

Status OffsetIndexWriter::Sync() { return file_->Sync(); }

}  // namespace stdb::durability
