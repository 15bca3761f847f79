// MemoryFileSystem: an in-memory FileSystem that tracks what has been made durable, so tests can simulate a
// power failure at any moment, like LazyFS does for a real file system.
//
// Each file's contents as of its last Sync are remembered, and so is each directory's list of entries as of
// its last SyncDir. SimulatePowerLoss() returns the whole file system to that durable state: bytes written
// but not synced disappear, files created or renamed without a directory sync vanish or revert, removed
// files whose removal was not synced come back. Variants keep a random prefix of the unsynced appended bytes
// or keep the file length with zeros in place of the unsynced bytes, the torn shapes real disks produce.
// Handles opened before the power loss fail afterwards ("stale file handle").
//
// Directories are durable as soon as CreateDirs returns (the real implementation syncs the parents).
//
// Thread-safety: thread-safe; all state is behind one mutex.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "durability/file_system.h"

namespace stdb::durability::testing {

class MemoryFileSystem final : public FileSystem {
 public:
  enum class UnsyncedData {
    kDrop,              // every byte written since the last Sync is lost (LazyFS's default)
    kKeepRandomPrefix,  // a random prefix of the bytes appended since the last Sync survives
    kZeroFill,          // the file keeps its length but unsynced appended bytes read as zeros
  };

  MemoryFileSystem() = default;

  Result<std::unique_ptr<WritableFile>> OpenWritable(const std::string& path, OpenMode mode) override;
  Result<std::unique_ptr<ReadableFile>> OpenReadable(const std::string& path) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status Remove(const std::string& path) override;
  Result<std::vector<std::string>> ListDir(const std::string& dir) override;
  Status CreateDirs(const std::string& dir) override;
  Status SyncDir(const std::string& dir) override;
  Result<bool> Exists(const std::string& path) override;

  // Forgets everything not durable. `seed` drives the random prefixes of kKeepRandomPrefix.
  void SimulatePowerLoss(UnsyncedData unsynced = UnsyncedData::kDrop, uint64_t seed = 0);

  // Test helpers that bypass the durability model: read a file, or replace its contents durably (to plant
  // corruption).
  Result<sats::Bytes> Contents(const std::string& path);
  Status SetDurableContents(const std::string& path, sats::Bytes contents);
  // Bytes by which files have grown since their last Sync (what a kDrop power loss takes from appends).
  uint64_t UnsyncedBytes();

  struct Inode {
    sats::Bytes data;
    sats::Bytes synced;
  };

 private:
  friend class MemoryWritableFile;
  friend class MemoryReadableFile;
  Status CheckParentExists(const std::string& path) const;
  std::mutex mu_;
  uint64_t generation_ = 0;  // bumped by each power loss; older handles are stale
  std::map<std::string, std::shared_ptr<Inode>> files_;
  std::map<std::string, std::shared_ptr<Inode>> durable_files_;
  std::set<std::string> dirs_{"/", "."};
};

}  // namespace stdb::durability::testing
