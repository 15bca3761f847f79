// SnapshotStore: the snapshots of one replica, <replica>/snapshots/, in the format of snapshot_format.h
// (prose in docs/snapshot_format.md). A snapshot holds every row of every table, system and user, as of one
// transaction offset, so that recovery loads it and replays only the log after it.
//
// Write streams a DatabaseView (taken on the database thread between transactions, readable anywhere) to
// `<offset>.snapshot.tmp`, fdatasyncs it, renames it to `<offset>.snapshot` and fsyncs the directory: a
// snapshot file exists whole or not at all. Read streams one back to a SnapshotVisitor, checking every block's
// CRC32C and the structure as it goes; damage is kCorruption naming the file and byte position, and the visitor
// may have seen part of the snapshot by then (the caller throws that state away).
//
// Thread-safety: the store holds no mutable state; calls about different snapshots may run on different threads
// (the snapshot worker writes and prunes while nothing else reads). Do not prune a snapshot being read.
#pragma once

#include <atomic>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "datastore/database_view.h"
#include "durability/file_system.h"
#include "sats/result.h"

namespace stdb::durability {

struct SnapshotStats {
  uint64_t tx_offset = 0;  // the last transaction the snapshot includes
  uint64_t tables = 0;
  uint64_t rows = 0;
  uint64_t bytes = 0;  // file size
};

// Receives a snapshot as Read decodes it, in file order: OnHeader, then per table OnTable and OnRows (any number
// of batches), then OnEnd once the footer checked out. An error returned by a callback stops the read.
class SnapshotVisitor {
 public:
  virtual ~SnapshotVisitor() = default;
  virtual Status OnHeader(uint64_t tx_offset, uint64_t next_tx_offset, uint32_t table_count) { return OkStatus(); }
  virtual Status OnTable(uint32_t table_id, std::string_view name, uint64_t row_count) = 0;
  // Rows of the table announced last; the spans are valid during the call only.
  virtual Status OnRows(uint32_t table_id, std::span<const sats::ByteSpan> rows) = 0;
  virtual Status OnEnd() { return OkStatus(); }
};

// "00000000000000000042.snapshot"
std::string SnapshotFileName(uint64_t tx_offset);

class SnapshotStore {
 public:
  // `dir` is the snapshots directory itself (<replica>/snapshots).
  SnapshotStore(FileSystem& fs, std::string dir) : fs_(fs), dir_(std::move(dir)) {}

  // Creates the directory if needed and removes temporary files a crash left behind.
  Status Open();
  // Offsets of the complete snapshot files, ascending (their contents unchecked).
  Result<std::vector<uint64_t>> List() const;
  std::string PathOf(uint64_t tx_offset) const;
  const std::string& dir() const { return dir_; }

  // Writes `view` as the snapshot of transaction view.tx_offset() - 1, durably. Gives up, leaving no file, when
  // *cancel becomes true (an error saying so). kAlreadyExists if that snapshot exists.
  Result<SnapshotStats> Write(const datastore::DatabaseView& view, const std::atomic<bool>* cancel = nullptr);
  // Reads snapshot `tx_offset` into `visitor`, verifying it completely.
  Result<SnapshotStats> Read(uint64_t tx_offset, SnapshotVisitor& visitor) const;
  // Renames a snapshot to `<name>.invalid`, durably, so that it is never read again but stays for inspection.
  Status SetAside(uint64_t tx_offset);
  // Removes all but the newest `keep` snapshots; returns the offsets removed.
  Result<std::vector<uint64_t>> Prune(size_t keep);

 private:
  FileSystem& fs_;
  std::string dir_;
};

}  // namespace stdb::durability
