#include "durability/snapshot.h"

#include <algorithm>
#include <cstring>

#include "durability/crc32c.h"
#include "durability/offset_file_name.h"
#include "durability/snapshot_format.h"

namespace stdb::durability {
namespace fmt = snapshot_format;

namespace {

constexpr size_t kWriteChunk = 4 << 20;   // bytes buffered before each write
constexpr size_t kRowIdsPerScan = 4096;   // row ids visited between cancellation checks

void PutU32(sats::Bytes& out, uint32_t v) {
  uint8_t b[4];
  std::memcpy(b, &v, 4);
  out.insert(out.end(), b, b + 4);
}
void PutU64(sats::Bytes& out, uint64_t v) {
  uint8_t b[8];
  std::memcpy(b, &v, 8);
  out.insert(out.end(), b, b + 8);
}
uint32_t GetU32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
uint64_t GetU64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}


// Frames blocks (type, length, payload, crc32c) into a buffer and writes it out in large chunks.
class BlockWriter {
 public:
  explicit BlockWriter(WritableFile& file) : file_(file) {}

  void Raw(sats::ByteSpan bytes) { buffer_.insert(buffer_.end(), bytes.begin(), bytes.end()); }
  void Begin(uint8_t type) {
    block_start_ = buffer_.size();
    buffer_.push_back(type);
    PutU32(buffer_, 0);  // length, patched by End
  }
  // Payload goes straight into the buffer.
  sats::Bytes& payload() { return buffer_; }
  size_t payload_size() const { return buffer_.size() - block_start_ - fmt::kBlockHeaderSize; }
  uint8_t* at(size_t payload_offset) { return buffer_.data() + block_start_ + fmt::kBlockHeaderSize + payload_offset; }
  Status End() {
    uint32_t length = uint32_t(payload_size());
    std::memcpy(buffer_.data() + block_start_ + 1, &length, 4);
    PutU32(buffer_, crc32c::Value(buffer_.data() + block_start_, buffer_.size() - block_start_));
    return buffer_.size() >= kWriteChunk ? Flush() : OkStatus();
  }
  Status Flush() {
    if (buffer_.empty()) return OkStatus();
    STDB_RETURN_IF_ERROR(file_.WriteAt(position_, buffer_));
    position_ += buffer_.size();
    buffer_.clear();
    return OkStatus();
  }
  uint64_t position() const { return position_ + buffer_.size(); }

 private:
  WritableFile& file_;
  sats::Bytes buffer_;
  size_t block_start_ = 0;
  uint64_t position_ = 0;
};

// Reads and verifies blocks one at a time.
class BlockReader {
 public:
  BlockReader(ReadableFile& file, uint64_t size) : file_(file), size_(size) {}

  Error Corrupt(const std::string& what) const {
    return Error(ErrorCode::kCorruption,
                 "snapshot " + file_.path() + " at byte " + std::to_string(block_position_) + ": " + what);
  }
  Status ReadExact(uint64_t at, uint8_t* out, size_t n) {
    STDB_ASSIGN_OR_RETURN(size_t got, file_.ReadAt(at, std::span<uint8_t>(out, n)));
    if (got != n) return Corrupt("the file ends early (truncated)");
    return OkStatus();
  }
  Status CheckMagic() {
    uint8_t magic[fmt::kMagicSize];
    block_position_ = 0;
    if (size_ < fmt::kMagicSize) return Corrupt("the file is too short to be a snapshot");
    STDB_RETURN_IF_ERROR(ReadExact(0, magic, sizeof magic));
    if (std::memcmp(magic, fmt::kMagic, sizeof magic) != 0) return Corrupt("bad magic (not a snapshot file)");
    position_ = fmt::kMagicSize;
    return OkStatus();
  }
  // Reads the next block; *type and payload() describe it.
  Status Next(uint8_t* type) {
    block_position_ = position_;
    if (size_ - position_ < fmt::kBlockHeaderSize + fmt::kBlockTrailerSize)
      return Corrupt(position_ == size_ ? "the file ends before its footer (incomplete snapshot)"
                                        : "the file ends inside a block header (truncated)");
    uint8_t header[fmt::kBlockHeaderSize];
    STDB_RETURN_IF_ERROR(ReadExact(position_, header, sizeof header));
    uint32_t length = GetU32(header + 1);
    if (length > fmt::kMaxBlockSize) return Corrupt("block length " + std::to_string(length) + " exceeds the limit");
    uint64_t total = fmt::kBlockHeaderSize + uint64_t(length) + fmt::kBlockTrailerSize;
    if (total > size_ - position_)
      return Corrupt("a block of " + std::to_string(length) + " bytes runs past the end of the file (truncated)");
    block_.resize(total);
    std::memcpy(block_.data(), header, sizeof header);
    STDB_RETURN_IF_ERROR(ReadExact(position_ + sizeof header, block_.data() + sizeof header, total - sizeof header));
    uint32_t stored = GetU32(block_.data() + total - fmt::kBlockTrailerSize);
    if (crc32c::Value(block_.data(), total - fmt::kBlockTrailerSize) != stored) return Corrupt("checksum mismatch");
    *type = header[0];
    position_ += total;
    return OkStatus();
  }
  sats::ByteSpan payload() const {
    return sats::ByteSpan(block_.data() + fmt::kBlockHeaderSize,
                          block_.size() - fmt::kBlockHeaderSize - fmt::kBlockTrailerSize);
  }
  bool at_end() const { return position_ == size_; }

 private:
  ReadableFile& file_;
  uint64_t size_;
  uint64_t position_ = 0;
  uint64_t block_position_ = 0;
  sats::Bytes block_;
};

}  // namespace

std::string SnapshotFileName(uint64_t tx_offset) { return OffsetFileName(tx_offset, fmt::kSnapshotSuffix); }

std::string SnapshotStore::PathOf(uint64_t tx_offset) const { return JoinPath(dir_, SnapshotFileName(tx_offset)); }

Status SnapshotStore::Open() {
  STDB_RETURN_IF_ERROR(fs_.CreateDirs(dir_));
  STDB_ASSIGN_OR_RETURN(auto names, fs_.ListDir(dir_));
  bool removed = false;
  for (const auto& name : names) {
    if (!EndsWith(name, fmt::kTempSuffix)) continue;
    STDB_RETURN_IF_ERROR(fs_.Remove(JoinPath(dir_, name)));
    removed = true;
  }
  return removed ? fs_.SyncDir(dir_) : OkStatus();
}

Result<std::vector<uint64_t>> SnapshotStore::List() const {
  STDB_ASSIGN_OR_RETURN(auto names, fs_.ListDir(dir_));
  std::vector<uint64_t> offsets;
  for (const auto& name : names)
    if (auto offset = ParseOffsetFileName(name, fmt::kSnapshotSuffix)) offsets.push_back(*offset);
  std::sort(offsets.begin(), offsets.end());
  return offsets;
}

Result<SnapshotStats> SnapshotStore::Write(const datastore::DatabaseView& view, const std::atomic<bool>* cancel) {
  if (view.tx_offset() == 0)
    return Error(ErrorCode::kInvalidArgument, "a database without transactions has nothing to snapshot");
  SnapshotStats stats;
  stats.tx_offset = view.tx_offset() - 1;
  const std::string path = PathOf(stats.tx_offset);
  const std::string temp = path + std::string(fmt::kTempSuffix);
  STDB_ASSIGN_OR_RETURN(bool exists, fs_.Exists(path));
  if (exists) return Error(ErrorCode::kAlreadyExists, "snapshot " + path + " already exists");

  STDB_ASSIGN_OR_RETURN(auto file, fs_.OpenWritable(temp, OpenMode::kCreateOrTruncate));
  auto write_all = [&]() -> Status {
    BlockWriter w(*file);
    w.Raw(sats::ByteSpan(fmt::kMagic, fmt::kMagicSize));
    w.Begin(fmt::kBlockHeader);
    PutU32(w.payload(), fmt::kVersion);
    PutU64(w.payload(), stats.tx_offset);
    PutU64(w.payload(), view.tx_offset());
    PutU32(w.payload(), uint32_t(view.tables().size()));
    STDB_RETURN_IF_ERROR(w.End());
    for (const auto& [table_id, table] : view.tables()) {
      const uint64_t row_count = table.rows.row_count();
      w.Begin(fmt::kBlockTable);
      PutU32(w.payload(), table_id);
      PutU64(w.payload(), row_count);
      PutU32(w.payload(), uint32_t(table.schema->name.size()));
      w.payload().insert(w.payload().end(), table.schema->name.begin(), table.schema->name.end());
      STDB_RETURN_IF_ERROR(w.End());

      uint64_t written = 0;
      uint32_t in_block = 0;
      Status status = OkStatus();
      auto close_block = [&]() -> Status {
        std::memcpy(w.at(0), &in_block, 4);
        in_block = 0;
        return w.End();
      };
      table::RowId next = 0;
      while (next != table::kNoRow && status.ok()) {
        if (cancel && cancel->load(std::memory_order_relaxed))
          return Error(ErrorCode::kInternal, "writing snapshot " + path + " was cancelled");
        next = table.rows.ForEachFrom(next, kRowIdsPerScan, [&](table::RowId, sats::ByteSpan row) {
          if (!status.ok()) return;
          if (in_block == 0) {
            w.Begin(fmt::kBlockRows);
            PutU32(w.payload(), 0);  // row count, patched by close_block
          }
          PutU32(w.payload(), uint32_t(row.size()));
          w.payload().insert(w.payload().end(), row.begin(), row.end());
          ++in_block;
          ++written;
          if (w.payload_size() >= fmt::kTargetRowsBlockSize) status = close_block();
        });
      }
      STDB_RETURN_IF_ERROR(status);
      if (in_block > 0) STDB_RETURN_IF_ERROR(close_block());
      if (written != row_count)
        return Error(ErrorCode::kInternal, "snapshot of table " + std::to_string(table_id) + " saw " +
                                               std::to_string(written) + " rows, its view counts " +
                                               std::to_string(row_count));
      stats.rows += written;
      ++stats.tables;
    }
    w.Begin(fmt::kBlockFooter);
    PutU32(w.payload(), uint32_t(stats.tables));
    PutU64(w.payload(), stats.rows);
    STDB_RETURN_IF_ERROR(w.End());
    STDB_RETURN_IF_ERROR(w.Flush());
    stats.bytes = w.position();
    return file->Sync();
  };
  Status written = write_all();
  file.reset();
  if (!written.ok()) {
    (void)fs_.Remove(temp);  // garbage either way; Open removes it if this fails too
    return std::move(written).error().Prefix("writing snapshot " + path);
  }
  STDB_RETURN_IF_ERROR(fs_.Rename(temp, path));
  STDB_RETURN_IF_ERROR(fs_.SyncDir(dir_));
  return stats;
}

Result<SnapshotStats> SnapshotStore::Read(uint64_t tx_offset, SnapshotVisitor& visitor) const {
  const std::string path = PathOf(tx_offset);
  STDB_ASSIGN_OR_RETURN(auto file, fs_.OpenReadable(path));
  STDB_ASSIGN_OR_RETURN(uint64_t size, file->Size());
  BlockReader r(*file, size);
  STDB_RETURN_IF_ERROR(r.CheckMagic());
  SnapshotStats stats;
  stats.tx_offset = tx_offset;
  stats.bytes = size;

  uint8_t type = 0;
  STDB_RETURN_IF_ERROR(r.Next(&type));
  sats::ByteSpan p = r.payload();
  if (type != fmt::kBlockHeader || p.size() != fmt::kHeaderPayloadSize)
    return r.Corrupt("the first block is not a snapshot header");
  uint32_t version = GetU32(p.data());
  if (version != fmt::kVersion)
    return Error(ErrorCode::kUnsupported, "snapshot " + path + " has format version " + std::to_string(version) +
                                              "; this build reads version " + std::to_string(fmt::kVersion));
  uint64_t header_offset = GetU64(p.data() + 4), next_tx_offset = GetU64(p.data() + 12);
  uint32_t table_count = GetU32(p.data() + 20);
  if (header_offset != tx_offset)
    return r.Corrupt("it holds transaction offset " + std::to_string(header_offset) + " but is named for " +
                     std::to_string(tx_offset));
  if (next_tx_offset != tx_offset + 1)
    return r.Corrupt("next transaction offset " + std::to_string(next_tx_offset) + " does not follow " +
                     std::to_string(tx_offset));
  STDB_RETURN_IF_ERROR(visitor.OnHeader(tx_offset, next_tx_offset, table_count));

  std::optional<uint32_t> table;  // the table rows blocks belong to
  uint64_t expected_rows = 0, seen_rows = 0;
  std::vector<sats::ByteSpan> rows;
  auto finish_table = [&]() -> Status {
    if (table && seen_rows != expected_rows)
      return r.Corrupt("table " + std::to_string(*table) + " announces " + std::to_string(expected_rows) +
                       " rows but holds " + std::to_string(seen_rows));
    return OkStatus();
  };
  for (;;) {
    STDB_RETURN_IF_ERROR(r.Next(&type));
    p = r.payload();
    if (type == fmt::kBlockTable) {
      STDB_RETURN_IF_ERROR(finish_table());
      if (p.size() < 16 || p.size() != 16 + size_t(GetU32(p.data() + 12))) return r.Corrupt("malformed table block");
      uint32_t id = GetU32(p.data());
      if (table && id <= *table) return r.Corrupt("table " + std::to_string(id) + " is out of order");
      table = id;
      expected_rows = GetU64(p.data() + 4);
      seen_rows = 0;
      ++stats.tables;
      if (stats.tables > table_count) return r.Corrupt("more tables than the header's " + std::to_string(table_count));
      std::string_view name(reinterpret_cast<const char*>(p.data() + 16), p.size() - 16);
      STDB_RETURN_IF_ERROR(visitor.OnTable(id, name, expected_rows));
    } else if (type == fmt::kBlockRows) {
      if (!table) return r.Corrupt("rows before any table");
      if (p.size() < 4) return r.Corrupt("malformed rows block");
      uint32_t n = GetU32(p.data());
      if (n > (p.size() - 4) / fmt::kRowLengthSize) return r.Corrupt("rows block counts " + std::to_string(n) + " rows");
      rows.clear();
      size_t at = 4;
      for (uint32_t i = 0; i < n; ++i) {
        if (p.size() - at < fmt::kRowLengthSize) return r.Corrupt("rows block ends inside a row length");
        uint32_t length = GetU32(p.data() + at);
        at += fmt::kRowLengthSize;
        if (length > p.size() - at) return r.Corrupt("a row of " + std::to_string(length) + " bytes overruns its block");
        rows.emplace_back(p.data() + at, length);
        at += length;
      }
      if (at != p.size()) return r.Corrupt("rows block has " + std::to_string(p.size() - at) + " bytes after its rows");
      seen_rows += n;
      stats.rows += n;
      if (seen_rows > expected_rows)
        return r.Corrupt("table " + std::to_string(*table) + " holds more than the " + std::to_string(expected_rows) +
                         " rows it announces");
      STDB_RETURN_IF_ERROR(visitor.OnRows(*table, rows));
    } else if (type == fmt::kBlockFooter) {
      STDB_RETURN_IF_ERROR(finish_table());
      if (p.size() != fmt::kFooterPayloadSize) return r.Corrupt("malformed footer");
      if (GetU32(p.data()) != stats.tables || stats.tables != table_count || GetU64(p.data() + 4) != stats.rows)
        return r.Corrupt("the footer counts " + std::to_string(GetU32(p.data())) + " tables and " +
                         std::to_string(GetU64(p.data() + 4)) + " rows, the file holds " +
                         std::to_string(stats.tables) + " and " + std::to_string(stats.rows));
      if (!r.at_end()) return r.Corrupt("data follows the footer");
      STDB_RETURN_IF_ERROR(visitor.OnEnd());
      return stats;
    } else {
      return r.Corrupt("unknown block type " + std::to_string(type));
    }
  }
}

Status SnapshotStore::SetAside(uint64_t tx_offset) {
  std::string path = PathOf(tx_offset);
  STDB_RETURN_IF_ERROR(fs_.Rename(path, path + std::string(fmt::kInvalidSuffix)));
  return fs_.SyncDir(dir_);
}

Result<std::vector<uint64_t>> SnapshotStore::Prune(size_t keep) {
  STDB_ASSIGN_OR_RETURN(auto offsets, List());
  std::vector<uint64_t> removed;
  if (offsets.size() <= keep) return removed;
  for (size_t i = 0; i + keep < offsets.size(); ++i) {
    STDB_RETURN_IF_ERROR(fs_.Remove(PathOf(offsets[i])));
    removed.push_back(offsets[i]);
  }
  STDB_RETURN_IF_ERROR(fs_.SyncDir(dir_));
  return removed;
}

}  // namespace stdb::durability
