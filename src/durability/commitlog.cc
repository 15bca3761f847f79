#include "durability/commitlog.h"

#include <algorithm>

namespace stdb::durability {
namespace {

Status RemoveIfExists(FileSystem& fs, const std::string& path) {
  Status s = fs.Remove(path);
  if (!s.ok() && s.error().code() == ErrorCode::kNotFound) return OkStatus();
  return s;
}

// Compression that crashed before its rename leaves `<segment>.compress-tmp` behind; it is never valid data.
Status RemoveStaleCompressionFiles(FileSystem& fs, const std::string& dir) {
  STDB_ASSIGN_OR_RETURN(auto names, fs.ListDir(dir));
  bool removed = false;
  for (const auto& name : names) {
    if (name.size() <= kCompressTempSuffix.size() ||
        name.compare(name.size() - kCompressTempSuffix.size(), kCompressTempSuffix.size(), kCompressTempSuffix) != 0)
      continue;
    if (!ParseSegmentFileName(std::string_view(name).substr(0, name.size() - kCompressTempSuffix.size()))) continue;
    STDB_RETURN_IF_ERROR(RemoveIfExists(fs, JoinPath(dir, name)));
    removed = true;
  }
  return removed ? fs.SyncDir(dir) : OkStatus();
}

// Drops index entries at or after `from_key` from the index beside a truncated segment.
Status TruncateIndexFile(FileSystem& fs, const std::string& path, uint64_t from_key) {
  auto exists = fs.Exists(path);
  if (!exists.ok() || !*exists) return OkStatus();
  STDB_ASSIGN_OR_RETURN(auto file, fs.OpenReadable(path));
  STDB_ASSIGN_OR_RETURN(uint64_t size, file->Size());
  file.reset();
  OffsetIndexOptions keep_size{size / format::kOffsetIndexEntrySize, 0, true};
  auto index = OffsetIndexWriter::Open(fs, path, keep_size);
  // The index is only a hint; one that cannot be repaired is better gone.
  if (!index.ok() || !(*index)->TruncateFrom(from_key).ok()) return RemoveIfExists(fs, path);
  return OkStatus();
}

}  // namespace

Commitlog::Commitlog(FileSystem& fs, std::string dir, const CommitlogOptions& options)
    : fs_(fs), dir_(std::move(dir)), options_(options) {}

Commitlog::~Commitlog() {
  if (!closed_ && !failure_ && head_) (void)head_->Sync();
}

SegmentWriterOptions Commitlog::WriterOptions() const {
  SegmentWriterOptions w;
  w.write_buffer_size = options_.write_buffer_size;
  w.preallocate_bytes = std::min(options_.preallocate_bytes, options_.max_segment_size);
  uint64_t interval = std::max<uint64_t>(options_.offset_index_interval_bytes, 1);
  w.offset_index.capacity = std::max<uint64_t>(options_.max_segment_size / interval, 1);
  w.offset_index.interval_bytes = interval;
  w.offset_index.require_segment_fsync = options_.offset_index_require_segment_fsync;
  return w;
}

Result<std::unique_ptr<Commitlog>> Commitlog::Open(const std::string& dir, const CommitlogOptions& options) {
  FileSystem& fs = options.file_system ? *options.file_system : FileSystem::Posix();
  if (options.max_segment_size <= format::kSegmentHeaderSize)
    return Error(ErrorCode::kInvalidArgument, "commitlog max_segment_size must exceed the segment header");
  std::unique_ptr<Commitlog> log(new Commitlog(fs, dir, options));
  auto context = [&](Error e) { return std::move(e.Prefix("opening commitlog " + dir)); };
  if (Status s = fs.CreateDirs(dir); !s.ok()) return context(std::move(s).error());
  if (Status s = RemoveStaleCompressionFiles(fs, dir); !s.ok()) return context(std::move(s).error());
  if (options.truncate_at_corruption) {
    // Verify the whole log, not just the tail, and cut it at the first commit that does not check out.
    STDB_ASSIGN_OR_RETURN(auto segments, ListSegments(fs, dir));
    if (!segments.empty()) {
      STDB_ASSIGN_OR_RETURN(CommitReader reader,
                            CommitReader::OpenSegments(fs, dir, segments, segments.front(), options.reader));
      for (;;) {
        auto more = reader.Next();
        if (more.ok() && !*more) break;
        if (more.ok()) continue;
        if (!reader.corruption()) return context(std::move(more).error());
        log->report_.repaired_corruption = reader.corruption();
        if (Status s = TruncateLog(fs, dir, reader.corruption()->tx_offset); !s.ok())
          return context(std::move(s).error());
        break;
      }
    }
  }
  if (Status s = log->OpenHead(); !s.ok()) return context(std::move(s).error());
  log->PublishDurable(log->head_->next_tx_offset());
  return log;
}

Status Commitlog::OpenHead() {
  // Each pass either settles on a head or removes data (an empty segment, or a corrupt tail when the operator
  // asked for truncation), so this ends; the bound only guards against a bug looping forever.
  for (int pass = 0; pass < 1'000'000; ++pass) {
    STDB_ASSIGN_OR_RETURN(auto segments, ListSegments(fs_, dir_));
    if (segments.empty()) {
      tail_.clear();
      STDB_ASSIGN_OR_RETURN(head_, SegmentWriter::Create(fs_, dir_, 0, format::kDefaultEpoch, WriterOptions()));
      return OkStatus();
    }
    uint64_t last = segments.back();
    std::string path = JoinPath(dir_, SegmentFileName(last));
    STDB_ASSIGN_OR_RETURN(auto file, fs_.OpenReadable(path));
    STDB_ASSIGN_OR_RETURN(uint64_t size, file->Size());
    file.reset();
    if (size <= format::kSegmentHeaderSize) {
      // Holds no commit: created just before a crash, or emptied by a truncation.
      STDB_RETURN_IF_ERROR(fs_.Remove(path));
      STDB_RETURN_IF_ERROR(RemoveIfExists(fs_, JoinPath(dir_, OffsetIndexFileName(last))));
      STDB_RETURN_IF_ERROR(fs_.SyncDir(dir_));
      report_.removed_empty_segments.push_back(last);
      continue;
    }
    segments.pop_back();
    tail_ = std::move(segments);
    bool done = false;
    STDB_RETURN_IF_ERROR(ResumeOrReplace(last, &done));
    if (done) return OkStatus();
  }
  return Error(ErrorCode::kInternal, "commitlog " + dir_ + ": could not settle on a segment to append to");
}

Status Commitlog::ResumeOrReplace(uint64_t segment, bool* done) {
  std::string path = JoinPath(dir_, SegmentFileName(segment));
  STDB_ASSIGN_OR_RETURN(auto reader, SegmentReader::Open(fs_, path, options_.reader));
  if (!reader->compressed() && reader->header().log_format_version != format::kCurrentLogFormatVersion)
    return Error(ErrorCode::kUnsupported, "segment " + path + " has log format version " +
                                              std::to_string(reader->header().log_format_version) +
                                              "; appending requires version " +
                                              std::to_string(format::kCurrentLogFormatVersion));

  // Start from the newest index entry that points at a real commit: everything before it was fsynced before
  // the entry was written, so only the tail after it needs verifying.
  uint64_t expected = segment;
  bool have_commit = false;
  if (!reader->compressed()) {
    auto entries = ReadOffsetIndex(fs_, JoinPath(dir_, OffsetIndexFileName(segment)));
    if (entries.ok()) {
      for (auto it = entries->rbegin(); it != entries->rend(); ++it) {
        STDB_ASSIGN_OR_RETURN(bool found, reader->SeekToIndexedCommit(*it));
        if (found) {
          expected = it->tx_offset;
          break;
        }
      }
    }
  }
  uint64_t good_end = reader->position();
  uint64_t max_epoch = format::kDefaultEpoch;
  std::optional<std::pair<uint64_t, uint32_t>> last_commit;

  auto corrupt = [&](const std::string& what, uint64_t position) -> Status {
    if (options_.truncate_at_corruption) {
      report_.repaired_corruption = LogCorruption{path, segment, position, expected};
      reader.reset();
      STDB_RETURN_IF_ERROR(TruncateLog(fs_, dir_, expected));
      return OkStatus();  // *done stays false: look at the log again
    }
    return Error(ErrorCode::kCorruption,
                 what + " (transaction offset " + std::to_string(expected) +
                     "); refusing to append after corrupt data. To discard the log from offset " +
                     std::to_string(expected) + " on, reopen with truncate_at_corruption");
  };

  for (;;) {
    STDB_ASSIGN_OR_RETURN(auto outcome, reader->Next());
    if (outcome == SegmentReader::Outcome::kEnd) break;
    if (outcome == SegmentReader::Outcome::kCommit) {
      const Commit& c = reader->commit();
      if (last_commit && c.min_tx_offset == last_commit->first && c.checksum == last_commit->second) {
        good_end = reader->position();
        continue;
      }
      if (c.min_tx_offset != expected)
        return corrupt("segment " + path + " at byte " + std::to_string(reader->commit_position()) +
                           " holds a commit for offset " + std::to_string(c.min_tx_offset) + " where offset " +
                           std::to_string(expected) + " should follow",
                       reader->commit_position());
      expected = c.next_tx_offset();
      max_epoch = std::max(max_epoch, c.epoch);
      last_commit = {c.min_tx_offset, c.checksum};
      good_end = reader->position();
      have_commit = true;
      continue;
    }
    const SegmentDamage damage = reader->damage();
    STDB_ASSIGN_OR_RETURN(auto follows, reader->FindValidCommitAfter(damage.byte_position, expected));
    if (follows)
      return corrupt(damage.reason + "; a valid commit follows at byte " + std::to_string(*follows), damage.byte_position);
    bool torn = damage.is_torn_write();
    if (!torn) {
      STDB_ASSIGN_OR_RETURN(torn, reader->EndsInZeros(damage.byte_position));
    }
    if (torn) {
      // Never fsynced (an fsynced commit is whole), so never acknowledged: safe to cut.
      report_.truncated_torn_tail = damage;
      break;
    }
    if (reader->compressed() || !have_commit)
      return corrupt(damage.reason + (have_commit ? "" : "; the segment holds no valid commit"), damage.byte_position);
    // Like the reference: keep the damaged segment for inspection and continue in a new one. Its good commits
    // count as durable from now on, but an earlier process may have written them without syncing: sync them
    // before anything lands in the next segment, or a power cut could leave a gap behind acknowledged commits.
    report_.abandoned_damage = damage;
    {
      STDB_ASSIGN_OR_RETURN(auto file, fs_.OpenWritable(path, OpenMode::kOpenExisting));
      STDB_RETURN_IF_ERROR(file->Sync());
    }
    tail_.push_back(segment);
    STDB_ASSIGN_OR_RETURN(head_, SegmentWriter::Create(fs_, dir_, expected, max_epoch, WriterOptions()));
    report_.started_new_segment = true;
    *done = true;
    return OkStatus();
  }

  if (reader->compressed()) {
    if (!have_commit) return Error(ErrorCode::kCorruption, "compressed segment " + path + " holds no commit");
    // Sealed segments are immutable.
    tail_.push_back(segment);
    STDB_ASSIGN_OR_RETURN(head_, SegmentWriter::Create(fs_, dir_, expected, max_epoch, WriterOptions()));
    report_.started_new_segment = true;
    *done = true;
    return OkStatus();
  }
  reader.reset();
  STDB_ASSIGN_OR_RETURN(head_, SegmentWriter::Resume(fs_, dir_, segment, expected, good_end, max_epoch, WriterOptions()));
  *done = true;
  return OkStatus();
}

Status Commitlog::CheckUsable() const {
  if (closed_) return Error(ErrorCode::kInvalidArgument, "commitlog " + dir_ + " is closed");
  if (failure_)
    return Error(failure_->code(), "commitlog " + dir_ + " stopped after an earlier error (reopen it to recover): " +
                                       failure_->message());
  return OkStatus();
}

Error Commitlog::Fail(Error error) {
  if (!failure_) failure_ = error;
  return error;
}

void Commitlog::PublishDurable(uint64_t next_tx_offset) {
  if (next_tx_offset > 0) durable_offset_.store(next_tx_offset - 1, std::memory_order_release);
}

std::optional<uint64_t> Commitlog::durable_offset() const {
  uint64_t v = durable_offset_.load(std::memory_order_acquire);
  if (v == kNothingDurable) return std::nullopt;
  return v;
}

std::optional<uint64_t> Commitlog::max_committed_offset() const {
  uint64_t next = head_->next_tx_offset();
  if (next == 0) return std::nullopt;
  return next - 1;
}

std::optional<uint64_t> Commitlog::min_committed_offset() const {
  if (!tail_.empty()) return tail_.front();
  if (!head_->empty()) return head_->min_tx_offset();
  return std::nullopt;
}

std::vector<uint64_t> Commitlog::segment_offsets() const {
  std::vector<uint64_t> all = tail_;
  all.push_back(head_->min_tx_offset());
  return all;
}

Status Commitlog::SetEpoch(uint64_t epoch) {
  if (epoch < head_->epoch())
    return Error(ErrorCode::kInvalidArgument, "epoch " + std::to_string(epoch) + " is smaller than the current epoch " +
                                                  std::to_string(head_->epoch()));
  head_->set_epoch(epoch);
  return OkStatus();
}

Result<uint64_t> Commitlog::Append(const TxRecord& tx) {
  scratch_.clear();
  STDB_RETURN_IF_ERROR(EncodeTxRecord(tx, scratch_));
  STDB_ASSIGN_OR_RETURN(CommitWritten written, AppendCommit(1, scratch_));
  return written.min_tx_offset;
}

Result<CommitWritten> Commitlog::AppendCommit(uint16_t n, sats::ByteSpan records) {
  STDB_RETURN_IF_ERROR(CheckUsable());
  auto written = head_->Append(n, records);
  if (!written.ok()) {
    if (head_->failure()) return Fail(std::move(written).error());
    return std::move(written).error();  // a bad argument; the log is unharmed
  }
  if (head_->size() >= options_.max_segment_size) STDB_RETURN_IF_ERROR(Roll());
  return written;
}

Status Commitlog::Roll() {
  // The closed segment must be durable before anything lands in its successor, or a crash could leave a gap.
  if (Status s = head_->Trim(); !s.ok()) return Fail(std::move(s).error());
  PublishDurable(head_->next_tx_offset());
  auto next = SegmentWriter::Create(fs_, dir_, head_->next_tx_offset(), head_->epoch(), WriterOptions());
  if (!next.ok()) return Fail(std::move(next).error());
  tail_.push_back(head_->min_tx_offset());
  head_ = std::move(next).value();
  return OkStatus();
}

Status Commitlog::Flush() {
  STDB_RETURN_IF_ERROR(CheckUsable());
  if (Status s = head_->Flush(); !s.ok()) return Fail(std::move(s).error());
  return OkStatus();
}

Result<std::optional<uint64_t>> Commitlog::Sync() {
  STDB_RETURN_IF_ERROR(CheckUsable());
  if (Status s = head_->Sync(); !s.ok()) return Fail(std::move(s).error());
  PublishDurable(head_->next_tx_offset());
  return durable_offset();
}

Status Commitlog::Close() {
  if (closed_) return OkStatus();
  auto synced = Sync();
  closed_ = true;
  if (!synced.ok()) return std::move(synced).error();
  // A closed log ends at its data: no preallocated zeros for other tools to skip.
  if (Status s = head_->Trim(); !s.ok()) return Fail(std::move(s).error());
  return OkStatus();
}

Result<CommitReader> Commitlog::ReadCommits(uint64_t from_offset) {
  if (!closed_ && !failure_) STDB_RETURN_IF_ERROR(Flush());
  return CommitReader::OpenSegments(fs_, dir_, segment_offsets(), from_offset, options_.reader);
}

Result<TransactionReader> Commitlog::ReadTransactions(uint64_t from_offset, RowSizeFn row_size) {
  STDB_ASSIGN_OR_RETURN(CommitReader commits, ReadCommits(from_offset));
  return TransactionReader(std::move(commits), from_offset, std::move(row_size));
}

Result<CompressionStats> Commitlog::CompressSegment(uint64_t segment_offset) {
  if (std::find(tail_.begin(), tail_.end(), segment_offset) == tail_.end())
    return Error(ErrorCode::kInvalidArgument, "commitlog " + dir_ + ": segment " + std::to_string(segment_offset) +
                                                  (segment_offset == head_->min_tx_offset()
                                                       ? " is the segment being written; only closed segments can be compressed"
                                                       : " does not exist"));
  return CompressSegmentFile(fs_, JoinPath(dir_, SegmentFileName(segment_offset)));
}

Status TruncateLog(FileSystem& fs, const std::string& dir, uint64_t first_offset_to_drop) {
  STDB_ASSIGN_OR_RETURN(auto segments, ListSegments(fs, dir));
  for (auto it = segments.rbegin(); it != segments.rend(); ++it) {
    uint64_t segment = *it;
    std::string path = JoinPath(dir, SegmentFileName(segment));
    if (segment >= first_offset_to_drop) {
      STDB_RETURN_IF_ERROR(fs.Remove(path));
      STDB_RETURN_IF_ERROR(RemoveIfExists(fs, JoinPath(dir, OffsetIndexFileName(segment))));
      continue;
    }
    STDB_ASSIGN_OR_RETURN(auto reader, SegmentReader::Open(fs, path));
    // Keep the commits that continue the segment and end at or before the cut; stop at anything else.
    uint64_t cut = reader->position();
    uint64_t expected = segment;
    for (;;) {
      STDB_ASSIGN_OR_RETURN(auto outcome, reader->Next());
      if (outcome != SegmentReader::Outcome::kCommit) break;
      const Commit& c = reader->commit();
      if (c.min_tx_offset != expected || c.next_tx_offset() > first_offset_to_drop) break;
      expected = c.next_tx_offset();
      cut = reader->position();
    }
    if (cut < reader->size()) {
      if (reader->compressed())
        return Error(ErrorCode::kUnsupported, "cannot truncate compressed segment " + path + " at byte " +
                                                  std::to_string(cut));
      reader.reset();
      STDB_ASSIGN_OR_RETURN(auto file, fs.OpenWritable(path, OpenMode::kOpenExisting));
      STDB_RETURN_IF_ERROR(file->Truncate(cut));
      STDB_RETURN_IF_ERROR(file->Sync());
      STDB_RETURN_IF_ERROR(TruncateIndexFile(fs, JoinPath(dir, OffsetIndexFileName(segment)), expected));
    }
    break;
  }
  return fs.SyncDir(dir);
}

}  // namespace stdb::durability
