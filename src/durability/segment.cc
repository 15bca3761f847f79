#include "durability/segment.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "durability/crc32c.h"
#include "durability/offset_file_name.h"
#include "durability/segment_compression.h"

namespace stdb::durability {
namespace {

uint64_t LoadU64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}
uint32_t LoadU32(const uint8_t* p) { return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24; }
uint16_t LoadU16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | p[1] << 8); }

template <typename T>
void PutLe(T v, sats::Bytes& out) {
  for (size_t i = 0; i < sizeof(T); ++i) out.push_back(uint8_t(uint64_t(v) >> (8 * i)));
}

struct CommitHeader {
  uint64_t min_tx_offset = 0;
  uint64_t epoch = 0;
  uint16_t n = 0;
  uint32_t len = 0;
};

CommitHeader ParseCommitHeader(const uint8_t* p, uint8_t version) {
  CommitHeader h;
  h.min_tx_offset = LoadU64(p);
  p += 8;
  if (version != format::kLogFormatVersionNoEpoch) {
    h.epoch = LoadU64(p);
    p += 8;
  }
  h.n = LoadU16(p);
  h.len = LoadU32(p + 2);
  return h;
}

std::string Where(const std::string& path, uint64_t pos) { return path + " at byte " + std::to_string(pos); }

}  // namespace

// --- Names ---------------------------------------------------------------------------------------------------

std::string SegmentFileName(uint64_t min_tx_offset) { return OffsetFileName(min_tx_offset, format::kSegmentFileSuffix); }
std::string OffsetIndexFileName(uint64_t min_tx_offset) {
  return OffsetFileName(min_tx_offset, format::kOffsetIndexFileSuffix);
}

std::optional<uint64_t> ParseSegmentFileName(std::string_view name) {
  return ParseOffsetFileName(name, format::kSegmentFileSuffix);
}

Result<std::vector<uint64_t>> ListSegments(FileSystem& fs, const std::string& dir) {
  STDB_ASSIGN_OR_RETURN(auto names, fs.ListDir(dir));
  std::vector<uint64_t> offsets;
  for (const auto& name : names)
    if (auto offset = ParseSegmentFileName(name)) offsets.push_back(*offset);
  std::sort(offsets.begin(), offsets.end());
  return offsets;
}

// --- Header and commit encoding ------------------------------------------------------------------------------

void EncodeSegmentHeader(const SegmentHeader& header, uint8_t out[format::kSegmentHeaderSize]) {
  std::memcpy(out, format::kSegmentMagic, format::kSegmentMagicSize);
  out[6] = header.log_format_version;
  out[7] = header.checksum_algorithm;
  out[8] = 0;
  out[9] = 0;
}

Result<SegmentHeader> DecodeSegmentHeader(sats::ByteSpan bytes, const std::string& path) {
  if (bytes.size() < format::kSegmentHeaderSize)
    return Error(ErrorCode::kCorruption, "segment " + path + ": header is cut off (" + std::to_string(bytes.size()) +
                                             " of " + std::to_string(format::kSegmentHeaderSize) + " bytes)");
  if (std::memcmp(bytes.data(), format::kSegmentMagic, format::kSegmentMagicSize) != 0)
    return Error(ErrorCode::kCorruption, "segment " + path + ": does not start with the segment magic \"(ds)^2\"");
  SegmentHeader h{bytes[6], bytes[7]};
  if (h.log_format_version > format::kCurrentLogFormatVersion)
    return Error(ErrorCode::kUnsupported, "segment " + path + ": log format version " +
                                              std::to_string(h.log_format_version) + " is newer than the highest supported (" +
                                              std::to_string(format::kCurrentLogFormatVersion) + ")");
  if (h.checksum_algorithm != format::kChecksumAlgorithmCrc32c)
    return Error(ErrorCode::kUnsupported, "segment " + path + ": unknown checksum algorithm " +
                                              std::to_string(h.checksum_algorithm) + " (only 0 = CRC32C exists)");
  return h;
}

uint32_t EncodeCommit(uint8_t version, uint64_t min_tx_offset, uint64_t epoch, uint16_t n, sats::ByteSpan records,
                      sats::Bytes& out) {
  size_t start = out.size();
  out.reserve(start + EncodedCommitSize(version, records.size()));
  PutLe<uint64_t>(min_tx_offset, out);
  if (version != format::kLogFormatVersionNoEpoch) PutLe<uint64_t>(epoch, out);
  PutLe<uint16_t>(n, out);
  PutLe<uint32_t>(static_cast<uint32_t>(records.size()), out);
  out.insert(out.end(), records.begin(), records.end());
  uint32_t crc = crc32c::Value(out.data() + start, out.size() - start);
  PutLe<uint32_t>(crc, out);
  return crc;
}

// --- SegmentWriter -------------------------------------------------------------------------------------------

SegmentWriter::SegmentWriter(std::unique_ptr<WritableFile> file, std::unique_ptr<OffsetIndexWriter> index,
                             uint64_t min_tx_offset, uint64_t next_tx_offset, uint64_t size, uint64_t epoch,
                             const SegmentWriterOptions& options)
    : file_(std::move(file)),
      index_(std::move(index)),
      min_tx_offset_(min_tx_offset),
      next_tx_offset_(next_tx_offset),
      synced_tx_offset_(next_tx_offset),
      size_(size),
      buffer_position_(size),
      epoch_(epoch),
      buffer_size_(std::max<size_t>(options.write_buffer_size, 1)),
      preallocate_bytes_(options.preallocate_bytes),
      allocated_end_(size) {
  buffer_.reserve(buffer_size_);
}

namespace {
// The index is a hint: if it cannot be opened the segment is written without one.
std::unique_ptr<OffsetIndexWriter> OpenIndexOrNull(FileSystem& fs, const std::string& dir, uint64_t min_tx_offset,
                                                   const OffsetIndexOptions& options) {
  if (options.capacity == 0) return nullptr;
  auto index = OffsetIndexWriter::Open(fs, JoinPath(dir, OffsetIndexFileName(min_tx_offset)), options);
  return index.ok() ? std::move(index).value() : nullptr;
}
}  // namespace

Result<std::unique_ptr<SegmentWriter>> SegmentWriter::Create(FileSystem& fs, const std::string& dir,
                                                             uint64_t min_tx_offset, uint64_t epoch,
                                                             const SegmentWriterOptions& options) {
  std::string path = JoinPath(dir, SegmentFileName(min_tx_offset));
  STDB_ASSIGN_OR_RETURN(auto file, fs.OpenWritable(path, OpenMode::kCreateNew));
  uint8_t header[format::kSegmentHeaderSize];
  EncodeSegmentHeader(SegmentHeader{}, header);
  STDB_RETURN_IF_ERROR(file->WriteAt(0, sats::ByteSpan(header, sizeof header)));
  STDB_RETURN_IF_ERROR(file->Sync());
  // A stale index of an earlier segment with the same name would describe other bytes.
  std::string index_path = JoinPath(dir, OffsetIndexFileName(min_tx_offset));
  auto stale = fs.Exists(index_path);
  if (stale.ok() && *stale) STDB_RETURN_IF_ERROR(fs.Remove(index_path));
  auto index = OpenIndexOrNull(fs, dir, min_tx_offset, options.offset_index);
  STDB_RETURN_IF_ERROR(fs.SyncDir(dir));
  return std::unique_ptr<SegmentWriter>(new SegmentWriter(std::move(file), std::move(index), min_tx_offset,
                                                          min_tx_offset, format::kSegmentHeaderSize, epoch, options));
}

Result<std::unique_ptr<SegmentWriter>> SegmentWriter::Resume(FileSystem& fs, const std::string& dir,
                                                             uint64_t min_tx_offset, uint64_t next_tx_offset,
                                                             uint64_t size, uint64_t epoch,
                                                             const SegmentWriterOptions& options) {
  std::string path = JoinPath(dir, SegmentFileName(min_tx_offset));
  STDB_ASSIGN_OR_RETURN(auto file, fs.OpenWritable(path, OpenMode::kOpenExisting));
  STDB_ASSIGN_OR_RETURN(uint64_t actual, file->Size());
  if (actual < size)
    return Error(ErrorCode::kInternal, "segment " + path + " is " + std::to_string(actual) +
                                           " bytes, shorter than its verified " + std::to_string(size));
  // Cuts a torn tail, and preallocated zeros (they come back with the next write).
  if (actual > size) STDB_RETURN_IF_ERROR(file->Truncate(size));
  // Also makes durable whatever an earlier process wrote but did not sync, so the whole prefix counts as durable.
  STDB_RETURN_IF_ERROR(file->Sync());
  auto index = OpenIndexOrNull(fs, dir, min_tx_offset, options.offset_index);
  if (index && !index->TruncateFrom(next_tx_offset).ok()) index.reset();
  return std::unique_ptr<SegmentWriter>(new SegmentWriter(std::move(file), std::move(index), min_tx_offset,
                                                          next_tx_offset, size, epoch, options));
}

Error SegmentWriter::Fail(Error error) {
  error.Prefix("segment " + path());
  failure_ = error;
  return error;
}

Status SegmentWriter::CheckUsable() const {
  if (failure_)
    return Error(failure_->code(), "segment writer stopped after an earlier error (reopen the log to recover): " +
                                       failure_->message());
  return OkStatus();
}

Status SegmentWriter::Preallocate(uint64_t end) {
  if (preallocate_bytes_ == 0 || end <= allocated_end_) return OkStatus();
  static const std::vector<uint8_t> kZeros(1 << 20);
  const uint64_t target = end + preallocate_bytes_;
  for (uint64_t pos = end; pos < target;) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(kZeros.size(), target - pos));
    STDB_RETURN_IF_ERROR(file_->WriteAt(pos, sats::ByteSpan(kZeros.data(), n)));
    pos += n;
  }
  allocated_end_ = target;
  return OkStatus();
}

Status SegmentWriter::WriteBuffer() {
  if (buffer_.empty()) return OkStatus();
  if (Status s = Preallocate(buffer_position_ + buffer_.size()); !s.ok()) return Fail(std::move(s).error());
  Status s = file_->WriteAt(buffer_position_, buffer_);
  if (!s.ok()) return Fail(std::move(s).error());
  buffer_position_ += buffer_.size();
  buffer_.clear();
  return OkStatus();
}

Result<CommitWritten> SegmentWriter::Append(uint16_t n, sats::ByteSpan records) {
  STDB_RETURN_IF_ERROR(CheckUsable());
  if (n == 0) return Error(ErrorCode::kInvalidArgument, "a commit must hold at least one record");
  if (records.size() > UINT32_MAX)
    return Error(ErrorCode::kInvalidArgument, "commit records of " + std::to_string(records.size()) +
                                                  " bytes exceed the format's 4 GiB limit");
  if (next_tx_offset_ > UINT64_MAX - n) return Error(ErrorCode::kResourceExhausted, "transaction offsets exhausted");
  CommitWritten written{next_tx_offset_, n, 0, size_};
  uint64_t commit_size = EncodedCommitSize(format::kCurrentLogFormatVersion, records.size());
  if (!buffer_.empty() && buffer_.size() + commit_size > buffer_size_) STDB_RETURN_IF_ERROR(WriteBuffer());
  written.checksum = EncodeCommit(format::kCurrentLogFormatVersion, next_tx_offset_, epoch_, n, records, buffer_);
  size_ += commit_size;
  next_tx_offset_ += n;
  if (buffer_.size() >= buffer_size_) STDB_RETURN_IF_ERROR(WriteBuffer());
  if (index_ && !index_->OnCommit(written.min_tx_offset, written.byte_position, commit_size).ok())
    ++offset_index_errors_;
  return written;
}

Status SegmentWriter::Flush() {
  STDB_RETURN_IF_ERROR(CheckUsable());
  return WriteBuffer();
}

Status SegmentWriter::Sync() {
  STDB_RETURN_IF_ERROR(Flush());
  Status s = file_->Sync();
  // After a failed fsync the kernel may have dropped the dirty pages; retrying could report success for data
  // that is gone, so the writer stops here for good.
  if (!s.ok()) return Fail(std::move(s).error());
  synced_tx_offset_ = next_tx_offset_;
  if (index_ && !index_->OnSegmentSynced().ok()) ++offset_index_errors_;
  return OkStatus();
}

Status SegmentWriter::Trim() {
  STDB_RETURN_IF_ERROR(Sync());
  if (allocated_end_ == size_) return OkStatus();
  if (Status s = file_->Truncate(size_); !s.ok()) return Fail(std::move(s).error());
  allocated_end_ = size_;
  if (Status s = file_->Sync(); !s.ok()) return Fail(std::move(s).error());
  return OkStatus();
}

// --- SegmentReader -------------------------------------------------------------------------------------------

const char* DamageKindName(SegmentDamage::Kind kind) {
  switch (kind) {
    case SegmentDamage::Kind::kIncomplete: return "incomplete commit";
    case SegmentDamage::Kind::kZeroed: return "zeroed commit header";
    case SegmentDamage::Kind::kChecksumMismatch: return "checksum mismatch";
    case SegmentDamage::Kind::kMalformed: return "malformed commit header";
  }
  return "damage";
}

Result<std::unique_ptr<SegmentReader>> SegmentReader::Open(FileSystem& fs, const std::string& path,
                                                           const SegmentReaderOptions& options) {
  std::unique_ptr<SegmentReader> r(new SegmentReader());
  r->path_ = path;
  STDB_ASSIGN_OR_RETURN(auto file, fs.OpenReadable(path));
  STDB_ASSIGN_OR_RETURN(uint64_t size, file->Size());
  uint8_t head[format::kSegmentHeaderSize] = {};
  STDB_ASSIGN_OR_RETURN(size_t got, file->ReadAt(0, std::span<uint8_t>(head, sizeof head)));
  if (StartsWithZstdMagic(sats::ByteSpan(head, got))) {
    r->compressed_ = true;
    STDB_ASSIGN_OR_RETURN(r->data_, DecompressZstdFile(*file, options.max_decompressed_size));
    r->size_ = r->data_.size();
    STDB_ASSIGN_OR_RETURN(r->header_, DecodeSegmentHeader(r->data_, path));
  } else {
    STDB_ASSIGN_OR_RETURN(r->header_, DecodeSegmentHeader(sats::ByteSpan(head, got), path));
    r->file_ = std::move(file);
    r->size_ = size;
    r->buffer_capacity_ = std::max<size_t>(options.read_buffer_size, 64);
  }
  return r;
}

Result<size_t> SegmentReader::ReadAt(uint64_t pos, uint8_t* out, size_t n) {
  if (pos >= size_) return size_t(0);
  n = static_cast<size_t>(std::min<uint64_t>(n, size_ - pos));
  if (compressed_) {
    std::memcpy(out, data_.data() + pos, n);
    return n;
  }
  if (n >= buffer_capacity_) return file_->ReadAt(pos, std::span<uint8_t>(out, n));
  if (pos < buffer_position_ || pos + n > buffer_position_ + buffer_.size()) {
    buffer_.resize(buffer_capacity_);
    STDB_ASSIGN_OR_RETURN(size_t got, file_->ReadAt(pos, std::span<uint8_t>(buffer_.data(), buffer_.size())));
    buffer_.resize(got);
    buffer_position_ = pos;
    n = std::min(n, got);
  }
  std::memcpy(out, buffer_.data() + (pos - buffer_position_), n);
  return n;
}

Result<std::optional<SegmentDamage>> SegmentReader::ReadCommitAt(uint64_t pos, Commit& out, uint64_t* size) {
  const uint8_t version = header_.log_format_version;
  const size_t header_size = format::CommitHeaderSize(version);
  auto damage = [&](SegmentDamage::Kind kind, const std::string& detail) {
    return std::optional<SegmentDamage>(SegmentDamage{
        kind, pos, std::string(DamageKindName(kind)) + " in segment " + Where(path_, pos) + ": " + detail});
  };
  uint8_t header[format::kCommitHeaderSizeV1];
  STDB_ASSIGN_OR_RETURN(size_t got, ReadAt(pos, header, header_size));
  if (std::all_of(header, header + got, [](uint8_t b) { return b == 0; }))
    return damage(SegmentDamage::Kind::kZeroed, std::to_string(got) + " zero bytes where a commit header should be");
  if (got < header_size)
    return damage(SegmentDamage::Kind::kIncomplete, "the file ends " + std::to_string(got) +
                                                        " bytes into the " + std::to_string(header_size) +
                                                        "-byte commit header");
  CommitHeader h = ParseCommitHeader(header, version);
  if (h.n == 0) return damage(SegmentDamage::Kind::kMalformed, "commit claims 0 records");
  uint64_t body = uint64_t(h.len) + format::kCommitChecksumSize;
  uint64_t available = size_ - pos - header_size;
  if (body > available)
    return damage(SegmentDamage::Kind::kIncomplete, "commit of " + std::to_string(h.len) +
                                                        " record bytes needs " + std::to_string(body) +
                                                        " bytes after its header, the file has " +
                                                        std::to_string(available));
  out.records.resize(h.len);
  STDB_ASSIGN_OR_RETURN(size_t n, ReadAt(pos + header_size, out.records.data(), h.len));
  uint8_t crc_bytes[4];
  STDB_ASSIGN_OR_RETURN(size_t m, ReadAt(pos + header_size + h.len, crc_bytes, 4));
  if (n != h.len || m != 4)
    return damage(SegmentDamage::Kind::kIncomplete, "the file shrank while being read");
  uint32_t stored = LoadU32(crc_bytes);
  uint32_t actual = crc32c::Extend(crc32c::Value(header, header_size), out.records);
  if (stored != actual) {
    char detail[96];
    std::snprintf(detail, sizeof detail, "stored crc32c 0x%08x, computed 0x%08x (commit claims tx offset %llu)",
                  stored, actual, static_cast<unsigned long long>(h.min_tx_offset));
    return damage(SegmentDamage::Kind::kChecksumMismatch, detail);
  }
  out.min_tx_offset = h.min_tx_offset;
  out.epoch = h.epoch;
  out.n = h.n;
  out.checksum = stored;
  *size = header_size + body;
  return std::optional<SegmentDamage>();
}

Result<SegmentReader::Outcome> SegmentReader::Next() {
  if (position_ >= size_) return Outcome::kEnd;
  uint64_t commit_size = 0;
  STDB_ASSIGN_OR_RETURN(auto damage, ReadCommitAt(position_, commit_, &commit_size));
  if (damage) {
    if (damage->kind == SegmentDamage::Kind::kZeroed) {
      STDB_ASSIGN_OR_RETURN(bool preallocated, ZerosToEnd(position_));
      if (preallocated) return Outcome::kEnd;
    }
    damage_ = std::move(*damage);
    return Outcome::kDamaged;
  }
  commit_position_ = position_;
  position_ += commit_size;
  return Outcome::kCommit;
}

Result<bool> SegmentReader::SeekToIndexedCommit(const OffsetIndexEntry& entry) {
  if (entry.byte_position < format::kSegmentHeaderSize || entry.byte_position >= size_) return false;
  Commit probe;
  uint64_t size = 0;
  STDB_ASSIGN_OR_RETURN(auto damage, ReadCommitAt(entry.byte_position, probe, &size));
  if (damage || probe.min_tx_offset != entry.tx_offset) return false;
  position_ = entry.byte_position;
  return true;
}

Result<bool> SegmentReader::ZerosToEnd(uint64_t from) {
  uint8_t chunk[4096];
  for (uint64_t pos = from; pos < size_;) {
    STDB_ASSIGN_OR_RETURN(size_t got, ReadAt(pos, chunk, sizeof chunk));
    if (got == 0) return false;  // the file shrank while being read
    if (!std::all_of(chunk, chunk + got, [](uint8_t b) { return b == 0; })) return false;
    pos += got;
  }
  return true;
}

Result<bool> SegmentReader::EndsInZeros(uint64_t from) {
  if (from >= size_) return false;
  // Where the commit at `from` claims to end, when its header says so and the claim fits in the file;
  // otherwise the end of the file.
  uint64_t end = size_;
  const size_t header_size = format::CommitHeaderSize(header_.log_format_version);
  uint8_t header[format::kCommitHeaderSizeV1];
  STDB_ASSIGN_OR_RETURN(size_t got, ReadAt(from, header, header_size));
  if (got == header_size) {
    CommitHeader h = ParseCommitHeader(header, header_.log_format_version);
    uint64_t claimed = from + header_size + uint64_t(h.len) + format::kCommitChecksumSize;
    if (claimed <= size_) end = claimed;
  }
  // Its last 4 bytes, and everything after it.
  return ZerosToEnd(std::max(from, end >= 4 ? end - 4 : 0));
}

Result<std::optional<uint64_t>> SegmentReader::FindValidCommitAfter(uint64_t after, uint64_t min_tx_offset) {
  const uint8_t version = header_.log_format_version;
  const size_t header_size = format::CommitHeaderSize(version);
  const uint64_t framing = header_size + format::kCommitChecksumSize;
  // Offsets more than this far ahead of the expected one cannot come from this log; filtering on it keeps
  // the scan from checksumming every plausible-looking position in random data.
  constexpr uint64_t kMaxOffsetJump = uint64_t(1) << 40;
  Commit probe;
  uint8_t header[format::kCommitHeaderSizeV1];
  for (uint64_t pos = after + 1; pos + framing <= size_; ++pos) {
    STDB_ASSIGN_OR_RETURN(size_t got, ReadAt(pos, header, header_size));
    if (got < header_size) break;
    CommitHeader h = ParseCommitHeader(header, version);
    if (h.n == 0 || h.len < h.n || h.min_tx_offset < min_tx_offset || h.min_tx_offset - min_tx_offset > kMaxOffsetJump ||
        pos + framing + h.len > size_)
      continue;
    uint64_t size = 0;
    STDB_ASSIGN_OR_RETURN(auto damage, ReadCommitAt(pos, probe, &size));
    if (!damage) return std::optional<uint64_t>(pos);
  }
  return std::optional<uint64_t>();
}

}  // namespace stdb::durability
