#include "durability/commitlog_reader.h"

#include <algorithm>

namespace stdb::durability {

CommitReader::CommitReader(FileSystem& fs, std::string dir, std::vector<uint64_t> segments, size_t first,
                           uint64_t from, const SegmentReaderOptions& options)
    : fs_(&fs),
      dir_(std::move(dir)),
      segments_(std::move(segments)),
      next_segment_(first),
      from_offset_(from),
      options_(options) {
  if (first < segments_.size()) expected_offset_ = segments_[first];
}

Result<CommitReader> CommitReader::Open(FileSystem& fs, const std::string& dir, uint64_t from_offset,
                                        const SegmentReaderOptions& options) {
  auto exists = fs.Exists(dir);
  if (exists.ok() && !*exists) return OpenSegments(fs, dir, {}, from_offset, options);
  STDB_ASSIGN_OR_RETURN(auto segments, ListSegments(fs, dir));
  return OpenSegments(fs, dir, std::move(segments), from_offset, options);
}

Result<CommitReader> CommitReader::OpenSegments(FileSystem& fs, const std::string& dir, std::vector<uint64_t> segments,
                                                uint64_t from_offset, const SegmentReaderOptions& options) {
  size_t first = 0;
  if (!segments.empty()) {
    if (from_offset < segments.front())
      return Error(ErrorCode::kNotFound, "commitlog " + dir + " starts at transaction offset " +
                                             std::to_string(segments.front()) + ", after the requested " +
                                             std::to_string(from_offset));
    // The last segment that starts at or before from_offset holds it (or the log ends before it).
    first = static_cast<size_t>(std::upper_bound(segments.begin(), segments.end(), from_offset) - segments.begin()) - 1;
  }
  return CommitReader(fs, dir, std::move(segments), first, from_offset, options);
}

Error CommitReader::Corrupt(const std::string& message, const std::string& path, uint64_t segment_offset,
                            uint64_t position, uint64_t tx_offset) {
  corruption_ = LogCorruption{path, segment_offset, position, tx_offset};
  failed_ = true;
  return Error(ErrorCode::kCorruption, message);
}

Status CommitReader::OpenNextSegment() {
  segment_offset_ = segments_[next_segment_++];
  // A segment named after the offset we expect means its writer resumed there: whatever damage ended the
  // previous segment was a tail it chose to abandon.
  if (pending_damage_ && segment_offset_ == expected_offset_) pending_damage_.reset();
  std::string path = JoinPath(dir_, SegmentFileName(segment_offset_));
  auto reader = SegmentReader::Open(*fs_, path, options_);
  if (!reader.ok()) {
    // A last segment too short for its header is a segment whose creation was cut short: nothing in it.
    if (next_segment_ == segments_.size()) {
      auto file = fs_->OpenReadable(path);
      if (file.ok()) {
        auto size = (*file)->Size();
        if (size.ok() && *size < format::kSegmentHeaderSize) return OkStatus();
      }
    }
    failed_ = true;
    if (reader.error().code() == ErrorCode::kCorruption)
      corruption_ = LogCorruption{path, segment_offset_, 0, expected_offset_};
    return std::move(reader).error();
  }
  segment_ = std::move(reader).value();
  if (first_segment_) {
    first_segment_ = false;
    if (from_offset_ > segment_offset_) {
      auto entries = ReadOffsetIndex(*fs_, JoinPath(dir_, OffsetIndexFileName(segment_offset_)));
      if (entries.ok()) {
        if (auto entry = FloorEntry(*entries, from_offset_)) {
          auto seeked = segment_->SeekToIndexedCommit(*entry);
          if (seeked.ok() && *seeked) expected_offset_ = entry->tx_offset;
        }
      }
    }
  }
  return OkStatus();
}

Result<bool> CommitReader::FinishAtEnd() {
  if (pending_damage_) {
    PendingDamage d = std::move(*pending_damage_);
    pending_damage_.reset();
    if (d.valid_commit_follows)
      return Corrupt("commitlog " + dir_ + ": corrupt data in the middle of the log at transaction offset " +
                         std::to_string(d.expected_offset) + ": " + d.damage.reason +
                         "; valid commits follow it, so this is not a torn tail (truncating the log at offset " +
                         std::to_string(d.expected_offset) + " discards them)",
                     d.segment_path, d.segment_offset, d.damage.byte_position, d.expected_offset);
    torn_tail_ = std::move(d.damage);
  }
  return false;
}

Result<bool> CommitReader::Next() {
  if (failed_) return Error(ErrorCode::kInternal, "commitlog reader used after an error");
  for (;;) {
    if (!segment_) {
      if (next_segment_ >= segments_.size()) return FinishAtEnd();
      STDB_RETURN_IF_ERROR(OpenNextSegment());
      if (!segment_) continue;
    }
    auto outcome = segment_->Next();
    if (!outcome.ok()) {
      failed_ = true;
      return std::move(outcome).error();
    }
    if (*outcome == SegmentReader::Outcome::kEnd) {
      segment_.reset();
      continue;
    }
    if (*outcome == SegmentReader::Outcome::kDamaged) {
      SegmentDamage damage = segment_->damage();
      auto follows = segment_->FindValidCommitAfter(damage.byte_position, expected_offset_);
      if (!follows.ok()) {
        failed_ = true;
        return std::move(follows).error();
      }
      pending_damage_ = PendingDamage{std::move(damage), segment_->path(), segment_offset_, expected_offset_,
                                      follows->has_value()};
      segment_.reset();
      continue;
    }

    const Commit& c = segment_->commit();
    if (last_commit_ && c.min_tx_offset == last_commit_->first) {
      if (c.checksum == last_commit_->second) continue;  // the same commit written twice
      return Corrupt("commitlog " + dir_ + ": fork at transaction offset " + std::to_string(c.min_tx_offset) + ": " +
                         segment_->path() + " at byte " + std::to_string(segment_->commit_position()) +
                         " holds a different commit than the one already read at that offset",
                     segment_->path(), segment_offset_, segment_->commit_position(), c.min_tx_offset);
    }
    if (c.min_tx_offset != expected_offset_) {
      std::string message = "commitlog " + dir_ + ": expected transaction offset " + std::to_string(expected_offset_) +
                            " but found a commit for offset " + std::to_string(c.min_tx_offset) + " in " +
                            segment_->path() + " at byte " + std::to_string(segment_->commit_position());
      if (pending_damage_) message += " (after " + pending_damage_->damage.reason + ")";
      if (pending_damage_)
        return Corrupt(message, pending_damage_->segment_path, pending_damage_->segment_offset,
                       pending_damage_->damage.byte_position, expected_offset_);
      return Corrupt(message, segment_->path(), segment_offset_, segment_->commit_position(), expected_offset_);
    }
    pending_damage_.reset();
    expected_offset_ = c.next_tx_offset();
    last_commit_ = {c.min_tx_offset, c.checksum};
    if (c.next_tx_offset() <= from_offset_) continue;  // entirely before the requested range
    return true;
  }
}

Result<TransactionReader> TransactionReader::Open(FileSystem& fs, const std::string& dir, uint64_t from_offset,
                                                  RowSizeFn row_size, const SegmentReaderOptions& options) {
  STDB_ASSIGN_OR_RETURN(CommitReader commits, CommitReader::Open(fs, dir, from_offset, options));
  return TransactionReader(std::move(commits), from_offset, std::move(row_size));
}

Result<bool> TransactionReader::Next() {
  for (;;) {
    if (!in_commit_) {
      STDB_ASSIGN_OR_RETURN(bool more, commits_.Next());
      if (!more) return false;
      in_commit_ = true;
      index_in_commit_ = 0;
      position_in_commit_ = 0;
    }
    const Commit& c = commits_.commit();
    sats::ByteSpan records(c.records);
    if (index_in_commit_ == c.n) {
      in_commit_ = false;
      continue;
    }
    uint64_t offset = c.min_tx_offset + index_in_commit_;
    size_t consumed = 0;
    auto record = DecodeTxRecordPrefix(records.subspan(position_in_commit_), row_size_, &consumed);
    if (!record.ok())
      return Error(record.error().code() == ErrorCode::kDecode ? ErrorCode::kCorruption : record.error().code(),
                   "transaction " + std::to_string(offset) + " (commit in " + commits_.segment_path() + " at byte " +
                       std::to_string(commits_.commit_position()) + ", record byte " +
                       std::to_string(position_in_commit_) + "): " + record.error().message());
    record_bytes_ = records.subspan(position_in_commit_, consumed);
    position_in_commit_ += consumed;
    ++index_in_commit_;
    if (index_in_commit_ == c.n && position_in_commit_ != records.size())
      return Error(ErrorCode::kCorruption, "commit at transaction offset " + std::to_string(c.min_tx_offset) + " in " +
                                               commits_.segment_path() + " has " +
                                               std::to_string(records.size() - position_in_commit_) +
                                               " bytes after its " + std::to_string(c.n) + " records");
    if (offset < from_offset_) continue;
    offset_ = offset;
    record_ = std::move(record).value();
    return true;
  }
}

}  // namespace stdb::durability
